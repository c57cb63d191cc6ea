package io.infercore.ui;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** The service's API as the tests check it behind the browser's back (plain HTTP, no UI). */
final class Api {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String base;

    Api(String base) {
        this.base = base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
    }

    /** The envelope's data of GET path. */
    JsonNode get(String path) {
        return data(send(HttpRequest.newBuilder(URI.create(url(path))).GET()));
    }

    /** The envelope's data of POST path with a JSON body. */
    JsonNode post(String path, Object body) {
        try {
            return data(send(HttpRequest.newBuilder(URI.create(url(path)))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)))));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A raw POST to any URL (the fake engine's control API); returns the parsed body. */
    JsonNode postRaw(String url, String json) {
        return parse(send(HttpRequest.newBuilder(URI.create(url)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json))));
    }

    JsonNode getRaw(String url) {
        return parse(send(HttpRequest.newBuilder(URI.create(url)).GET()));
    }

    /** The run with this id in GET /api/v1/models/running, or null. */
    JsonNode run(String runId) {
        for (JsonNode run : get("/api/v1/models/running")) {
            if (run.path("run_id").asText().equals(runId)) {
                return run;
            }
        }
        return null;
    }

    private String url(String path) {
        return base + path;
    }

    private String send(HttpRequest.Builder request) {
        try {
            HttpResponse<String> reply = http.send(request.timeout(Duration.ofSeconds(60)).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (reply.statusCode() >= 400) {
                throw new IllegalStateException(request.build().uri() + " answered " + reply.statusCode() + ": " + reply.body());
            }
            return reply.body();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static JsonNode data(String body) {
        return parse(body).path("data");
    }

    private static JsonNode parse(String body) {
        try {
            return JSON.readTree(body);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
