package io.infercore.engine.ollama;

import com.fasterxml.jackson.databind.JsonNode;
import io.infercore.engine.GenerationRequest;
import io.infercore.engine.StreamEvent;
import io.infercore.engine.Usage;
import io.infercore.error.ErrorKind;
import io.infercore.error.InfercoreException;
import io.smallrye.mutiny.Multi;

/**
 * {@code /api/generate} (a raw prompt) on our own NDJSON client, not on LangChain4j: its
 * {@code OllamaStreamingLanguageModel} (1.11) has no {@code think} and never reports
 * {@code thinking}, fixes the options when the model object is built (no {@code min_p},
 * {@code mirostat}, {@code keep_alive} or {@code truncate} at all), and its
 * {@code StreamingResponseHandler<String>} gets no cancel handle, so a cancelled stream would keep
 * Ollama generating. The request and chunk shapes are {@link OllamaWire} records.
 */
final class GenerateStream {

    private GenerateStream() {
    }

    static Multi<StreamEvent> open(NdjsonCalls calls, String baseUrl, GenerationRequest request, OllamaOptions options) {
        OllamaWire.GenerateRequest body = new OllamaWire.GenerateRequest(request.model(), request.prompt(), true,
                request.jsonSchema(), options.asOptionsMap(), options.keepAlive(), request.thinking(), options.truncate());
        String json = calls.write(body);
        return Multi.createFrom().emitter(emitter -> {
            NdjsonCall call = calls.start(request.model(), baseUrl + "/api/generate", json, new NdjsonCall.Sink() {
                private boolean answered;

                @Override
                public void line(JsonNode node, String raw) {
                    OllamaWire.GenerateChunk chunk = calls.convert(node, OllamaWire.GenerateChunk.class);
                    String text = empty(chunk.response()) ? null : chunk.response();
                    String thinking = empty(chunk.thinking()) ? null : chunk.thinking();
                    if (text != null || thinking != null) {
                        emitter.emit(new StreamEvent.Delta(text, thinking));
                    }
                    if (chunk.done()) {
                        answered = true;
                        emitter.emit(new StreamEvent.Done("length".equals(chunk.doneReason()) ? "length" : "stop",
                                new Usage(count(chunk.promptEvalCount()), count(chunk.evalCount()))));
                        emitter.complete();
                    }
                }

                @Override
                public void failed(InfercoreException failure) {
                    emitter.fail(failure);
                }

                @Override
                public void ended() {
                    if (!answered) {
                        emitter.fail(new InfercoreException(ErrorKind.UPSTREAM_ERROR,
                                "ollama ended /api/generate for model '" + request.model() + "' without a final chunk"));
                    }
                }
            });
            emitter.onTermination(call::cancel);
        });
    }

    private static boolean empty(String s) {
        return s == null || s.isEmpty();
    }

    /** Ollama omits zero counts. */
    private static int count(Integer n) {
        return n == null ? 0 : n;
    }
}
