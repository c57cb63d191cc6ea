import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;

import java.net.URI;
import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The benchmark's load generator: a small asynchronous HTTP/1.1 client on Vert.x core (one event
 * loop, keep-alive connections, no pipelining). Every latency is kept (no sampling) and the
 * percentiles are exact. Each run prints one JSON object on stdout.
 *
 * <ul>
 *   <li>{@code rate URL BODY RATE SECONDS CONNS}: open loop at a fixed rate. Request i is due at
 *       {@code start + i/RATE}; its latency counts from that due time, not from when it was
 *       actually sent, so a stalled server is not hidden (no coordinated omission). A request that
 *       finds all CONNS connections busy waits in the client's queue, and that wait counts. What is
 *       still unanswered {@code -Ddrain.grace.ms} (30 s) after the last request was due counts as
 *       errors ({@code timed_out}), so a target that cannot hold the rate still gets a row.</li>
 *   <li>{@code sat URL BODY SECONDS CONNS}: closed loop, CONNS requests always in flight; the
 *       throughput is the saturation rate of whatever answers.</li>
 *   <li>{@code sse URL BODY STREAMS}: STREAMS streams opened at once; the arrival time of every
 *       {@code data:} event is recorded, giving tokens/s (all {@code data:} events except
 *       {@code [DONE]}, first to last byte of the run) and the inter-token gaps. Streams still open
 *       after {@code -Dsse.timeout.seconds} (120) count as errors ({@code timed_out}).</li>
 * </ul>
 * A warm-up ({@code -Dwarmup.seconds}, default 2, or one round of streams) runs first and is not counted.
 */
public class LoadClient {

    static final double WARMUP = Double.parseDouble(System.getProperty("warmup.seconds", "2"));
    /** How long a fixed-rate run waits for its last answers after the last request was due. */
    static final long DRAIN_GRACE_MS = Long.parseLong(System.getProperty("drain.grace.ms", "30000"));
    /** How long a round of streams may take before the streams still open count as errors. */
    static final long SSE_TIMEOUT_S = Long.parseLong(System.getProperty("sse.timeout.seconds", "120"));
    static Vertx vertx;
    static HttpClient client;
    static URI uri;
    static Buffer body;

    public static void main(String[] args) throws Exception {
        String mode = args[0];
        uri = URI.create(args[1]);
        body = Buffer.buffer(args[2]);
        int conns = Integer.parseInt(args[mode.equals("sse") ? 3 : args.length - 1]);
        vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1));
        client = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(true).setTcpNoDelay(true)
                        .setDefaultHost(uri.getHost()).setDefaultPort(uri.getPort()).setIdleTimeout(0),
                new PoolOptions().setHttp1MaxSize(conns).setMaxWaitQueueSize(-1));
        String result = switch (mode) {
            case "rate" -> {
                double rate = Double.parseDouble(args[3]);
                rate(rate, WARMUP);
                yield rate(rate, Double.parseDouble(args[4]));
            }
            case "sat" -> {
                sat(conns, WARMUP);
                yield sat(conns, Double.parseDouble(args[3]));
            }
            case "sse" -> {
                sse(conns);
                yield sse(conns);
            }
            default -> throw new IllegalArgumentException("mode: rate | sat | sse");
        };
        System.out.println(result);
        System.exit(0);
    }

    static RequestOptions post(String accept) {
        return new RequestOptions().setMethod(HttpMethod.POST).setURI(uri.getRawPath())
                .putHeader("content-type", "application/json").putHeader("accept", accept);
    }

    /** One request; {@code done} gets the status code (or -1 on a transport error) when the body has arrived. */
    static void send(java.util.function.IntConsumer done) {
        client.request(post("application/json"))
                .compose(req -> req.send(body))
                .compose(res -> res.body().map(b -> res.statusCode()))
                .onComplete(ar -> done.accept(ar.succeeded() ? ar.result() : -1));
    }

    static String rate(double rate, double seconds) throws InterruptedException {
        int total = (int) Math.round(rate * seconds);
        long[] lat = new long[total];
        AtomicLong errors = new AtomicLong();
        CountDownLatch finished = new CountDownLatch(total);
        long start = System.nanoTime() + 20_000_000L;
        long periodNs = (long) (1e9 / rate);
        int[] issued = {0};
        vertx.setPeriodic(1, id -> {
            long now = System.nanoTime();
            while (issued[0] < total && start + issued[0] * periodNs <= now) {
                int i = issued[0]++;
                long due = start + i * periodNs;
                send(status -> {
                    lat[i] = System.nanoTime() - due;
                    if (status != 200) {
                        errors.incrementAndGet();
                    }
                    finished.countDown();
                });
            }
            if (issued[0] == total) {
                vertx.cancelTimer(id);
            }
        });
        // A target that cannot hold the rate is reported, not dropped: after the run's length plus
        // a grace period, what is still outstanding counts as errors, with the time waited so far as
        // its latency (a lower bound), and the achieved rate counts the answers only.
        boolean drained = finished.await((long) (seconds * 1000) + DRAIN_GRACE_MS, TimeUnit.MILLISECONDS);
        long now = System.nanoTime();
        double wall = (now - start) / 1e9;
        long outstanding = drained ? 0 : finished.getCount();
        long[] copy = Arrays.copyOf(lat, total);
        if (!drained) {
            for (int i = 0; i < total; i++) {
                if (copy[i] == 0) {
                    copy[i] = now - (start + i * periodNs);
                }
            }
        }
        return String.format(Locale.ROOT, "{\"mode\":\"rate\",\"target_rps\":%.0f,\"requests\":%d,\"errors\":%d,"
                + "\"timed_out\":%d,\"achieved_rps\":%.1f,%s}", rate, total, errors.get() + outstanding, outstanding,
                (total - outstanding) / wall, percentiles(copy, total));
    }

    static String sat(int conns, double seconds) throws InterruptedException {
        long end = System.nanoTime() + (long) (seconds * 1e9);
        long[] lat = new long[4_000_000];
        AtomicLong count = new AtomicLong();
        AtomicLong errors = new AtomicLong();
        CountDownLatch finished = new CountDownLatch(conns);
        long start = System.nanoTime();
        for (int c = 0; c < conns; c++) {
            vertx.runOnContext(v -> loop(end, lat, count, errors, finished));
        }
        finished.await();
        double wall = (System.nanoTime() - start) / 1e9;
        int n = (int) Math.min(count.get(), lat.length);
        return String.format(Locale.ROOT, "{\"mode\":\"sat\",\"conns\":%d,\"requests\":%d,\"errors\":%d,"
                + "\"rps\":%.1f,%s}", conns, count.get(), errors.get(), count.get() / wall, percentiles(lat, n));
    }

    static void loop(long end, long[] lat, AtomicLong count, AtomicLong errors, CountDownLatch finished) {
        long t0 = System.nanoTime();
        if (t0 >= end) {
            finished.countDown();
            return;
        }
        send(status -> {
            long i = count.getAndIncrement();
            if (i < lat.length) {
                lat[(int) i] = System.nanoTime() - t0;
            }
            if (status != 200) {
                errors.incrementAndGet();
            }
            loop(end, lat, count, errors, finished);
        });
    }

    static String sse(int streams) throws InterruptedException {
        long[][] arrivals = new long[streams][];
        int[] counts = new int[streams];
        AtomicLong errors = new AtomicLong();
        CountDownLatch finished = new CountDownLatch(streams);
        long start = System.nanoTime();
        for (int s = 0; s < streams; s++) {
            int id = s;
            arrivals[id] = new long[1024];
            client.request(post("text/event-stream")).compose(req -> req.send(body)).onComplete(ar -> {
                if (ar.failed() || ar.result().statusCode() != 200) {
                    errors.incrementAndGet();
                    finished.countDown();
                    return;
                }
                StringBuilder pending = new StringBuilder();
                ar.result().handler(chunk -> {
                    long now = System.nanoTime();
                    pending.append(chunk.toString());
                    int cut;
                    while ((cut = pending.indexOf("\n\n")) >= 0) {
                        String event = pending.substring(0, cut);
                        pending.delete(0, cut + 2);
                        for (String line : event.split("\n")) {
                            if (line.startsWith("data:") && !line.contains("[DONE]") && isToken(line)) {
                                if (counts[id] == arrivals[id].length) {
                                    arrivals[id] = Arrays.copyOf(arrivals[id], counts[id] * 2);
                                }
                                arrivals[id][counts[id]++] = now;
                            }
                        }
                    }
                });
                ar.result().endHandler(v -> finished.countDown());
                ar.result().exceptionHandler(e -> {
                    errors.incrementAndGet();
                    finished.countDown();
                });
            });
        }
        // A target that relays too slowly is reported, not dropped: streams still open after
        // -Dsse.timeout.seconds count as errors (timed_out), their tokens so far are counted.
        boolean done = finished.await(SSE_TIMEOUT_S, TimeUnit.SECONDS);
        long unfinished = done ? 0 : finished.getCount();
        int[] n = counts.clone();
        long last = 0;
        long tokens = 0;
        int gapsCount = 0;
        for (int s = 0; s < streams; s++) {
            gapsCount += Math.max(0, n[s] - 1);
        }
        long[] gaps = new long[gapsCount];
        int g = 0;
        double[] perStream = new double[streams];
        for (int s = 0; s < streams; s++) {
            tokens += n[s];
            if (n[s] > 0) {
                last = Math.max(last, arrivals[s][n[s] - 1]);
            }
            for (int i = 1; i < n[s]; i++) {
                gaps[g++] = arrivals[s][i] - arrivals[s][i - 1];
            }
            perStream[s] = n[s] > 1 ? (n[s] - 1) / ((arrivals[s][n[s] - 1] - arrivals[s][0]) / 1e9) : 0;
        }
        Arrays.sort(perStream);
        double wall = (last - start) / 1e9;
        return String.format(Locale.ROOT, "{\"mode\":\"sse\",\"streams\":%d,\"errors\":%d,\"timed_out\":%d,"
                + "\"tokens\":%d,\"tok_s\":%.1f,\"stream_tok_s_p50\":%.1f,%s}", streams, errors.get() + unfinished,
                unfinished, tokens, tokens / wall, perStream[streams / 2],
                percentiles(gaps, gaps.length).replace("\"p", "\"gap_p").replace("\"m", "\"gap_m"));
    }

    /**
     * A {@code data:} line that carries generated text: infercore's {@code event: delta} payload
     * {@code {"text":...}} or an OpenAI chunk with a non-empty {@code delta.content}.
     */
    static boolean isToken(String line) {
        String compact = line.replace("\": \"", "\":\"");  // a peer may write JSON with ": " separators
        return compact.contains("\"text\"")
                || (compact.contains("\"content\":\"") && !compact.contains("\"content\":\"\""));
    }

    /** {@code "p50_ms":..,"p90_ms":..,"p99_ms":..,"p999_ms":..,"max_ms":..,"mean_ms":..} over the first n values. */
    static String percentiles(long[] values, int n) {
        if (n == 0) {
            return "\"p50_ms\":null,\"p90_ms\":null,\"p99_ms\":null,\"p999_ms\":null,\"max_ms\":null,\"mean_ms\":null";
        }
        long[] v = Arrays.copyOf(values, n);
        Arrays.sort(v);
        double sum = 0;
        for (long x : v) {
            sum += x;
        }
        return String.format(Locale.ROOT, "\"p50_ms\":%.3f,\"p90_ms\":%.3f,\"p99_ms\":%.3f,\"p999_ms\":%.3f,"
                + "\"max_ms\":%.3f,\"mean_ms\":%.3f", at(v, 0.50), at(v, 0.90), at(v, 0.99), at(v, 0.999),
                v[n - 1] / 1e6, sum / n / 1e6);
    }

    static double at(long[] sorted, double q) {
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(q * sorted.length) - 1)] / 1e6;
    }
}
