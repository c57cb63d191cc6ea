package io.infercore.api.responses;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.infercore.access.AccessDenied;
import io.infercore.access.AccessFilter;
import io.infercore.access.ApiKey;
import io.infercore.access.ModelGate;
import io.infercore.api.ApiError;
import io.infercore.api.Replies;
import io.infercore.api.RequestIds;
import io.infercore.api.openai.ModelRouter;
import io.infercore.api.openai.OpenAiResource;
import io.infercore.engine.GenerationRequest;
import io.infercore.engine.StreamEvent;
import io.infercore.error.InfercoreException;
import io.infercore.inference.Completion;
import io.infercore.inference.InferenceService;
import io.infercore.inference.OpenStream;
import io.infercore.metrics.RequestProbe;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.util.function.Supplier;

/**
 * OpenAI's Responses API, which coding agents and the newer OpenAI SDK helpers speak. A thin
 * translator onto {@link InferenceService}, like {@code /v1/chat/completions}: same validation,
 * routing of {@code model} ({@link ModelRouter}), API keys, metrics and OpenAI error shape. What
 * is its own: items instead of messages, the {@code response.*} event stream, and stored
 * responses ({@link ResponseStore}) for {@code GET}, {@code DELETE} and {@code previous_response_id}.
 */
@Path("/v1/responses")
@Tag(name = "OpenAI-compatible", description = "OpenAI's /v1 API over every engine; model ids from GET /v1/models, "
        + "or engine/model")
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.TEXT_PLAIN) // the real type (JSON or SSE) is set per reply by Replies
public class ResponsesResource {

    static final String PATH = "/v1/responses";

    @Inject
    InferenceService inference;
    @Inject
    ModelRouter router;
    @Inject
    Replies replies;
    @Inject
    ModelGate gate;
    @Inject
    ResponseStore store;

    @POST
    @Operation(summary = "Create a response (OpenAI Responses API)", description = "With \"stream\": true: "
            + "response.created, response.in_progress, per output item response.output_item.added / "
            + "content_part.added / output_text.delta... / output_text.done / content_part.done / output_item.done "
            + "(function calls: function_call_arguments.delta and .done), then response.completed (response.incomplete "
            + "when max_output_tokens cut it); each event has a sequence_number. A failure after the stream started "
            + "is an error event. store (default true) keeps the response for GET and previous_response_id.")
    @APIResponse(responseCode = "200", description = "A response object, or an SSE stream")
    @APIResponse(responseCode = "400", description = "Invalid request; error.param names the field")
    @APIResponse(responseCode = "404", description = "Unknown model or previous_response_id")
    public Multi<String> create(ResponsesRequest body, @Context ContainerRequestContext request) {
        String requestId = RequestIds.of(request);
        if (body == null) {
            throw InfercoreException.invalid(null, "request body is required (a JSON object)");
        }
        RequestProbe probe = RequestProbe.of(request);
        String id = ResponseObject.newId("resp_");
        return reply(requestId, body.streaming(), () -> {
            body.check();
            String owner = owner(request);
            return conversation(body, owner).chain(conversation -> {
                GenerationRequest draft = body.toDraft(conversation);
                return router.target(body.model()).chain(target -> {
                    gate.generation(request, target, "model");
                    if (body.streaming()) {
                        return inference.stream(target, draft, probe).map(s -> events(id, body, conversation, s, requestId, owner));
                    }
                    return inference.generate(target, draft, probe).chain(c -> whole(id, body, conversation, c, owner));
                });
            });
        });
    }

    @GET
    @Path("/{id}")
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "A stored response")
    @APIResponse(responseCode = "404", description = "No stored response of that id")
    public Uni<JsonNode> get(@PathParam("id") String id, @Context ContainerRequestContext request) {
        String owner = owner(request);
        return blocking(() -> store.require(id, owner, "response_id").response());
    }

    @GET
    @Path("/{id}/input_items")
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "The input items of a stored response", description = "Every item the model was given "
            + "(with previous_response_id, the earlier turns too), newest first unless order=asc; limit 1-100 "
            + "(default 20), after = the last id of the previous page.")
    @APIResponse(responseCode = "404", description = "No stored response of that id")
    public Uni<JsonNode> inputItems(@PathParam("id") String id, @QueryParam("limit") Integer limit,
                                    @QueryParam("order") String order, @QueryParam("after") String after,
                                    @Context ContainerRequestContext request) {
        String owner = owner(request);
        return blocking(() -> InputItemPage.of(store.require(id, owner, "response_id").input(), limit, order, after));
    }

    @DELETE
    @Path("/{id}")
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Delete a stored response")
    @APIResponse(responseCode = "404", description = "No stored response of that id")
    public Uni<JsonNode> delete(@PathParam("id") String id, @Context ContainerRequestContext request) {
        String owner = owner(request);
        return blocking(() -> {
            if (!store.delete(id, owner)) {
                store.require(id, owner, "response_id"); // the 404
            }
            return ResponseObject.deleted(id);
        });
    }

    /** Earlier items (the previous response's input and output) followed by this request's input. */
    private Uni<ArrayNode> conversation(ResponsesRequest body, String owner) {
        ArrayNode own = body.inputItems();
        if (body.previousResponseId() == null || body.previousResponseId().isBlank()) {
            return Uni.createFrom().item(own);
        }
        return blocking(() -> {
            ResponseStore.Stored previous = store.require(body.previousResponseId(), owner, "previous_response_id");
            ArrayNode all = JsonNodeFactory.instance.arrayNode();
            all.addAll(previous.input());
            previous.response().withArray("output").forEach(all::add);
            all.addAll(own);
            return all;
        });
    }

    private Uni<Multi<String>> whole(String id, ResponsesRequest body, ArrayNode conversation, Completion c,
                                     String owner) {
        ObjectNode response = ResponseObject.finished(ResponseObject.started(id, c.modelName(), body),
                ResponseObject.output(c.result()), c.result().finishReason(), c.result().usage());
        Uni<ObjectNode> stored = body.storing()
                ? blocking(() -> {
                    InputItemPage.identify(conversation);
                    store.save(response, conversation, owner);
                    return response;
                })
                : Uni.createFrom().item(response);
        return stored.map(r -> Multi.createFrom().item(replies.write(r)));
    }

    private Multi<String> events(String id, ResponsesRequest body, ArrayNode conversation, OpenStream stream,
                                 String requestId, String owner) {
        ResponseEvents events = new ResponseEvents(ResponseObject.started(id, stream.modelName(), body), replies::write,
                finished -> {
                    if (body.storing()) {
                        InputItemPage.identify(conversation);
                        store.save(finished, conversation, owner);
                    }
                });
        // The last event stores the response: it is built on a worker thread, never on the event loop.
        Multi<String> frames = stream.events().onItem().transformToMultiAndConcatenate(e -> e instanceof StreamEvent.Done
                ? blocking(() -> events.framesOf(e)).onItem().transformToMulti(l -> Multi.createFrom().iterable(l))
                : Multi.createFrom().iterable(events.framesOf(e)));
        Multi<String> all = Multi.createBy().concatenating().streams(Multi.createFrom().iterable(events.opening()), frames);
        return all.onFailure().recoverWithItem(t -> {
            ApiError e = ApiError.of(forResponses(t), requestId);
            return events.error(e.code() != null ? e.code() : e.type(), e.message(), e.param());
        });
    }

    private Multi<String> reply(String requestId, boolean streaming, Supplier<Uni<? extends Multi<String>>> work) {
        return replies.deferred(requestId, PATH, streaming ? "text/event-stream" : MediaType.APPLICATION_JSON, work,
                ResponsesResource::forResponses);
    }

    /** The shared layers name the token limit max_tokens (e.g. above the model's context); here it is max_output_tokens. */
    static Throwable forResponses(Throwable failure) {
        Throwable t = OpenAiResource.forV1(failure);
        if (t instanceof InfercoreException e && !(t instanceof AccessDenied) && "max_tokens".equals(e.param())) {
            return new InfercoreException(e.kind(), e.getMessage().replace("max_tokens", "max_output_tokens"),
                    "max_output_tokens", e.getCause());
        }
        return t;
    }

    private static <T> Uni<T> blocking(Supplier<T> work) {
        return Uni.createFrom().item(work).runSubscriptionOn(Infrastructure.getDefaultWorkerPool());
    }


    /** Whose stored responses this caller sees: its API key's name; null when the API is open. */
    private static String owner(ContainerRequestContext request) {
        return AccessFilter.caller(request).map(ApiKey::name).orElse(null);
    }

}
