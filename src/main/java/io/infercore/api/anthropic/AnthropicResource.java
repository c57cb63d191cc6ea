package io.infercore.api.anthropic;

import io.infercore.access.ModelGate;
import io.infercore.api.ApiError;
import io.infercore.api.ExceptionMappers;
import io.infercore.api.Replies;
import io.infercore.api.RequestIds;
import io.infercore.api.openai.ModelRouter;
import io.infercore.engine.GenerationRequest;
import io.infercore.inference.InferenceService;
import io.infercore.metrics.RequestProbe;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Anthropic's Messages API, for the clients that speak it (the {@code anthropic} SDKs, Claude
 * Code-style agents, LangChain4j's {@code AnthropicChatModel}). A thin translator onto
 * {@link InferenceService}, like the OpenAI routes: same validation, routing of {@code model}
 * ({@link ModelRouter}: model names, {@code engine/model}, run ids), API keys ({@code x-api-key}
 * is one of the accepted headers) and metrics. {@code anthropic-version} and {@code anthropic-beta}
 * headers are accepted and ignored. Errors are Anthropic's {@code {"type":"error","error":{type,message}}}
 * (see {@link ExceptionMappers}).
 */
@Path("/v1/messages")
@Tag(name = "Anthropic-compatible", description = "Anthropic's Messages API over every engine")
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.TEXT_PLAIN) // the real type (JSON or SSE) is set per reply by Replies
public class AnthropicResource {

    static final String PATH = "/v1/messages";

    @Inject
    InferenceService inference;
    @Inject
    ModelRouter router;
    @Inject
    Replies replies;
    @Inject
    ModelGate gate;

    @POST
    @Operation(summary = "Create a message (Anthropic)", description = "With \"stream\": true: message_start, then "
            + "per block content_block_start / content_block_delta (text_delta, thinking_delta, input_json_delta) / "
            + "content_block_stop, a ping, message_delta with stop_reason and usage, message_stop; a failure after "
            + "the stream started is an error event.")
    @APIResponse(responseCode = "200", description = "A message, or an SSE stream",
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = AnthropicReplies.MessageReply.class)))
    @APIResponse(responseCode = "400", description = "Invalid request (invalid_request_error)")
    @APIResponse(responseCode = "404", description = "Unknown model (not_found_error)")
    public Multi<String> create(MessagesRequest body, @Context ContainerRequestContext request) {
        String requestId = RequestIds.of(request);
        MessagesRequest b = Replies.requireBody(body);
        RequestProbe probe = RequestProbe.of(request);
        String id = "msg_" + requestId.replace("-", "");
        return reply(requestId, PATH, b.streaming(), () -> {
            GenerationRequest draft = b.toDraft();
            return router.target(b.model()).chain(target -> {
                gate.generation(request, target, "model");
                if (b.streaming()) {
                    return inference.stream(target, draft, probe)
                            .map(s -> MessageStream.of(id, s, replies::write, errorEvent(requestId)));
                }
                return inference.generate(target, draft, probe)
                        .map(c -> Multi.createFrom().item(replies.write(AnthropicReplies.MessageReply.of(id, c))));
            });
        });
    }

    @POST
    @Path("/count_tokens")
    @Operation(summary = "Count the prompt's tokens (Anthropic)", description = "The tokens of system, messages and "
            + "tools after the model's chat template, as the engine counts them: the engine is asked for one token "
            + "and its prompt count is returned. max_tokens is not needed.")
    @APIResponse(responseCode = "200", description = "{input_tokens}",
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = AnthropicReplies.TokenCount.class)))
    @APIResponse(responseCode = "400", description = "Invalid request (invalid_request_error)")
    public Multi<String> countTokens(MessagesRequest body, @Context ContainerRequestContext request) {
        String requestId = RequestIds.of(request);
        MessagesRequest b = Replies.requireBody(body);
        RequestProbe probe = RequestProbe.of(request);
        return reply(requestId, PATH + "/count_tokens", false, () -> {
            GenerationRequest draft = b.toCountDraft();
            return router.target(b.model()).chain(target -> {
                gate.generation(request, target, "model");
                return inference.generate(target, draft, probe).map(c -> Multi.createFrom().item(replies.write(
                        new AnthropicReplies.TokenCount(c.result().usage() == null ? 0 : c.result().usage().promptTokens()))));
            });
        });
    }

    private Multi<String> reply(String requestId, String path, boolean streaming,
                                Supplier<Uni<? extends Multi<String>>> work) {
        return replies.deferred(requestId, path, streaming ? "text/event-stream" : MediaType.APPLICATION_JSON, work,
                t -> t);
    }

    private Function<Throwable, String> errorEvent(String requestId) {
        return t -> "event: error\ndata: " + replies.write(ExceptionMappers.anthropicError(ApiError.of(t, requestId),
                requestId)) + "\n\n";
    }
}
