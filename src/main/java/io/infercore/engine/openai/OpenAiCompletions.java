package io.infercore.engine.openai;

import com.fasterxml.jackson.databind.JsonNode;
import io.infercore.engine.GenerationRequest;
import io.infercore.engine.GenerationResult;
import io.infercore.engine.SamplingParams;
import io.infercore.engine.StreamEvent;
import io.infercore.engine.TokenLogprob;
import io.infercore.engine.Usage;
import io.infercore.engine.http.EngineHttp;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code /v1/completions} (raw prompt, no chat template) on {@link EngineHttp} directly:
 * LangChain4j's language-model API for it reports neither usage per stream nor a cancel handle.
 * Streams ask for {@code stream_options.include_usage} so the final event carries token counts.
 * Log-probabilities, when asked for, are read from each choice (see {@link UpstreamLogprobs}).
 */
public final class OpenAiCompletions {

    private final EngineHttp http;

    public OpenAiCompletions(EngineHttp http) {
        this.http = http;
    }

    public Multi<StreamEvent> stream(GenerationRequest request, Map<String, Object> extras) {
        Map<String, Object> body = body(request, extras);
        body.put("stream", true);
        body.put("stream_options", Map.of("include_usage", true));
        return Multi.createFrom().deferred(() -> {
            String[] finish = {null};
            Usage[] usage = {Usage.EMPTY};
            return http.sse("/v1/completions", body, request.model())
                    .<StreamEvent>concatMap(chunk -> {
                        usage[0] = usageOf(chunk, usage[0]);
                        JsonNode choice = chunk.path("choices").path(0);
                        if (choice.hasNonNull("finish_reason")) {
                            finish[0] = choice.get("finish_reason").asText();
                        }
                        String text = choice.path("text").asText("");
                        List<TokenLogprob> logprobs = request.logprobs() == null ? List.of()
                                : UpstreamLogprobs.fromCompletion(choice.get("logprobs"), request.logprobs());
                        return text.isEmpty() && logprobs.isEmpty() ? Multi.createFrom().empty()
                                : Multi.createFrom().item(new StreamEvent.Delta(text, null, null, logprobs));
                    })
                    .onCompletion().continueWith(() -> List.of(new StreamEvent.Done(finish[0] == null ? "stop" : finish[0], usage[0])));
        });
    }

    public Uni<GenerationResult> generate(GenerationRequest request, Map<String, Object> extras) {
        return http.postJson("/v1/completions", body(request, extras), request.model()).map(answer -> {
            JsonNode choice = answer.path("choices").path(0);
            return new GenerationResult(choice.path("text").asText(""), null,
                    choice.path("finish_reason").asText("stop"), usageOf(answer, Usage.EMPTY), null,
                    request.logprobs() == null ? null
                            : UpstreamLogprobs.fromCompletion(choice.get("logprobs"), request.logprobs()));
        });
    }

    private static Map<String, Object> body(GenerationRequest request, Map<String, Object> extras) {
        SamplingParams s = request.sampling();
        Map<String, Object> body = new LinkedHashMap<>(EngineHttp.body("model", request.model(), "prompt", request.prompt(),
                "max_tokens", s.maxTokens(), "temperature", s.temperature(), "top_p", s.topP(), "seed", s.seed(),
                "stop", s.stopOrEmpty().isEmpty() ? null : s.stopOrEmpty()));
        UpstreamLogprobs.askCompletion(body, request.logprobs());
        body.putAll(extras);
        return body;
    }

    /** OpenAI {@code usage}, when the chunk has one. */
    public static Usage usageOf(JsonNode chunk, Usage otherwise) {
        JsonNode usage = chunk.get("usage");
        if (usage == null || !usage.isObject()) {
            return otherwise;
        }
        return new Usage(usage.path("prompt_tokens").asInt(0), usage.path("completion_tokens").asInt(0));
    }
}
