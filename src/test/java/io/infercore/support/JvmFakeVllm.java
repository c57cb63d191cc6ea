package io.infercore.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.BodyHandler;

import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A fake vLLM 0.11 OpenAI server on Vert.x, in the test JVM, for load tests: the Python fakes
 * cannot hold hundreds of streams on two cores. It serves what the service asks of vLLM when
 * generating: {@code GET /health}, {@code GET /v1/models} (with {@code max_model_len}) and
 * streamed {@code POST /v1/chat/completions} in vLLM's chunk order: the role chunk, one
 * {@code chat.completion.chunk} per token every {@code tokenDelayMs}, the finish chunk
 * ({@code finish_reason} and {@code stop_reason: null}), the usage chunk with {@code choices: []}
 * when {@code stream_options.include_usage}, then {@code data: [DONE]}. A client that goes away
 * stops its stream (counted in {@link #cancelled()}).
 */
public final class JvmFakeVllm implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> WORDS = List.of("alpha", "bravo", "charlie", "delta", "echo", "foxtrot");

    private final Vertx vertx;
    private final String host;
    private final HttpServer server;
    private final String model;
    private final long tokenDelayMs;
    private final AtomicLong streamsCompleted = new AtomicLong();
    private final AtomicLong tokensSent = new AtomicLong();
    private final AtomicLong cancelled = new AtomicLong();

    private JvmFakeVllm(Vertx vertx, HttpServer server, String model, long tokenDelayMs, String host) {
        this.host = host;
        this.vertx = vertx;
        this.server = server;
        this.model = model;
        this.tokenDelayMs = tokenDelayMs;
    }

    public static JvmFakeVllm start(String model, long tokenDelayMs) throws Exception {
        return start(model, tokenDelayMs, "127.0.0.1", 0);
    }

    /** On {@code host:port} (a loopback address of 127.0.0.0/8 playing a Pod IP; port 0: any free one). */
    public static JvmFakeVllm start(String model, long tokenDelayMs, String host, int port) throws Exception {
        Vertx vertx = Vertx.vertx();
        Router router = Router.router(vertx);
        JvmFakeVllm[] self = new JvmFakeVllm[1];
        router.get("/health").handler(ctx -> ctx.response().setStatusCode(200).end());
        router.get("/v1/models").handler(ctx -> ctx.response().putHeader("content-type", "application/json")
                .end(self[0].models()));
        router.post("/v1/chat/completions").handler(BodyHandler.create(false))
                .handler(ctx -> self[0].chat(ctx.response(), ctx.body().buffer()));
        HttpServer server = vertx.createHttpServer(new HttpServerOptions().setHost(host).setPort(port))
                .requestHandler(router).listen().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        self[0] = new JvmFakeVllm(vertx, server, model, tokenDelayMs, host);
        return self[0];
    }

    public String baseUrl() {
        return "http://" + host + ":" + server.actualPort();
    }

    public int port() {
        return server.actualPort();
    }

    public long streamsCompleted() {
        return streamsCompleted.get();
    }

    public long tokensSent() {
        return tokensSent.get();
    }

    public long cancelled() {
        return cancelled.get();
    }

    private String models() {
        long created = System.currentTimeMillis() / 1000;
        Map<String, Object> card = Map.of("id", model, "object", "model", "created", created, "owned_by", "vllm",
                "root", model, "max_model_len", 32768, "permission", List.of());
        return write(Map.of("object", "list", "data", List.of(card)));
    }

    private void chat(HttpServerResponse response, Buffer raw) {
        JsonNode body;
        try {
            body = JSON.readTree(raw.getBytes());
        } catch (Exception e) {
            response.setStatusCode(400).end("{\"object\":\"error\",\"message\":\"bad JSON\",\"type\":\"BadRequestError\","
                    + "\"param\":null,\"code\":400}");
            return;
        }
        int maxTokens = body.path("max_tokens").asInt(body.path("max_completion_tokens").asInt(16));
        boolean usage = body.path("stream_options").path("include_usage").asBoolean(false);
        String id = "chatcmpl-" + Long.toHexString(System.nanoTime());
        long created = System.currentTimeMillis() / 1000;
        response.setChunked(true).putHeader("content-type", "text/event-stream; charset=utf-8");
        response.write(sse(chunk(id, created, Map.of("role", "assistant", "content", ""), null)));
        int[] sent = {0};
        long timer = vertx.setPeriodic(tokenDelayMs, t -> {
            if (sent[0] < maxTokens) {
                String word = (sent[0] == 0 ? "" : " ") + WORDS.get(sent[0] % WORDS.size());
                response.write(sse(chunk(id, created, Map.of("content", word), null)));
                sent[0]++;
                tokensSent.incrementAndGet();
                return;
            }
            vertx.cancelTimer(t);
            response.write(sse(chunk(id, created, Map.of(), "length")));
            if (usage) {
                ObjectNode last = JSON.createObjectNode().put("id", id).put("object", "chat.completion.chunk")
                        .put("created", created).put("model", model);
                last.putArray("choices");
                last.putObject("usage").put("prompt_tokens", 4).put("total_tokens", 4 + maxTokens)
                        .put("completion_tokens", maxTokens);
                response.write(sse(last));
            }
            response.end("data: [DONE]\n\n");
            streamsCompleted.incrementAndGet();
        });
        response.closeHandler(v -> {
            if (vertx.cancelTimer(timer)) {
                cancelled.incrementAndGet();
            }
        });
    }

    private ObjectNode chunk(String id, long created, Map<String, String> delta, String finish) {
        ObjectNode chunk = JSON.createObjectNode().put("id", id).put("object", "chat.completion.chunk")
                .put("created", created).put("model", model);
        ObjectNode choice = chunk.putArray("choices").addObject().put("index", 0);
        ObjectNode d = choice.putObject("delta");
        delta.forEach(d::put);
        choice.putNull("logprobs");
        choice.put("finish_reason", finish);
        choice.putNull("stop_reason");
        return chunk;
    }

    private static String sse(Object chunk) {
        return "data: " + write(chunk) + "\n\n";
    }

    private static String write(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        vertx.close().toCompletionStage().toCompletableFuture().join();
    }
}
