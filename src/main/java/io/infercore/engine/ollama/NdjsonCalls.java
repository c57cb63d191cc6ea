package io.infercore.engine.ollama;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.infercore.config.InfercoreConfig;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.PoolOptions;

import java.io.UncheckedIOException;

/**
 * Starts {@link NdjsonCall}s on one Vert.x HTTP client for one Ollama base URL. The pool is
 * larger than Vert.x's default of 5 so that concurrent streams do not queue in the gateway.
 */
final class NdjsonCalls implements AutoCloseable {

    private static final int MAX_CONNECTIONS = 64;

    private final Vertx vertx;
    private final HttpClient http;
    private final ObjectMapper mapper;
    private final String baseUrl;
    private final InfercoreConfig.Timeouts timeouts;

    NdjsonCalls(Vertx vertx, ObjectMapper mapper, String baseUrl, InfercoreConfig.Timeouts timeouts) {
        this.vertx = vertx;
        this.mapper = mapper;
        this.baseUrl = baseUrl;
        this.timeouts = timeouts;
        this.http = vertx.createHttpClient(new HttpClientOptions()
                        .setConnectTimeout((int) Math.min(Integer.MAX_VALUE, timeouts.connect().toMillis()))
                        .setKeepAlive(true),
                new PoolOptions().setHttp1MaxSize(MAX_CONNECTIONS));
    }

    /** POSTs {@code body} to {@code url} (absolute) and streams the answer's lines into {@code sink}. */
    NdjsonCall start(String model, String url, String body, NdjsonCall.Sink sink) {
        return new NdjsonCall(vertx, http, mapper, baseUrl, model, timeouts, sink).start(url, body);
    }

    String errorText(String body) {
        return NdjsonCall.errorText(mapper, body);
    }

    String write(Object value) {
        try {
            return mapper.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    JsonNode readTree(String json) {
        try {
            return mapper.readTree(json);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    <T> T convert(JsonNode node, Class<T> type) {
        try {
            return mapper.treeToValue(node, type);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        http.close();
    }
}
