import de.kherud.llama.InferenceParameters;
import de.kherud.llama.LlamaModel;
import de.kherud.llama.LlamaOutput;
import de.kherud.llama.ModelParameters;
import de.kherud.llama.args.LogFormat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Tokens per second of the same generation done two ways, alternated round by round in one
 * run so both see the same machine: java-llama.cpp called directly in this JVM, and
 * POST /api/v1/llm/generate on a running infercore service (JSON and SSE).
 *
 * <p>With CONCURRENT &gt; 0, CONCURRENT identical JSON requests are then sent at once (after one
 * unmeasured burst), rounds times: each request's wall time, the spread max/min per burst (a fair
 * queue serves equal requests in equal time) and the aggregate tokens/s are reported.
 *
 * <p>The direct model is opened with the service's engine settings (PARALLEL slots of 512 tokens,
 * one thread): llama.cpp decodes one sequence markedly slower with more slots (2-4x for
 * stories260K), so comparing a 4-slot service with a 1-slot direct call would measure llama.cpp,
 * not the service.
 *
 * <p>Usage: java -cp llama.jar bench/EmbeddedThroughput.java GGUF SERVICE_URL ROUNDS TOKENS [CONCURRENT [PARALLEL]]
 */
public class EmbeddedThroughput {

    private static final Pattern COMPLETION = Pattern.compile("\"completion_tokens\":(\\d+)");

    public static void main(String[] args) throws Exception {
        String gguf = args[0];
        String service = args[1];
        int rounds = Integer.parseInt(args[2]);
        int tokens = Integer.parseInt(args[3]);
        int concurrent = args.length > 4 ? Integer.parseInt(args[4]) : 0;
        int parallel = args.length > 5 ? Integer.parseInt(args[5]) : 1;
        String prompt = "Once upon a time";

        LlamaModel.setLogger(LogFormat.TEXT, (level, msg) -> { });
        try (LlamaModel model = new LlamaModel(new ModelParameters().setModel(gguf).setThreads(1)
                .setThreadsBatch(1).setParallel(parallel).setCtxSize(512 * parallel))) {
            HttpClient http = HttpClient.newHttpClient();
            String body = "{\"prompt\":\"" + prompt + "\",\"max_tokens\":" + tokens
                    + ",\"temperature\":0,\"engine_args\":{\"ignore_eos\":true}";
            List<Double> direct = new ArrayList<>();
            List<Double> json = new ArrayList<>();
            List<Double> sse = new ArrayList<>();
            for (int round = -2; round < rounds; round++) { // two warm-up rounds are not counted
                double d = direct(model, prompt, tokens);
                double j = viaService(http, service, body + "}", false);
                double s = viaService(http, service, body + ",\"stream\":true}", true);
                if (round >= 0) {
                    direct.add(d);
                    json.add(j);
                    sse.add(s);
                }
            }
            double md = median(direct);
            double mj = median(json);
            double ms = median(sse);
            System.out.printf("direct java-llama.cpp   %8.0f tok/s (median of %d)%n", md, rounds);
            System.out.printf("service /generate JSON  %8.0f tok/s  ratio %.3f%n", mj, mj / md);
            System.out.printf("service /generate SSE   %8.0f tok/s  ratio %.3f%n", ms, ms / md);
            String burst = concurrent > 0 ? concurrent(http, service, body + "}", concurrent, rounds) : "";
            System.out.printf(java.util.Locale.ROOT, "{\"tokens\":%d,\"rounds\":%d,\"direct_tok_s\":%.1f,"
                    + "\"service_json_tok_s\":%.1f,\"service_sse_tok_s\":%.1f,\"ratio_json\":%.3f,\"ratio_sse\":%.3f%s}%n",
                    tokens, rounds, md, mj, ms, mj / md, ms / md, burst);
        }
        // java-llama.cpp leaves a non-daemon native thread after close() (upstream issue #116).
        System.exit(0);
    }

    static double direct(LlamaModel model, String prompt, int tokens) {
        InferenceParameters p = new InferenceParameters(prompt).setNPredict(tokens).setTemperature(0)
                .setIgnoreEos(true);
        long start = System.nanoTime();
        int count = 0;
        for (LlamaOutput out : model.generate(p)) {
            if (!out.text.isEmpty()) {
                count++;
            }
        }
        return count / ((System.nanoTime() - start) / 1e9);
    }

    static double viaService(HttpClient http, String service, String body, boolean stream) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(service + "/api/v1/llm/generate"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build();
        long start = System.nanoTime();
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        double seconds = (System.nanoTime() - start) / 1e9;
        if (response.statusCode() != 200) {
            throw new IllegalStateException("service answered " + response.statusCode() + ": " + response.body());
        }
        Matcher m = COMPLETION.matcher(response.body());
        int count = 0;
        while (m.find()) {
            count = Integer.parseInt(m.group(1));
        }
        if (stream && !response.body().contains("event: done")) {
            throw new IllegalStateException("stream did not finish: " + response.body());
        }
        return count / seconds;
    }

    /** Bursts of n concurrent requests: {@code ,"concurrent":n,"spread_max_min":..,"burst_tok_s":..,"request_s":[..]}. */
    static String concurrent(HttpClient http, String service, String body, int n, int rounds) throws Exception {
        List<Double> spreads = new ArrayList<>();
        List<Double> rates = new ArrayList<>();
        List<Double> last = new ArrayList<>();
        for (int round = -1; round < Math.max(3, rounds / 3); round++) {
            List<java.util.concurrent.CompletableFuture<double[]>> calls = new ArrayList<>();
            long start = System.nanoTime();
            for (int i = 0; i < n; i++) {
                calls.add(java.util.concurrent.CompletableFuture.supplyAsync(() -> {
                    try {
                        double rate = viaService(http, service, body, false);
                        return new double[] {(System.nanoTime() - start) / 1e9, rate};
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                }, java.util.concurrent.Executors.newSingleThreadExecutor(r -> {
                    Thread t = new Thread(r);
                    t.setDaemon(true);
                    return t;
                })));
            }
            List<Double> times = new ArrayList<>();
            double tokensDone = 0;
            for (var call : calls) {
                double[] r = call.join();
                times.add(r[0]);
                tokensDone += r[0] * r[1];
            }
            double wall = (System.nanoTime() - start) / 1e9;
            if (round >= 0) {
                spreads.add(Collections.max(times) / Collections.min(times));
                rates.add(tokensDone / wall);
                last = times;
            }
        }
        System.out.printf("service %d concurrent    %8.0f tok/s  max/min request time %.2f%n", n, median(rates),
                median(spreads));
        StringBuilder times = new StringBuilder();
        for (double t : last) {
            times.append(times.length() == 0 ? "" : ",").append(String.format(java.util.Locale.ROOT, "%.3f", t));
        }
        return String.format(java.util.Locale.ROOT, ",\"concurrent\":%d,\"spread_max_min\":%.3f,\"burst_tok_s\":%.1f,"
                + "\"request_s\":[%s]", n, median(spreads), median(rates), times);
    }

    static double median(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }
}
