package io.infercore.engine.ollama;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.infercore.engine.GenerationRequest;
import io.infercore.engine.StreamEvent;
import io.infercore.engine.TokenLogprob;
import io.infercore.engine.Usage;
import io.infercore.engine.http.EngineHttp;
import io.infercore.engine.http.Framing;
import io.infercore.error.ErrorKind;
import io.infercore.error.InfercoreException;
import io.smallrye.mutiny.Multi;

import java.util.List;

/**
 * {@code /api/generate} (a raw prompt) on the transport directly, not on LangChain4j: its
 * {@code OllamaStreamingLanguageModel} (1.11) has no {@code think} and never reports
 * {@code thinking}, fixes the options when the model object is built (no {@code min_p},
 * {@code mirostat}, {@code keep_alive} or {@code truncate} at all), and its
 * {@code StreamingResponseHandler<String>} gets no cancel handle, so a cancelled stream would keep
 * Ollama generating. The request and chunk shapes are {@link OllamaWire} records; each line is
 * parsed once, here, straight into its record.
 */
final class GenerateStream {

    private GenerateStream() {
    }

    static Multi<StreamEvent> open(EngineHttp http, ObjectMapper mapper, GenerationRequest request, OllamaOptions options) {
        OllamaWire.GenerateRequest body = new OllamaWire.GenerateRequest(request.model(), request.prompt(), true,
                request.jsonSchema(), options.asOptionsMap(), options.keepAlive(), request.thinking(), options.truncate(),
                request.logprobs() == null ? null : true,
                request.logprobs() == null || request.logprobs() == 0 ? null : request.logprobs());
        String json;
        try {
            json = mapper.writeValueAsString(body);
        } catch (JsonProcessingException e) {
            return Multi.createFrom().failure(new IllegalArgumentException(e));
        }
        return http.stream("/api/generate", json, Framing.NDJSON_GENERATION, request.model(), true)
                .concatMap(line -> Multi.createFrom().iterable(events(mapper, line, request)));
    }

    private static List<StreamEvent> events(ObjectMapper mapper, String line, GenerationRequest request) {
        String model = request.model();
        OllamaWire.GenerateChunk chunk;
        try {
            chunk = mapper.readValue(line, OllamaWire.GenerateChunk.class);
        } catch (JsonProcessingException e) {
            throw new InfercoreException(ErrorKind.UPSTREAM_ERROR, "ollama sent a line we could not read ("
                    + e.getOriginalMessage() + ") for model '" + model + "'");
        }
        String text = empty(chunk.response()) ? null : chunk.response();
        String thinking = empty(chunk.thinking()) ? null : chunk.thinking();
        List<TokenLogprob> logprobs = request.logprobs() == null ? List.of()
                : OllamaLogprobs.read(chunk.logprobs(), request.logprobs());
        StreamEvent delta = text != null || thinking != null || !logprobs.isEmpty()
                ? new StreamEvent.Delta(text, thinking, null, logprobs) : null;
        if (!chunk.done()) {
            return delta == null ? List.of() : List.of(delta);
        }
        StreamEvent done = new StreamEvent.Done("length".equals(chunk.doneReason()) ? "length" : "stop",
                new Usage(count(chunk.promptEvalCount()), count(chunk.evalCount())));
        return delta == null ? List.of(done) : List.of(delta, done);
    }

    private static boolean empty(String s) {
        return s == null || s.isEmpty();
    }

    /** Ollama omits zero counts. */
    private static int count(Integer n) {
        return n == null ? 0 : n;
    }
}
