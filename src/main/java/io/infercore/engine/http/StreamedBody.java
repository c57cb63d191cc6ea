package io.infercore.engine.http;

import io.vertx.core.Context;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.net.ProtocolException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An answer whose body a worker thread reads as it arrives, through a blocking {@link InputStream}
 * (long downloads written to disk, see {@link EngineHttp#openGet}). The event loop queues the
 * body's buffers and pauses the response when {@link #HIGH} are waiting; the reader resumes it
 * when it has caught up, so memory stays bounded whatever the file's size. A read waits at most
 * {@code idle} for the next bytes, then fails with a {@link SocketTimeoutException}, as a JDK
 * connection's read timeout did. Closing before the end resets the request (the connection is
 * closed rather than drained).
 */
public final class StreamedBody implements Closeable {

    /** Statuses followed as {@code java.net.HttpURLConnection} follows them (not 304, 305, 306, 308). */
    private static final Set<Integer> REDIRECTS = Set.of(300, 301, 302, 303, 307);
    /** {@code HttpURLConnection}'s default {@code http.maxRedirects}. */
    static final int MAX_REDIRECTS = 20;
    private static final int HIGH = 32;
    private static final int LOW = 8;
    private static final Object END = new Object();

    private final HttpClientRequest request;
    private final HttpClientResponse response;
    private final Context context;
    private final Duration idle;
    private final BlockingQueue<Object> queue = new LinkedBlockingQueue<>();
    private final AtomicInteger buffers = new AtomicInteger();
    private final InputStream body = new Body();
    private volatile boolean ended;
    private volatile boolean closed;

    /** Called on the response's context, before any of its body can arrive. */
    private StreamedBody(HttpClientRequest request, HttpClientResponse response, Context context, Duration idle) {
        this.request = request;
        this.response = response;
        this.context = context;
        this.idle = idle;
        response.handler(buffer -> {
            queue.add(buffer);
            if (buffers.incrementAndGet() == HIGH) {
                response.pause();
            }
        });
        response.endHandler(v -> {
            ended = true;
            queue.add(END);
        });
        response.exceptionHandler(queue::add);
    }

    public int status() {
        return response.statusCode();
    }

    /** A response header, or null. */
    public String header(String name) {
        return response.getHeader(name);
    }

    /** The body's announced length, -1 when unknown (chunked, or no {@code Content-Length}). */
    public long contentLength() {
        String length = response.getHeader("Content-Length");
        try {
            return length == null ? -1 : Long.parseLong(length.strip());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** The body as it arrives; each read waits at most the idle limit. */
    public InputStream body() {
        return body;
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            if (!ended) {
                context.runOnContext(v -> request.reset());
            }
        }
    }

    /**
     * {@code GET uri} with {@code headers}, waiting at most {@code idle} for each answer's head;
     * redirects are followed like {@code HttpURLConnection} follows them: 300–303 and 307 with a
     * {@code Location}, never to another scheme (that answer is returned as it is), at most
     * {@value #MAX_REDIRECTS} times, and the {@code Authorization} header is not sent on when the
     * host or port changes.
     */
    static StreamedBody get(HttpClient client, Context context, URI uri, Map<String, String> headers,
                            Duration connect, Duration idle) throws IOException {
        MultiMap sent = MultiMap.caseInsensitiveMultiMap().addAll(headers);
        URI current = uri;
        for (int redirects = 0; ; redirects++) {
            StreamedBody answer = once(client, context, current, sent, connect, idle);
            String location = REDIRECTS.contains(answer.status()) ? answer.header("Location") : null;
            if (location == null) {
                return answer;
            }
            URI next = current.resolve(location.strip());
            if (next.getScheme() == null || !next.getScheme().equalsIgnoreCase(current.getScheme())) {
                return answer;
            }
            answer.close();
            if (redirects + 1 >= MAX_REDIRECTS) {
                throw new ProtocolException("Server redirected too many times (" + MAX_REDIRECTS + ")");
            }
            if (!sameDestination(current, next)) {
                sent.remove("Authorization");
            }
            current = next;
        }
    }

    private static StreamedBody once(HttpClient client, Context context, URI uri, MultiMap headers,
                                     Duration connect, Duration idle) throws IOException {
        RequestOptions options = new RequestOptions().setMethod(HttpMethod.GET).setAbsoluteURI(uri.toString())
                .setConnectTimeout(connect.toMillis()).setHeaders(MultiMap.caseInsensitiveMultiMap().addAll(headers));
        CompletableFuture<StreamedBody> head = new CompletableFuture<>();
        context.runOnContext(v -> client.request(options).onComplete(opened -> {
            if (opened.failed()) {
                head.completeExceptionally(opened.cause());
                return;
            }
            HttpClientRequest request = opened.result();
            if (head.isDone()) {
                request.reset(); // the reader gave up waiting
                return;
            }
            request.send().onComplete(answered -> {
                if (answered.failed()) {
                    head.completeExceptionally(answered.cause());
                    return;
                }
                StreamedBody answer = new StreamedBody(request, answered.result(), context, idle);
                if (!head.complete(answer)) {
                    request.reset();
                }
            });
        }));
        try {
            return head.get(connect.plus(idle).toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            abandon(head);
            throw new SocketTimeoutException("no answer from " + uri.getHost() + " within " + idle.toSeconds() + " s");
        } catch (InterruptedException e) {
            abandon(head);
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting for " + uri.getHost());
        } catch (ExecutionException e) {
            throw io(e.getCause());
        }
    }

    private static void abandon(CompletableFuture<StreamedBody> head) {
        if (!head.completeExceptionally(new InterruptedIOException("abandoned"))) {
            head.thenAccept(StreamedBody::close);
        }
    }

    private static boolean sameDestination(URI a, URI b) {
        return a.getHost() != null && a.getHost().equalsIgnoreCase(b.getHost()) && port(a) == port(b);
    }

    private static int port(URI uri) {
        return uri.getPort() != -1 ? uri.getPort() : "https".equals(uri.getScheme().toLowerCase(Locale.ROOT)) ? 443 : 80;
    }

    /** A transport failure as the {@link IOException} blocking readers expect (refused: a {@code ConnectException}). */
    static IOException io(Throwable failure) {
        if (failure instanceof IOException e) {
            return e;
        }
        if (failure instanceof UncheckedIOException e) {
            return e.getCause();
        }
        if (failure instanceof TimeoutException) {
            return new SocketTimeoutException(failure.getMessage());
        }
        String message = failure.getMessage() == null ? failure.getClass().getSimpleName() : failure.getMessage();
        return new IOException(message, failure);
    }

    private final class Body extends InputStream {
        private Buffer current;
        private int position;

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] into, int offset, int length) throws IOException {
            if (length == 0) {
                return 0;
            }
            while (current == null || position == current.length()) {
                if (closed) {
                    throw new IOException("closed");
                }
                Object next;
                try {
                    next = queue.poll(idle.toMillis(), TimeUnit.MILLISECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new InterruptedIOException("interrupted");
                }
                if (next == null) {
                    throw new SocketTimeoutException("Read timed out");
                }
                if (next == END) {
                    queue.add(END); // every later read sees the end too
                    return -1;
                }
                if (next instanceof Throwable failure) {
                    queue.add(failure);
                    throw io(failure);
                }
                current = (Buffer) next;
                position = 0;
                if (buffers.decrementAndGet() == LOW) {
                    context.runOnContext(v -> response.resume());
                }
            }
            int n = Math.min(length, current.length() - position);
            current.getBytes(position, position + n, into, offset);
            position += n;
            return n;
        }
    }
}
