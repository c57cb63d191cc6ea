package io.infercore.supervisor;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

import java.util.List;
import java.util.Map;

/**
 * What a start request may set for one catalog model, size and engine, as the engine's
 * {@link EngineLauncher} rules it: the web UI's launch form offers exactly this, and the server
 * still checks every request.
 *
 * @param ok            whether the size can run on the engine at all
 * @param why           when not: a code saying why ({@code no_hf_repo}, {@code no_ollama_name},
 *                      {@code no_gguf}, {@code builtin_embedding}, {@code not_launchable})
 * @param quantizations values {@code quantization} may take (empty: leave it out)
 * @param formats       values {@code format} may take (empty: leave it out)
 * @param gpu           the {@code n_gpu} range and default, null when the engine places layers itself
 * @param replicas      the {@code replicas} range (max 1: fixed)
 * @param thinking      {@code enable_thinking} values besides the default: {@code on}, {@code off}
 * @param source        what the engine would load (repo, directory, Ollama name, GGUF)
 * @param engineArgs    the launch arguments {@code engine_args} may set, each with its kind
 *                      ({@code int}, {@code non_negative_int}, {@code flag}, {@code on_off},
 *                      {@code token}, {@code path}, {@code duration})
 * @param attachedTo    the configured server the run would attach to (then nothing else applies)
 */
@JsonInclude(JsonInclude.Include.ALWAYS)
public record LaunchOptions(String engine, boolean ok, String why, List<String> quantizations, List<String> formats,
                            Range gpu, Range replicas, List<String> thinking, String source,
                            @JsonProperty("engine_args") Map<String, String> engineArgs,
                            @JsonProperty("attached_to") String attachedTo) {

    /** An inclusive range with the value the form starts at. */
    public record Range(int min, int max, int value) {
    }

    /** An engine that cannot run this size, with the code saying why. */
    public static LaunchOptions refused(String engine, String why) {
        return new LaunchOptions(engine, false, why, List.of(), List.of(), null, new Range(1, 1, 1), List.of(), null,
                Map.of(), null);
    }
}
