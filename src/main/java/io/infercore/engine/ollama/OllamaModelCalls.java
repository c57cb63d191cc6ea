package io.infercore.engine.ollama;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.infercore.engine.http.EngineHttp;
import io.infercore.error.ErrorKind;
import io.infercore.error.InfercoreException;
import io.vertx.core.http.HttpMethod;
import io.infercore.supervisor.LaunchFailure;
import io.infercore.supervisor.LaunchPlan;

import java.io.IOException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;

/**
 * The two Ollama calls that make a run's model servable on one Ollama server, shared by the
 * process backend ({@link OllamaDriver}, whose pull goes through the adapter for its byte
 * progress) and the Kubernetes backend (one call per Ollama Pod): {@code POST /api/pull} without
 * streaming, and a load (an empty {@code /api/generate}, or {@code /api/embed} for an embedding
 * model) with {@code keep_alive} -1 so Ollama keeps the model loaded until the run stops. Both
 * go through the one transport ({@link EngineHttp}) and block their worker thread.
 */
final class OllamaModelCalls {

    /** How long a call may take to connect (what the JDK client of before allowed). */
    private static final Duration CONNECT = Duration.ofSeconds(5);

    private final ObjectMapper json = new ObjectMapper();

    /** Pulls the plan's model into the Ollama at {@code baseUrl} (a no-op there when it is on disk already). */
    void pull(String baseUrl, LaunchPlan plan, Duration timeout) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("model", plan.modelName());
        body.put("stream", false);
        post(baseUrl, null, plan.engineType(), "/api/pull", body, timeout, "pull");
    }

    /** Loads the plan's model into the Ollama at {@code baseUrl}, kept loaded ({@code keep_alive} -1 unless the plan says). */
    void load(String baseUrl, LaunchPlan plan, Duration timeout) {
        load(baseUrl, null, plan, timeout);
    }

    /** {@link #load(String, LaunchPlan, Duration)} on a server that wants {@code apiKey} as a Bearer token (a named instance). */
    void load(String baseUrl, String apiKey, LaunchPlan plan, Duration timeout) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("model", plan.modelName());
        if (plan.embedding()) {
            body.put("input", List.of());
        } else {
            body.put("prompt", "");
            body.put("stream", false);
        }
        body.put("keep_alive", plan.engineArgs().getOrDefault("keep_alive", -1));
        Object numCtx = plan.engineArgs().get("num_ctx");
        if (numCtx != null) {
            body.put("options", Map.of("num_ctx", numCtx)); // requests naming the run carry the same value
        }
        post(baseUrl, apiKey, plan.address(), plan.embedding() ? "/api/embed" : "/api/generate", body, timeout, "load");
    }

    private void post(String baseUrl, String apiKey, String engine, String path, Map<String, Object> body, Duration timeout, String what) {
        Object model = body.get("model");
        EngineHttp.Reply response;
        try {
            EngineHttp http = EngineHttp.plain(engine, baseUrl, apiKey, CONNECT, timeout);
            response = EngineHttp.await(http.exchange(HttpMethod.POST, path, json.writeValueAsString(body), timeout));
        } catch (IOException e) {
            throw new IllegalStateException(e); // a map of strings and numbers always serialises
        } catch (CancellationException e) {
            throw new InfercoreException(ErrorKind.ENGINE_UNAVAILABLE, "interrupted during the " + what + " of " + model);
        } catch (InfercoreException e) {
            String why = e.kind() == ErrorKind.UPSTREAM_TIMEOUT ? "no answer within " + timeout.toSeconds() + " s"
                    : e.getMessage();
            throw new LaunchFailure("Ollama at " + baseUrl + " failed to " + what + " '" + model + "': " + why, List.of());
        }
        if (response.statusCode() != 200) {
            String error;
            try {
                error = json.readTree(response.body()).path("error").asText(response.body());
            } catch (IOException notJson) {
                error = response.body();
            }
            throw new LaunchFailure(ErrorKind.UPSTREAM_ERROR, "Ollama at " + baseUrl + " could not " + what + " '"
                    + model + "' (HTTP " + response.statusCode() + "): " + error, List.of());
        }
    }
}
