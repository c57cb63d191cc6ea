package io.infercore.it;

import io.infercore.support.JvmFakeVllm;
import io.infercore.support.ServiceProcess;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Many concurrent SSE streams through the packaged service to a fake vLLM 0.11 ({@link JvmFakeVllm}):
 * each of {@code load.streams} clients streams {@code /api/v1/llm/chat} answers back to back for
 * {@code load.seconds}, for {@code load.rounds} rounds after a warm-up. Every stream must end
 * with {@code done} and the expected token count (zero errors); after each round, heap after a
 * full GC must not grow beyond the first round's and open file descriptors must stay at the
 * warm-up's; threads may grow with the load (the upstream HTTP clients' pool) but must fall back
 * to the idle service's count once the load is over.
 *
 * <p>Defaults are the short form run by {@code ./mvnw verify} (200 streams, 10 s, 2 rounds); the
 * full run is {@code -Dload.streams=500 -Dload.seconds=60 -Dload.rounds=3}. Figures are printed and
 * written to {@code load-report.txt} in the build directory.
 */
class StreamLoadIT {

    static final String MODEL = "Qwen/Qwen2-0.5B-Instruct";
    static final int STREAMS = Integer.getInteger("load.streams", 200);
    static final int SECONDS = Integer.getInteger("load.seconds", 10);
    static final int ROUNDS = Integer.getInteger("load.rounds", 2);
    static final int TOKENS = Integer.getInteger("load.tokens", 40);
    static final int TOKEN_DELAY_MS = Integer.getInteger("load.token-delay-ms", 50);
    static final long HEAP_SLACK_KB = 32 * 1024;
    static final long FD_SLACK = 64;
    static final long THREAD_SLACK = 16;

    @TempDir
    Path models;

    record Sample(long heapKb, long fds, long threads) {
    }

    record Settled(long seconds, long threads) {
    }

    record Round(int streams, long completed, long errors, long tokens, double seconds, Sample after) {
        double tokensPerSecond() {
            return tokens / seconds;
        }
    }

    @Test
    void should_hold_many_concurrent_streams_without_errors_or_leaks() throws Exception {
        try (JvmFakeVllm engine = JvmFakeVllm.start(MODEL, TOKEN_DELAY_MS);
             ServiceProcess service = ServiceProcess.start(Map.of("infercore.models_dir", models.toString(),
                     "infercore.llamacpp.load_on_start", "false", "infercore.vllm.base_url", engine.baseUrl(),
                     "quarkus.log.level", "WARN"), List.of("serve"))) {
            service.awaitReady(Duration.ofSeconds(90));
            long pid = service.process().pid();
            Vertx vertx = Vertx.vertx();
            try {
                Sample idle = sample(pid);
                Round warmUp = round(vertx, service, Math.min(SECONDS, 5));
                assertThat(warmUp.errors()).as(describe("warm-up", warmUp, service)).isZero();
                Sample baseline = sample(pid);
                List<Round> rounds = new ArrayList<>();
                for (int i = 0; i < ROUNDS; i++) {
                    rounds.add(round(vertx, service, SECONDS));
                }
                String groups = threadGroups(pid);
                Settled settled = settleThreads(pid, idle.threads() + THREAD_SLACK);
                String report = String.format("idle service before any load: heap after GC %d KB, fds %d, threads %d%n",
                        idle.heapKb(), idle.fds(), idle.threads()) + report(baseline, warmUp, rounds, engine) + groups + String.format("threads %d s after the "
                        + "last round: %d%n", settled.seconds(), settled.threads());
                System.out.println(report);
                Files.writeString(buildDir().resolve("load-report.txt"), report);

                for (Round r : rounds) {
                    assertThat(r.errors()).as(report).isZero();
                    assertThat(r.completed()).as(report).isGreaterThanOrEqualTo(STREAMS);
                    assertThat(r.after().heapKb()).as("heap after GC, KB\n" + report)
                            .isLessThanOrEqualTo(rounds.get(0).after().heapKb() + HEAP_SLACK_KB);
                    assertThat(r.after().fds()).as("open fds\n" + report).isLessThanOrEqualTo(baseline.fds() + FD_SLACK);
                    // The upstream clients' pool grows with the load (bounded by it) ...
                    assertThat(r.after().threads()).as("threads\n" + report)
                            .isLessThanOrEqualTo(idle.threads() + STREAMS);
                }
                // ... and gives idle threads back after 10 s: none leaks.
                assertThat(settled.threads()).as("threads once idle\n" + report)
                        .isLessThanOrEqualTo(idle.threads() + THREAD_SLACK);
            } finally {
                vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
            }
        }
    }

    /** {@link #STREAMS} clients, each streaming answers back to back until {@code seconds} have passed. */
    Round round(Vertx vertx, ServiceProcess service, int seconds) throws Exception {
        HttpClient client = vertx.createHttpClient(new HttpClientOptions().setDefaultHost("127.0.0.1")
                .setDefaultPort(Integer.parseInt(service.baseUrl().substring(service.baseUrl().lastIndexOf(':') + 1)))
                .setIdleTimeout(60).setIdleTimeoutUnit(TimeUnit.SECONDS), new PoolOptions().setHttp1MaxSize(STREAMS + 8));
        AtomicLong completed = new AtomicLong();
        AtomicLong tokens = new AtomicLong();
        ConcurrentLinkedQueue<String> errors = new ConcurrentLinkedQueue<>();
        long started = System.nanoTime();
        long deadline = started + TimeUnit.SECONDS.toNanos(seconds);
        List<CompletableFuture<Void>> clients = new ArrayList<>();
        for (int i = 0; i < STREAMS; i++) {
            CompletableFuture<Void> finished = new CompletableFuture<>();
            clients.add(finished);
            stream(client, deadline, completed, tokens, errors, finished);
        }
        CompletableFuture.allOf(clients.toArray(CompletableFuture[]::new)).get(seconds + 120L, TimeUnit.SECONDS);
        double elapsed = (System.nanoTime() - started) / 1e9;
        client.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        errors.stream().limit(5).forEach(e -> System.out.println("stream error: " + e));
        Thread.sleep(2_000); // let closed connections and finished streams settle
        return new Round(STREAMS, completed.get(), errors.size(), tokens.get(), elapsed, sample(service.process().pid()));
    }

    private void stream(HttpClient client, long deadline, AtomicLong completed, AtomicLong tokens,
                        ConcurrentLinkedQueue<String> errors, CompletableFuture<Void> finished) {
        if (System.nanoTime() >= deadline) {
            finished.complete(null);
            return;
        }
        String body = "{\"engine_type\":\"vllm\",\"model_name\":\"" + MODEL + "\",\"messages\":[{\"role\":\"user\","
                + "\"content\":\"Tell me about a cat\"}],\"max_tokens\":" + TOKENS + ",\"stream\":true}";
        client.request(new RequestOptions().setMethod(HttpMethod.POST).setURI("/api/v1/llm/chat")
                        .putHeader("Content-Type", "application/json").setIdleTimeout(60_000))
                .compose(request -> request.send(Buffer.buffer(body)))
                .compose(response -> response.body().map(b -> {
                    if (response.statusCode() != 200) {
                        throw new IllegalStateException("HTTP " + response.statusCode() + ": " + b);
                    }
                    return b.toString();
                }))
                .onComplete(result -> {
                    if (result.failed()) {
                        errors.add(String.valueOf(result.cause()));
                    } else {
                        String text = result.result();
                        int deltas = count(text, "event: delta\n");
                        if (!text.contains("event: done\n") || text.contains("event: error") || deltas != TOKENS) {
                            errors.add("bad stream (" + deltas + " deltas): " + text.substring(Math.max(0, text.length() - 300)));
                        } else {
                            completed.incrementAndGet();
                            tokens.addAndGet(deltas);
                        }
                    }
                    stream(client, deadline, completed, tokens, errors, finished);
                });
    }

    static int count(String text, String needle) {
        int n = 0;
        for (int i = text.indexOf(needle); i >= 0; i = text.indexOf(needle, i + needle.length())) {
            n++;
        }
        return n;
    }

    /** Heap used after a full GC (jcmd), open file descriptors and threads (/proc) of the service. */
    static Sample sample(long pid) throws Exception {
        jcmd(pid, "GC.run");
        String heap = jcmd(pid, "GC.heap_info");
        java.util.regex.Matcher used = java.util.regex.Pattern.compile("used (\\d+)K").matcher(heap);
        assertThat(used.find()).as(heap).isTrue();
        long fds;
        try (var list = Files.list(Path.of("/proc/" + pid + "/fd"))) {
            fds = list.count();
        }
        long threads = Files.readAllLines(Path.of("/proc/" + pid + "/status")).stream()
                .filter(l -> l.startsWith("Threads:")).map(l -> Long.parseLong(l.substring(8).trim())).findFirst().orElseThrow();
        return new Sample(Long.parseLong(used.group(1)), fds, threads);
    }

    /** Waits (up to 100 s; idle upstream client threads end after 10 s) for the thread count to fall to {@code bound}. */
    static Settled settleThreads(long pid, long bound) throws Exception {
        long started = System.nanoTime();
        long threads = sample(pid).threads();
        while (threads > bound && System.nanoTime() - started < TimeUnit.SECONDS.toNanos(100)) {
            Thread.sleep(2_000);
            threads = sample(pid).threads();
        }
        return new Settled(TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started), threads);
    }

    /** Thread counts by name with digits stripped, largest first: where a thread leak would show. */
    static String threadGroups(long pid) throws Exception {
        java.util.Map<String, Long> groups = jcmd(pid, "Thread.print").lines().filter(l -> l.startsWith("\""))
                .map(l -> l.substring(1, l.indexOf('"', 1)).replaceAll("\\d+", "#"))
                .collect(java.util.stream.Collectors.groupingBy(n -> n, java.util.TreeMap::new,
                        java.util.stream.Collectors.counting()));
        StringBuilder out = new StringBuilder("service threads by name:");
        groups.entrySet().stream().sorted(java.util.Map.Entry.<String, Long>comparingByValue().reversed()).limit(8)
                .forEach(e -> out.append(' ').append(e.getKey()).append('=').append(e.getValue()));
        return out.append('\n').toString();
    }

    static String jcmd(long pid, String command) throws Exception {
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
                String.valueOf(pid), command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return out;
    }

    static Path buildDir() {
        return Path.of(System.getProperty("service.jar", "target/quarkus-app/quarkus-run.jar")).toAbsolutePath()
                .getParent().getParent();
    }

    static String describe(String name, Round r, ServiceProcess service) throws Exception {
        return name + ": " + r + "\n" + service.log().lines().filter(l -> l.contains("ERROR") || l.contains("WARN"))
                .limit(20).reduce("", (a, b) -> a + b + "\n");
    }

    static String report(Sample baseline, Round warmUp, List<Round> rounds, JvmFakeVllm engine) {
        StringBuilder out = new StringBuilder(String.format("StreamLoadIT: %d concurrent SSE streams, %d s per round, "
                + "%d tokens per answer, %d ms between tokens%n", STREAMS, SECONDS, TOKENS, TOKEN_DELAY_MS));
        out.append(String.format("warm-up: %d answers, %d errors, %.0f tokens/s%n", warmUp.completed(), warmUp.errors(),
                warmUp.tokensPerSecond()));
        out.append(String.format("baseline after warm-up: heap after GC %d KB, fds %d, threads %d%n", baseline.heapKb(),
                baseline.fds(), baseline.threads()));
        for (int i = 0; i < rounds.size(); i++) {
            Round r = rounds.get(i);
            out.append(String.format("round %d: %d answers, %d errors, %d tokens in %.1f s = %.0f tokens/s; after: heap "
                            + "%d KB, fds %d, threads %d%n", i + 1, r.completed(), r.errors(), r.tokens(), r.seconds(),
                    r.tokensPerSecond(), r.after().heapKb(), r.after().fds(), r.after().threads()));
        }
        out.append(String.format("fake engine: %d streams completed, %d cancelled%n", engine.streamsCompleted(),
                engine.cancelled()));
        return out.toString();
    }
}
