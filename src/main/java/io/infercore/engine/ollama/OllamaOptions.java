package io.infercore.engine.ollama;

import io.infercore.engine.GenerationRequest;
import io.infercore.engine.SamplingParams;
import io.infercore.error.ErrorKind;
import io.infercore.error.InfercoreException;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A request's sampling settings and {@code engine_args}, checked and typed for Ollama. The same
 * set is accepted on {@code /api/generate} and {@code /api/chat}: Ollama {@code options} that
 * LangChain4j 1.11's {@code OllamaChatRequestParameters} can carry, plus {@code keep_alive}
 * (seconds) and {@code truncate}. Any other key is refused with {@link ErrorKind#UNSUPPORTED}
 * naming it, so a typo never silently does nothing.
 *
 * <p>{@code truncate} defaults to false: Ollama otherwise drops the start of a prompt that does
 * not fit {@code num_ctx} without telling anyone; we prefer the 400 with the numbers.
 */
record OllamaOptions(Integer numPredict, Double temperature, Double topP, List<String> stop, Integer seed,
                     Integer topK, Double minP, Double repeatPenalty, Integer repeatLastN, Integer numCtx,
                     Integer mirostat, Double mirostatEta, Double mirostatTau, Integer keepAlive, boolean truncate) {

    /** The accepted {@code engine_args} keys. */
    static final Set<String> ENGINE_ARGS = Set.of("top_k", "min_p", "repeat_penalty", "repeat_last_n", "num_ctx",
            "mirostat", "mirostat_eta", "mirostat_tau", "keep_alive", "truncate");

    static OllamaOptions of(GenerationRequest request) {
        Map<String, Object> args = request.engineArgs();
        for (String key : args.keySet()) {
            if (!ENGINE_ARGS.contains(key)) {
                throw new InfercoreException(ErrorKind.UNSUPPORTED, "engine_args." + key
                        + " is not supported by the ollama engine; supported: " + ENGINE_ARGS.stream().sorted().toList(),
                        "engine_args", null);
            }
        }
        SamplingParams s = request.sampling();
        Boolean truncate = bool(args, "truncate");
        return new OllamaOptions(s.maxTokens(), s.temperature(), s.topP(), s.stopOrEmpty().isEmpty() ? null : s.stopOrEmpty(),
                seed(s.seed()), integer(args, "top_k"), number(args, "min_p"), number(args, "repeat_penalty"),
                integer(args, "repeat_last_n"), integer(args, "num_ctx"), integer(args, "mirostat"),
                number(args, "mirostat_eta"), number(args, "mirostat_tau"), integer(args, "keep_alive"),
                Boolean.TRUE.equals(truncate));
    }

    /** Ollama's {@code options} object for {@code /api/generate} (null fields left out). */
    Map<String, Object> asOptionsMap() {
        Map<String, Object> options = new LinkedHashMap<>();
        put(options, "num_predict", numPredict);
        put(options, "temperature", temperature);
        put(options, "top_p", topP);
        put(options, "stop", stop);
        put(options, "seed", seed);
        put(options, "top_k", topK);
        put(options, "min_p", minP);
        put(options, "repeat_penalty", repeatPenalty);
        put(options, "repeat_last_n", repeatLastN);
        put(options, "num_ctx", numCtx);
        put(options, "mirostat", mirostat);
        put(options, "mirostat_eta", mirostatEta);
        put(options, "mirostat_tau", mirostatTau);
        return options.isEmpty() ? null : options;
    }

    private static void put(Map<String, Object> map, String key, Object value) {
        if (value != null) {
            map.put(key, value);
        }
    }

    /** LangChain4j carries the seed as a 32-bit integer; a larger one is refused rather than altered. */
    private static Integer seed(Long seed) {
        if (seed == null) {
            return null;
        }
        if (seed < Integer.MIN_VALUE || seed > Integer.MAX_VALUE) {
            throw InfercoreException.invalid("seed", "seed must fit in 32 bits on the ollama engine, got " + seed);
        }
        return seed.intValue();
    }

    private static Integer integer(Map<String, Object> args, String key) {
        Object value = args.get(key);
        if (value == null) {
            return null;
        }
        if (value instanceof Number n && n.doubleValue() == Math.rint(n.doubleValue())
                && Math.abs(n.doubleValue()) <= Integer.MAX_VALUE) {
            return n.intValue();
        }
        throw InfercoreException.invalid("engine_args", "engine_args." + key + " must be an integer, got " + value);
    }

    private static Double number(Map<String, Object> args, String key) {
        Object value = args.get(key);
        if (value == null) {
            return null;
        }
        if (value instanceof Number n && Double.isFinite(n.doubleValue())) {
            return n.doubleValue();
        }
        throw InfercoreException.invalid("engine_args", "engine_args." + key + " must be a number, got " + value);
    }

    private static Boolean bool(Map<String, Object> args, String key) {
        Object value = args.get(key);
        if (value == null || value instanceof Boolean) {
            return (Boolean) value;
        }
        throw InfercoreException.invalid("engine_args", "engine_args." + key + " must be true or false, got " + value);
    }
}
