package io.infercore.engine.http;

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
import java.util.function.Consumer;
import java.util.function.UnaryOperator;

/**
 * LangChain4j's HTTP client SPI on {@link EngineHttp}, for one streamed call: what LangChain4j's
 * OpenAI and Ollama streaming models are given through {@code httpClientBuilder(...)}. The
 * transport cuts the stream into payloads ({@link Framing}) and hands each one, unparsed, to
 * LangChain4j's listener, which parses it once; the parser LangChain4j passes is not used, since
 * the cutting is done.
 *
 * <p>Why not LangChain4j's own JDK client: in 1.11 a streaming call can only be cancelled through
 * the handle given with the first partial response, so a call cancelled (or timed out) before its
 * first token would keep its connection open; an error payload inside a 200 stream parses as an
 * empty chunk (OpenAI) or is skipped (Ollama), so a failed generation would end as a normal,
 * shorter answer; and it would be a second HTTP stack with its own pool and timeouts. Here the
 * call is cancellable from the start ({@link Call#cancel()}), error payloads fail it, and
 * timeouts, resends and the breaker are the endpoint's {@link CallPolicy}.
 */
public final class Lc4jHttpClient implements HttpClient {

    /** The cancel switch of one LangChain4j call. */
    public static final class Call {
        private final AtomicBoolean cancelled = new AtomicBoolean();
        private final List<Runnable> onCancel = new CopyOnWriteArrayList<>();
        /**
         * Sees each payload's text before LangChain4j does, to read what LangChain4j drops (e.g.
         * {@code logprobs}); null, the usual case: nothing but LangChain4j reads it.
         */
        private volatile Consumer<String> tap;

        public void tap(Consumer<String> reader) {
            tap = reader;
        }

        void onCancel(Runnable action) {
            onCancel.add(action);
            if (cancelled.get()) {
                action.run();
            }
        }

        public void cancel() {
            if (cancelled.compareAndSet(false, true)) {
                onCancel.forEach(Runnable::run);
            }
        }

        boolean isCancelled() {
            return cancelled.get();
        }
    }

    private final EngineHttp http;
    private final Framing framing;
    private final String model;
    private final Call call;
    private final UnaryOperator<String> body;
    private final UnaryOperator<String> payload;
    private volatile Runnable afterClose = () -> { };

    /**
     * @param body    rewrites the request body LangChain4j wrote (fields it cannot express)
     * @param payload rewrites a payload before LangChain4j reads it (field renames); identity for most
     */
    public Lc4jHttpClient(EngineHttp http, Framing framing, String model, Call call,
                          UnaryOperator<String> body, UnaryOperator<String> payload) {
        this.http = http;
        this.framing = framing;
        this.model = model;
        this.call = call;
        this.body = body;
        this.payload = payload;
    }

    /** Runs once the stream has ended normally and LangChain4j's listener was told (a check that it finished). */
    public void afterClose(Runnable check) {
        this.afterClose = check;
    }

    /** The builder LangChain4j models are given; it hands out this one client. */
    public HttpClientBuilder builder() {
        return new HttpClientBuilder() {
            @Override
            public Duration connectTimeout() {
                return http.endpoint().connect();
            }

            @Override
            public HttpClientBuilder connectTimeout(Duration timeout) {
                return this; // the endpoint's timeouts apply (CallPolicy)
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
                return Lc4jHttpClient.this;
            }
        };
    }

    /** Only streams pass through here; complete answers are mapped by the adapters over {@link EngineHttp}. */
    @Override
    public SuccessfulHttpResponse execute(HttpRequest request) {
        throw new UnsupportedOperationException("this client only streams; whole answers go through EngineHttp");
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
        Cancellable running = http.stream(path(request), body.apply(request.body()), framing, model, true)
                .subscribe().with(data -> {
                    open.run();
                    if (call.tap != null) {
                        call.tap.accept(data);
                    }
                    listener.onEvent(new ServerSentEvent(null, payload.apply(data)), context);
                }, listener::onError, () -> {
                    open.run();
                    listener.onClose();
                    afterClose.run();
                });
        call.onCancel(running::cancel);
    }

    private String path(HttpRequest request) {
        String base = http.endpoint().baseUrl();
        String url = request.url();
        return base != null && url.startsWith(base) ? url.substring(base.length()) : url;
    }
}
