package io.infercore.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.infercore.InfercoreMain;
import io.infercore.engine.http.EngineHttp;
import io.infercore.error.ErrorKind;
import io.infercore.error.InfercoreException;
import io.vertx.core.http.HttpMethod;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;

/**
 * {@code api-test}: the seed's {@code main.py --api-test}. Calls a running service's endpoints in
 * turn and prints each {@code code} and a short {@code data}. It runs before (and without) the
 * Quarkus application, so it starts in seconds and can test any infercore, local or not:
 * Jackson and the service's one HTTP transport ({@link EngineHttp}), which outside the
 * application runs on a small private Vert.x.
 *
 * <p>The model list and the running list are optional: a {@code 404} there means the service
 * predates them and the call is skipped with a note. Everything else must answer 200. Requests use
 * the service's defaults unless {@code --engine} / {@code --model} are given; the embed call always
 * uses the embedded embedding model (a generation model cannot embed).
 */
public final class ApiTest {

    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
    static final Duration CALL_TIMEOUT = Duration.ofSeconds(120);
    static final int DATA_CHARS = 110;
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One call: {@code body} null means GET; {@code optional} calls are skipped on 404. */
    record Call(String method, String path, JsonNode body, boolean optional) {
    }

    /** How one call went. */
    enum Outcome { OK, FAILED, SKIPPED }

    private ApiTest() {
    }

    /** Runs {@code api-test} with the arguments after the command word; returns the process exit code. */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        String host = "127.0.0.1";
        String port = "8000";
        String engine = null;
        String model = null;
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (arg.equals("-h") || arg.equals("--help")) {
                out.println("usage: infercore api-test [--host HOST] [--port PORT] [--engine ENGINE] [--model MODEL]\n"
                        + "Calls a running service's endpoints in turn and prints each code and a short data.\n"
                        + "exit codes: 0 every call answered 200 (or was skipped); 1 a call failed; 2 usage");
                return InfercoreMain.EXIT_OK;
            }
            boolean known = List.of("--host", "--port", "--engine", "--model").contains(arg);
            if (!known || i + 1 >= args.length) {
                err.println("infercore: " + (known ? arg + " needs a value" : "unknown argument '" + arg + "'")
                        + "\nusage: infercore api-test [--host HOST] [--port PORT] [--engine ENGINE] [--model MODEL]");
                return InfercoreMain.EXIT_USAGE;
            }
            String value = args[++i];
            switch (arg) {
                case "--host" -> host = value;
                case "--port" -> port = value;
                case "--engine" -> engine = value;
                default -> model = value;
            }
        }
        if (!port.matches("\\d{1,5}") || Integer.parseInt(port) > 65535) {
            err.println("infercore: --port takes a port number, got '" + port + "'");
            return InfercoreMain.EXIT_USAGE;
        }
        String base = "http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
        return new Runner(base, out).run(calls(engine, model));
    }

    /** The seed's sequence, plus embed and the OpenAI-compatible chat. */
    static List<Call> calls(String engine, String model) {
        List<Call> calls = new ArrayList<>();
        calls.add(new Call("GET", "/api/v1/models", null, true));
        calls.add(new Call("GET", "/api/v1/models/running", null, true));
        calls.add(new Call("POST", "/api/v1/llm/generate", target(engine, model)
                .put("prompt", "Once upon a time").put("max_tokens", 16), false));
        ObjectNode chat = target(engine, model).put("max_tokens", 16);
        chat.putArray("messages").addObject().put("role", "user").put("content", "What is 1+1?");
        calls.add(new Call("POST", "/api/v1/llm/chat", chat, false));
        ObjectNode structured = target(engine, model).put("prompt", "Return a city and its population as JSON.")
                .put("max_tokens", 64);
        structured.putObject("schema").put("city", "string").put("population", "number");
        calls.add(new Call("POST", "/api/v1/llm/structured-generate", structured, false));
        calls.add(new Call("POST", "/api/v1/llm/embed", JSON.createObjectNode().put("input", "hello world"), false));
        ObjectNode openAi = JSON.createObjectNode();
        if (model != null || engine != null) {
            openAi.put("model", engine == null ? model : engine + "/" + (model == null ? "" : model));
        }
        openAi.put("max_tokens", 16).putArray("messages").addObject().put("role", "user").put("content", "Say hi");
        calls.add(new Call("POST", "/v1/chat/completions", openAi, false));
        return calls;
    }

    private static ObjectNode target(String engine, String model) {
        ObjectNode body = JSON.createObjectNode();
        if (engine != null) {
            body.put("engine_type", engine);
        }
        if (model != null) {
            body.put("model_name", model);
        }
        return body;
    }

    /** Performs the calls against one base URL and prints a line per call and a summary. */
    static final class Runner {
        private final String base;
        private final PrintStream out;
        private final EngineHttp http;

        Runner(String base, PrintStream out) {
            this.base = base;
            this.out = out;
            this.http = EngineHttp.plain("infercore", base, null, CONNECT_TIMEOUT, CALL_TIMEOUT);
        }

        int run(List<Call> calls) {
            out.println("api-test against " + base);
            Map<Outcome, Integer> counts = new java.util.EnumMap<>(Outcome.class);
            for (Call call : calls) {
                Outcome outcome;
                try {
                    outcome = perform(call);
                } catch (InfercoreException e) {
                    if (e.kind() == ErrorKind.ENGINE_UNAVAILABLE) { // refused, unknown host, connect timeout
                        out.printf("%-4s %-32s cannot connect to %s (%s): is the service running? "
                                + "start it with: java -jar quarkus-app/quarkus-run.jar serve --port %s%n", call.method(),
                                call.path(), base, why(e), URI.create(base).getPort());
                        out.println("FAILED: the service is not reachable");
                        return InfercoreMain.EXIT_FAILED;
                    }
                    out.printf("%-4s %-32s FAILED: %s%n", call.method(), call.path(),
                            e.kind() == ErrorKind.UPSTREAM_TIMEOUT ? "no answer within " + CALL_TIMEOUT.toSeconds() + " s"
                                    : e.getMessage());
                    outcome = Outcome.FAILED;
                } catch (CancellationException e) {
                    return InfercoreMain.EXIT_FAILED; // interrupted
                }
                counts.merge(outcome, 1, Integer::sum);
            }
            int failed = counts.getOrDefault(Outcome.FAILED, 0);
            out.printf("%d calls: %d ok, %d failed, %d skipped%n", calls.size(), counts.getOrDefault(Outcome.OK, 0),
                    failed, counts.getOrDefault(Outcome.SKIPPED, 0));
            return failed == 0 ? InfercoreMain.EXIT_OK : InfercoreMain.EXIT_FAILED;
        }

        private Outcome perform(Call call) {
            EngineHttp.Reply response = EngineHttp.await(http.exchange(HttpMethod.valueOf(call.method()), call.path(),
                    call.body() == null ? null : EngineHttp.write(call.body()), CALL_TIMEOUT));
            int status = response.statusCode();
            if (call.optional() && status == 404) {
                out.printf("%-4s %-32s skipped: not served by this service (404)%n", call.method(), call.path());
                return Outcome.SKIPPED;
            }
            JsonNode body = parse(response.body());
            boolean openAi = call.path().startsWith("/v1/");
            int code = !openAi && body.has("code") ? body.path("code").asInt(status) : status;
            boolean ok = status == 200 && code == 200;
            String shown = ok ? "data=" + data(body, openAi) : "FAILED: " + error(body, openAi, response.body());
            out.printf("%-4s %-32s code=%d  %s%n", call.method(), call.path(), code, shown);
            return ok ? Outcome.OK : Outcome.FAILED;
        }

        /** What the connection attempt met, e.g. {@code Connection refused: /127.0.0.1:8000}. */
        private static String why(Throwable failure) {
            Throwable root = failure;
            while (root.getCause() != null && root.getCause() != root) {
                root = root.getCause();
            }
            return root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
        }
    }

    private static JsonNode parse(String text) {
        try {
            return JSON.readTree(text);
        } catch (IOException e) {
            return JSON.createObjectNode();
        }
    }

    /** A short rendering of the answer: the envelope's data, or the OpenAI reply's content. */
    static String data(JsonNode body, boolean openAi) {
        JsonNode data = openAi ? body.path("choices").path(0).path("message").path("content") : body.path("data");
        return shorten(summarize(data).toString());
    }

    private static String error(JsonNode body, boolean openAi, String raw) {
        JsonNode message = openAi ? body.path("error").path("message") : body.path("msg");
        return shorten(message.isTextual() ? message.asText() : raw);
    }

    /** Long number arrays (embedding vectors) become {@code "[384 numbers]"} so a line stays readable. */
    static JsonNode summarize(JsonNode node) {
        if (node.isArray() && node.size() > 3 && node.get(0).isNumber()) {
            return JSON.getNodeFactory().textNode("[" + node.size() + " numbers]");
        }
        if (node.isArray()) {
            ArrayNode copy = JSON.createArrayNode();
            node.forEach(item -> copy.add(summarize(item)));
            return copy;
        }
        if (node.isObject()) {
            ObjectNode copy = JSON.createObjectNode();
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                copy.set(e.getKey(), summarize(e.getValue()));
            }
            return copy;
        }
        return node;
    }

    private static String shorten(String text) {
        String s = text.replace("\r", "").replace("\n", "\\n");
        return s.length() <= DATA_CHARS ? s : s.substring(0, DATA_CHARS - 3) + "...";
    }
}
