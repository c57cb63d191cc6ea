package io.infercore.engine.openai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.langchain4j.http.client.HttpClient;
import dev.langchain4j.http.client.HttpClientBuilder;
import dev.langchain4j.http.client.HttpRequest;
import dev.langchain4j.http.client.SuccessfulHttpResponse;
import dev.langchain4j.http.client.sse.ServerSentEvent;
import dev.langchain4j.http.client.sse.ServerSentEventContext;
import dev.langchain4j.http.client.sse.ServerSentEventListener;
import dev.langchain4j.http.client.sse.ServerSentEventParser;
import dev.langchain4j.http.client.sse.ServerSentEventParsingHandle;
import io.smallrye.mutiny.subscription.Cancellable;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * LangChain4j's HTTP client SPI, served by {@link UpstreamHttp}, for one call.
 *
 * <p>Why not LangChain4j's own JDK client: in 1.11 a streaming call can only be cancelled
 * through the {@code StreamingHandle} handed to the first partial response, so a call cancelled
 * (or timed out) before its first token keeps its connection open; and an SSE chunk
 * {@code data: {"error":...}} parses as an empty chunk, so a mid-stream failure would end as a
 * normal, shorter answer. Here the call is cancellable from the start ({@link Call#cancel()}),
 * error chunks fail the call, and everything is mapped by {@code UpstreamErrors}. vLLM's newer
 * {@code reasoning} field is renamed to the {@code reasoning_content} LangChain4j reads.
 */
final class Lc4jTransport implements HttpClient {

    /** The cancel switch of one LangChain4j call. */
    static final class Call {
        private final AtomicBoolean cancelled = new AtomicBoolean();
        private final List<Runnable> onCancel = new CopyOnWriteArrayList<>();
        /** Reads each chunk before LangChain4j does (what it drops, e.g. {@code logprobs}); null: nothing to read. */
        private volatile java.util.function.Consumer<JsonNode> tap;

        void tap(java.util.function.Consumer<JsonNode> reader) {
            tap = reader;
        }

        void onCancel(Runnable action) {
            onCancel.add(action);
            if (cancelled.get()) {
                action.run();
            }
        }

        void cancel() {
            if (cancelled.compareAndSet(false, true)) {
                onCancel.forEach(Runnable::run);
            }
        }

        boolean isCancelled() {
            return cancelled.get();
        }
    }

    private final UpstreamHttp http;
    private final String model;
    private final Call call;

    Lc4jTransport(UpstreamHttp http, String model, Call call) {
        this.http = http;
        this.model = model;
        this.call = call;
    }

    /** The builder LangChain4j models are given; it hands out this one transport. */
    HttpClientBuilder builder() {
        return new HttpClientBuilder() {
            @Override
            public Duration connectTimeout() {
                return http.endpoint().connect();
            }

            @Override
            public HttpClientBuilder connectTimeout(Duration timeout) {
                return this;
            }

            @Override
            public Duration readTimeout() {
                return http.endpoint().firstToken();
            }

            @Override
            public HttpClientBuilder readTimeout(Duration timeout) {
                return this;
            }

            @Override
            public HttpClient build() {
                return Lc4jTransport.this;
            }
        };
    }

    /** Only streams pass through here; a complete chat maps LangChain4j's wire classes itself ({@link OpenAiChat#generate}). */
    @Override
    public SuccessfulHttpResponse execute(HttpRequest request) {
        throw new UnsupportedOperationException("the OpenAI-compatible transport only streams /v1/chat/completions");
    }

    @Override
    public void execute(HttpRequest request, ServerSentEventParser parser, ServerSentEventListener listener) {
        ServerSentEventContext context = new ServerSentEventContext(new ServerSentEventParsingHandle() {
            @Override
            public void cancel() {
                call.cancel();
            }

            @Override
            public boolean isCancelled() {
                return call.isCancelled();
            }
        });
        AtomicBoolean opened = new AtomicBoolean();
        Runnable open = () -> {
            if (opened.compareAndSet(false, true)) {
                listener.onOpen(SuccessfulHttpResponse.builder().statusCode(200).headers(Map.of()).build());
            }
        };
        Cancellable running = http.sse(path(request), request.body(), model).subscribe().with(chunk -> {
            open.run();
            if (call.tap != null) {
                call.tap.accept(chunk);
            }
            listener.onEvent(new ServerSentEvent(null, normalize(chunk).toString()), context);
        }, listener::onError, () -> {
            open.run();
            listener.onClose();
        });
        call.onCancel(running::cancel);
    }

    private String path(HttpRequest request) {
        String base = http.endpoint().baseUrl();
        String url = request.url();
        return base != null && url.startsWith(base) ? url.substring(base.length()) : url;
    }

    /** Copies {@code reasoning} (vLLM ≥ 0.10.2, Ollama /v1) to {@code reasoning_content} where only the former is set. */
    static JsonNode normalize(JsonNode chunk) {
        for (JsonNode choice : chunk.path("choices")) {
            for (String part : new String[] {"delta", "message"}) {
                if (choice.get(part) instanceof ObjectNode node && node.hasNonNull("reasoning")
                        && !node.hasNonNull("reasoning_content")) {
                    node.set("reasoning_content", node.get("reasoning"));
                }
            }
        }
        return chunk;
    }
}
