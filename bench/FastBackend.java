import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;

import java.nio.charset.StandardCharsets;

/**
 * The fast fake backend of the benchmark: an OpenAI-compatible server (vLLM 0.11 wire format)
 * with zero think time and a fixed reply, so that whatever sits in front of it (nginx,
 * infercore) is what gets measured. Written on Vert.x core (the jars the packaged service
 * ships), one event loop, replies prebuilt as buffers.
 *
 * <ul>
 *   <li>{@code GET /v1/models}, {@code GET /health}, {@code GET /version};</li>
 *   <li>{@code POST /v1/chat/completions}: a fixed 8-word answer; with {@code "stream":true} an SSE
 *       stream of TOKENS chunks (role chunk first, one word per chunk, eight words in turn,
 *       INTERVAL_MS apart, 0 = back to back), a finish chunk, then {@code data: [DONE]}. The
 *       request body is only scanned for {@code "stream":true}; the model name is not checked.</li>
 * </ul>
 *
 * <p>Usage: {@code java -cp 'quarkus-app/lib/main/*' bench/FastBackend.java PORT MODEL TOKENS INTERVAL_MS}
 */
public class FastBackend {

    public static void main(String[] args) {
        int port = Integer.parseInt(args[0]);
        String model = args[1];
        int tokens = Integer.parseInt(args[2]);
        long intervalMs = Long.parseLong(args[3]);

        String created = String.valueOf(System.currentTimeMillis() / 1000);
        Buffer models = Buffer.buffer("{\"object\":\"list\",\"data\":[{\"id\":\"" + model
                + "\",\"object\":\"model\",\"created\":" + created + ",\"owned_by\":\"vllm\",\"root\":\"" + model
                + "\",\"parent\":null,\"max_model_len\":32768}]}");
        Buffer chat = Buffer.buffer("{\"id\":\"chatcmpl-bench\",\"object\":\"chat.completion\",\"created\":" + created
                + ",\"model\":\"" + model + "\",\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\","
                + "\"content\":\"alpha bravo charlie delta echo foxtrot golf hotel\",\"reasoning_content\":null,"
                + "\"tool_calls\":[]},\"logprobs\":null,\"finish_reason\":\"length\",\"stop_reason\":null}],"
                + "\"usage\":{\"prompt_tokens\":4,\"total_tokens\":12,\"completion_tokens\":8}}");
        String head = "data: {\"id\":\"chatcmpl-bench\",\"object\":\"chat.completion.chunk\",\"created\":" + created
                + ",\"model\":\"" + model + "\",\"choices\":[{\"index\":0,\"delta\":";
        Buffer roleChunk = Buffer.buffer(head + "{\"role\":\"assistant\",\"content\":\"\"},\"logprobs\":null,"
                + "\"finish_reason\":null}]}\n\n");
        Buffer first = Buffer.buffer(head + "{\"content\":\"tok\"},\"logprobs\":null,\"finish_reason\":null}]}\n\n");
        // the words cycle, as a model's tokens vary: LiteLLM ends a stream whose chunks repeat the
        // same content (its REPEATED_STREAMING_CHUNK_LIMIT, 100), which a real model never sends
        String[] words = {" alpha", " bravo", " charlie", " delta", " echo", " foxtrot", " golf", " hotel"};
        Buffer[] next = new Buffer[words.length];
        for (int w = 0; w < words.length; w++) {
            next[w] = Buffer.buffer(head + "{\"content\":\"" + words[w]
                    + "\"},\"logprobs\":null,\"finish_reason\":null}]}\n\n");
        }
        Buffer finish = Buffer.buffer(head + "{},\"logprobs\":null,\"finish_reason\":\"length\",\"stop_reason\":null}],"
                + "\"usage\":{\"prompt_tokens\":4,\"total_tokens\":" + (tokens + 4) + ",\"completion_tokens\":" + tokens
                + "}}\n\ndata: [DONE]\n\n");
        Buffer health = Buffer.buffer("");
        Buffer version = Buffer.buffer("{\"version\":\"0.11.0\"}");

        Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1).setPreferNativeTransport(true));
        vertx.createHttpServer(new HttpServerOptions().setHost("127.0.0.1").setPort(port).setTcpNoDelay(true)
                .setIdleTimeout(0)).requestHandler(req -> {
            String path = req.path();
            HttpServerResponse res = req.response();
            if (req.method().name().equals("GET")) {
                switch (path) {
                    case "/v1/models" -> json(res, 200, models);
                    case "/health" -> res.setStatusCode(200).end(health);
                    case "/version" -> json(res, 200, version);
                    default -> json(res, 404, Buffer.buffer("{\"error\":{\"message\":\"Not Found\"}}"));
                }
                return;
            }
            if (!path.equals("/v1/chat/completions")) {
                json(res, 404, Buffer.buffer("{\"error\":{\"message\":\"Not Found\"}}"));
                return;
            }
            req.body().onSuccess(body -> {
                String text = body.toString(StandardCharsets.UTF_8);
                if (text.replace(" ", "").contains("\"stream\":true")) {
                    stream(vertx, req, roleChunk, first, next, finish, tokens, intervalMs);
                } else {
                    json(res, 200, chat);
                }
            });
        }).listen().onSuccess(s -> System.out.println("FastBackend listening on 127.0.0.1:" + s.actualPort()))
                .onFailure(e -> {
                    e.printStackTrace();
                    System.exit(1);
                });
    }

    static void json(HttpServerResponse res, int status, Buffer body) {
        res.setStatusCode(status).putHeader("content-type", "application/json").end(body);
    }

    static void stream(Vertx vertx, HttpServerRequest req, Buffer role, Buffer first, Buffer[] next, Buffer finish,
            int tokens, long intervalMs) {
        HttpServerResponse res = req.response();
        res.setChunked(true).putHeader("content-type", "text/event-stream; charset=utf-8")
                .putHeader("cache-control", "no-cache");
        res.write(role);
        if (intervalMs <= 0) {
            for (int i = 0; i < tokens; i++) {
                res.write(i == 0 ? first : next[i % next.length]);
            }
            res.end(finish);
            return;
        }
        int[] sent = {0};
        long[] timer = {0};
        timer[0] = vertx.setPeriodic(intervalMs, intervalMs, id -> {
            if (res.closed() || res.ended()) {
                vertx.cancelTimer(id);
                return;
            }
            res.write(sent[0] == 0 ? first : next[sent[0] % next.length]);
            if (++sent[0] == tokens) {
                vertx.cancelTimer(id);
                res.end(finish);
            }
        });
        res.closeHandler(v -> vertx.cancelTimer(timer[0]));
    }
}
