package io.infercore.supervisor;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.infercore.error.ErrorKind;
import io.infercore.error.InfercoreException;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The two Ollama calls that make a run's model servable on one Ollama server, shared by the
 * process backend ({@link OllamaDriver}, whose pull goes through the adapter for its byte
 * progress) and the Kubernetes backend (one call per Ollama Pod): {@code POST /api/pull} without
 * streaming, and a load (an empty {@code /api/generate}, or {@code /api/embed} for an embedding
 * model) with {@code keep_alive} -1 so Ollama keeps the model loaded until the run stops.
 */
final class OllamaModelCalls {

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final ObjectMapper json = new ObjectMapper();

    /** Pulls the plan's model into the Ollama at {@code baseUrl} (a no-op there when it is on disk already). */
    void pull(String baseUrl, LaunchPlan plan, Duration timeout) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("model", plan.modelName());
        body.put("stream", false);
        post(baseUrl, "/api/pull", body, timeout, "pull");
    }

    /** Loads the plan's model into the Ollama at {@code baseUrl}, kept loaded ({@code keep_alive} -1 unless the plan says). */
    void load(String baseUrl, LaunchPlan plan, Duration timeout) {
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
        post(baseUrl, plan.embedding() ? "/api/embed" : "/api/generate", body, timeout, "load");
    }

    private void post(String baseUrl, String path, Map<String, Object> body, Duration timeout, String what) {
        Object model = body.get("model");
        try {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(baseUrl + path))
                    .timeout(timeout).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(json.writeValueAsString(body))).build(),
                    HttpResponse.BodyHandlers.ofString());
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
        } catch (IOException e) {
            throw new LaunchFailure("Ollama at " + baseUrl + " failed to " + what + " '" + model + "': " + e, List.of());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InfercoreException(ErrorKind.ENGINE_UNAVAILABLE, "interrupted during the " + what + " of " + model);
        }
    }
}
