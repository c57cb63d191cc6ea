package io.infercore.engine.ollama;

import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.jboss.resteasy.reactive.RestStreamElementType;

/**
 * Ollama's management and embedding routes, which LangChain4j does not cover (or covers without
 * the fields we need). Built programmatically by {@link OllamaEngine} from {@code ollama.base_url}
 * with {@code ollama.timeouts}; failures are mapped there through {@code UpstreamErrors}.
 */
@Path("/")
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
interface OllamaApi {

    /** {@code GET /}: 200 {@code Ollama is running}. */
    @GET
    @Produces(MediaType.TEXT_PLAIN)
    Uni<String> root();

    @GET
    @Path("api/version")
    Uni<OllamaWire.Version> version();

    @GET
    @Path("api/tags")
    Uni<OllamaWire.Tags> tags();

    @GET
    @Path("api/ps")
    Uni<OllamaWire.Running> ps();

    @POST
    @Path("api/show")
    Uni<OllamaWire.ModelCard> show(OllamaWire.ModelRef body);

    @POST
    @Path("api/embed")
    Uni<OllamaWire.EmbedResponse> embed(OllamaWire.EmbedRequest body);

    @DELETE
    @Path("api/delete")
    Uni<Void> delete(OllamaWire.ModelRef body);

    /** A non-streamed {@code /api/generate}; with an empty prompt it only loads or (keep_alive 0) unloads. */
    @POST
    @Path("api/generate")
    Uni<OllamaWire.GenerateChunk> generateOnce(OllamaWire.GenerateRequest body);

    /**
     * NDJSON progress lines; an unknown model gives 200 then an {@code {"error": ...}} line. Lines
     * arrive as trees and are converted by the caller: the client's stream reader caches element
     * types across Quarkus application restarts (dev mode, test profiles), so an application
     * record here would be cast against a stale class after a restart.
     */
    @POST
    @Path("api/pull")
    @Produces("application/x-ndjson")
    @RestStreamElementType(MediaType.APPLICATION_JSON)
    Multi<com.fasterxml.jackson.databind.JsonNode> pull(OllamaWire.PullRequest body);
}
