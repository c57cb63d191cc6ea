package io.infercore.faults;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The fixed corpus of malformed and hostile requests: every generic malformation on every JSON
 * route, then per-route wrong types, huge numbers, unicode edge cases, path traversal and shell
 * metacharacters in launch fields, hostile path and query parameters.
 */
final class HostileCorpus {

    /**
     * What a case may answer: a 4xx only, exactly 400, (valid but odd input) a 2xx too, or a 414
     * from the HTTP codec for a request line above quarkus.http.limits.max-initial-line-length
     * (4096): refused before any route, so with no body to shape.
     */
    enum Expect { CLIENT_ERROR, BAD_REQUEST, ANY_BELOW_500, URI_TOO_LONG }

    record Case(String label, String method, String path, byte[] body, String contentType, Expect expect) {
        @Override
        public String toString() {
            return method + " " + path + " " + label;
        }
    }

    static final String GENERATE = "/api/v1/llm/generate";
    static final String CHAT = "/api/v1/llm/chat";
    static final String STRUCTURED = "/api/v1/llm/structured-generate";
    static final String EMBED = "/api/v1/llm/embed";
    static final String START = "/api/v1/models/start";
    static final String START_STREAM = "/api/v1/models/start-stream";
    static final String V1_CHAT = "/v1/chat/completions";
    static final String V1_COMPLETIONS = "/v1/completions";
    static final String V1_EMBEDDINGS = "/v1/embeddings";
    static final String V1_RESPONSES = "/v1/responses";
    static final String V1_MESSAGES = "/v1/messages";
    static final String V1_COUNT_TOKENS = "/v1/messages/count_tokens";
    static final String STOP = "/api/v1/models/running/no-such-run/stop";

    static final String REGISTRATIONS = "/api/v1/models/registrations";
    static final List<String> JSON_ROUTES = List.of(GENERATE, CHAT, STRUCTURED, EMBED, START, START_STREAM,
            V1_CHAT, V1_COMPLETIONS, V1_EMBEDDINGS, V1_RESPONSES, V1_MESSAGES, V1_COUNT_TOKENS, REGISTRATIONS);

    /** Shell metacharacters and path traversal, as values of launch fields. */
    static final List<String> HOSTILE_VALUES = List.of("../../etc/passwd", "/etc/passwd", "..\\..\\windows\\win.ini",
            "qwen2-0.5b; rm -rf /", "$(id)", "`id`", "qwen2-0.5b && curl http://x", "qwen2-0.5b | nc x 1",
            "qwen2-0.5b\nid", "%2e%2e%2f%2e%2e%2f", "qwen2-0.5b\u0000", "-rf", "--trust-remote-code", "~/.ssh/id_rsa");

    private final List<Case> cases = new ArrayList<>();

    static List<Case> all() {
        HostileCorpus c = new HostileCorpus();
        c.generic();
        c.generation();
        c.chat();
        c.structured();
        c.embeddings();
        c.launch();
        c.runsAndCatalog();
        c.openAi();
        return c.cases;
    }

    private void add(String label, String path, String body, Expect expect) {
        cases.add(new Case(label, "POST", path, body.getBytes(StandardCharsets.UTF_8), "application/json", expect));
    }

    private void get(String label, String path) {
        cases.add(new Case(label, "GET", path, null, null, Expect.CLIENT_ERROR));
    }

    private void generic() {
        String deep = "[".repeat(5000) + "]".repeat(5000);
        String longNumber = "9".repeat(5000);
        for (String route : JSON_ROUTES) {
            add("empty body", route, "", Expect.BAD_REQUEST);
            add("truncated object", route, "{", Expect.BAD_REQUEST);
            add("array", route, "[]", Expect.BAD_REQUEST);
            add("null", route, "null", Expect.BAD_REQUEST);
            add("number", route, "42", Expect.BAD_REQUEST);
            add("string", route, "\"hello\"", Expect.BAD_REQUEST);
            add("trailing brace", route, "{}}", Expect.BAD_REQUEST);
            add("single quotes", route, "{'a':1}", Expect.BAD_REQUEST);
            add("NaN literal", route, "{\"a\":NaN}", Expect.BAD_REQUEST);
            add("unknown field", route, "{\"zz_unknown\":1}", Expect.BAD_REQUEST);
            add("5000-deep nesting", route, "{\"zz\":" + deep + "}", Expect.BAD_REQUEST);
            add("5000-digit number", route, "{\"zz\":" + longNumber + "}", Expect.BAD_REQUEST);
            add("NUL in key", route, "{\"a\\u0000b\":1}", Expect.BAD_REQUEST);
            add("100k-char key", route, "{\"" + "k".repeat(100_000) + "\":1}", Expect.BAD_REQUEST);
            add("BOM then object", route, "\uFEFF{\"zz\":1}", Expect.BAD_REQUEST);
            add("comment", route, "{/* x */}", Expect.BAD_REQUEST);
            add("lone surrogate in unknown field", route, "{\"zz\":\"\\ud800\"}", Expect.BAD_REQUEST);
            add("duplicate unknown keys", route, "{\"zz\":1,\"zz\":2}", Expect.BAD_REQUEST);
            cases.add(new Case("invalid UTF-8", "POST", route, new byte[] {'{', '"', 'z', '"', ':', '"', (byte) 0xC3, 0x28,
                    (byte) 0xFF, '"', '}'}, "application/json", Expect.BAD_REQUEST));
            cases.add(new Case("text/plain", "POST", route, "hello".getBytes(StandardCharsets.UTF_8), "text/plain",
                    Expect.CLIENT_ERROR));
            cases.add(new Case("form body", "POST", route, "a=1&b=2".getBytes(StandardCharsets.UTF_8),
                    "application/x-www-form-urlencoded", Expect.CLIENT_ERROR));
        }
    }

    private void generation() {
        for (String v : List.of("{}", "[]", "1", "true", "null", "[\"a\"]")) {
            add("prompt " + v, GENERATE, "{\"prompt\":" + v + "}", Expect.BAD_REQUEST);
        }
        for (String v : List.of("1e308", "9223372036854775808", "-9223372036854775809", "\"NaN\"", "1e-400", "true", "[]")) {
            add("max_tokens " + v, GENERATE, "{\"prompt\":\"hi\",\"max_tokens\":" + v + "}", Expect.BAD_REQUEST);
        }
        for (String v : List.of("\"hot\"", "1e308", "-1e308", "-0.0001", "[]", "{}")) {
            add("temperature " + v, GENERATE, "{\"prompt\":\"hi\",\"temperature\":" + v + "}", Expect.BAD_REQUEST);
        }
        for (String v : List.of("1e999", "\"1\"", "1.5", "-1e308")) {
            add("top_p " + v, GENERATE, "{\"prompt\":\"hi\",\"top_p\":" + v + "}", Expect.BAD_REQUEST);
        }
        add("seed 1e30", GENERATE, "{\"prompt\":\"hi\",\"seed\":1e30}", Expect.BAD_REQUEST);
        add("seed string", GENERATE, "{\"prompt\":\"hi\",\"seed\":\"x\"}", Expect.BAD_REQUEST);
        add("stop number", GENERATE, "{\"prompt\":\"hi\",\"stop\":5}", Expect.BAD_REQUEST);
        add("stop object", GENERATE, "{\"prompt\":\"hi\",\"stop\":{}}", Expect.BAD_REQUEST);
        add("stop [null]", GENERATE, "{\"prompt\":\"hi\",\"stop\":[null]}", Expect.CLIENT_ERROR);
        add("engine_args string", GENERATE, "{\"prompt\":\"hi\",\"engine_args\":\"--x\"}", Expect.BAD_REQUEST);
        add("engine_args nested", GENERATE, "{\"prompt\":\"hi\",\"engine_args\":{\"a\":{\"b\":[1]}}}", Expect.BAD_REQUEST);
        add("engine_args grammar number", GENERATE, "{\"prompt\":\"hi\",\"engine_args\":{\"grammar\":5}}", Expect.BAD_REQUEST);
        add("engine_type traversal", GENERATE, "{\"prompt\":\"hi\",\"engine_type\":\"../vllm\"}", Expect.BAD_REQUEST);
        add("engine_type shell", GENERATE, "{\"prompt\":\"hi\",\"engine_type\":\"vllm;id\"}", Expect.BAD_REQUEST);
        add("model_name traversal", GENERATE, "{\"prompt\":\"hi\",\"model_name\":\"../../etc/passwd\"}", Expect.CLIENT_ERROR);
        add("model_name shell", GENERATE, "{\"prompt\":\"hi\",\"model_name\":\"$(id)\"}", Expect.CLIENT_ERROR);
        add("run_id traversal", GENERATE, "{\"prompt\":\"hi\",\"run_id\":\"../runs/state.json\"}", Expect.CLIENT_ERROR);
        add("run_id empty", GENERATE, "{\"prompt\":\"hi\",\"run_id\":\"\"}", Expect.CLIENT_ERROR);
        add("stream number", GENERATE, "{\"prompt\":\"hi\",\"stream\":1}", Expect.BAD_REQUEST);
        add("prompt of 300k words", GENERATE, "{\"prompt\":\"" + "word ".repeat(300_000) + "\",\"max_tokens\":2}",
                Expect.BAD_REQUEST);
        for (String text : List.of("\\ud800", "\\udfff\\ud800", "\\u0000", "\\u202eevil", "\uD83D\uDE00\uD83D\uDE00",
                "\u0301\u0301\u0301", "\\uffff\\ufffe", "A\\u0000B", "\\r\\n\\r\\nHTTP/1.1 200 OK")) {
            add("unicode prompt " + text, GENERATE, "{\"prompt\":\"" + text + "\",\"max_tokens\":2}", Expect.ANY_BELOW_500);
        }
    }

    private void chat() {
        for (String v : List.of("[null]", "[1]", "[[]]", "[{\"role\":null,\"content\":\"hi\"}]",
                "[{\"role\":\"user\",\"content\":123}]", "[{\"role\":\"user\",\"content\":{}}]",
                "[{\"role\":\"__proto__\",\"content\":\"hi\"}]", "[{\"role\":\"user\",\"content\":\"hi\",\"zz\":1}]",
                "[{\"role\":\"user\",\"content\":[{\"type\":\"image_url\",\"image_url\":\"file:///etc/passwd\"}]}]",
                "[{\"role\":\"USER\",\"content\":\"hi\"}]", "{\"role\":\"user\"}")) {
            add("messages " + v, CHAT, "{\"messages\":" + v + "}", Expect.BAD_REQUEST);
        }
        add("unicode content", CHAT, "{\"messages\":[{\"role\":\"user\",\"content\":\"\\ud800\\u0000\"}],\"max_tokens\":2}",
                Expect.ANY_BELOW_500);
        add("10000 messages", CHAT, "{\"messages\":[" + "{\"role\":\"user\",\"content\":\"hi\"},".repeat(9_999)
                + "{\"role\":\"user\",\"content\":\"hi\"}],\"max_tokens\":2}", Expect.BAD_REQUEST);
    }

    private void structured() {
        for (String v : List.of("\"string\"", "[]", "5", "null", "{\"$ref\":\"http://169.254.169.254/latest\"}",
                "{\"$ref\":\"file:///etc/passwd\"}", "{\"type\":\"object\",\"properties\":{\"a\":{\"$ref\":\"#/nowhere\"}}}",
                "{\"type\":\"nonsense\"}", "{\"a\":\"../../etc\"}")) {
            add("schema " + v, STRUCTURED, "{\"prompt\":\"hi\",\"schema\":" + v + "}", Expect.BAD_REQUEST);
        }
        String nested = "{\"type\":\"object\",\"properties\":{\"a\":".repeat(300) + "{\"type\":\"string\"}" + "}}".repeat(300);
        add("schema 300 levels deep", STRUCTURED, "{\"prompt\":\"hi\",\"max_tokens\":4,\"schema\":" + nested + "}",
                Expect.ANY_BELOW_500);
        add("self-referencing schema", STRUCTURED, "{\"prompt\":\"hi\",\"max_tokens\":4,\"schema\":{\"type\":\"object\","
                + "\"properties\":{\"next\":{\"$ref\":\"#\"}}}}", Expect.ANY_BELOW_500);
        add("catastrophic regex", STRUCTURED, "{\"prompt\":\"hi\",\"max_tokens\":4,\"schema\":{\"type\":\"object\","
                + "\"properties\":{\"a\":{\"type\":\"string\",\"pattern\":\"(a+)+$\"}}}}", Expect.ANY_BELOW_500);
    }

    private void embeddings() {
        for (String v : List.of("5", "[1,2]", "[null]", "[[]]", "{}", "\"\"", "[\"\"]", "true")) {
            add("input " + v, EMBED, "{\"input\":" + v + "}", Expect.BAD_REQUEST);
            add("input " + v, V1_EMBEDDINGS, "{\"input\":" + v + "}", Expect.BAD_REQUEST);
        }
        for (String text : List.of("\\u0000", "\\u202e", "\\u0301\\u0301", "\\u200b", "\\ufeff", "\\u0007\\u0008")) {
            add("unreadable input " + text, EMBED, "{\"input\":\"" + text + "\"}", Expect.BAD_REQUEST);
            add("unreadable input " + text, V1_EMBEDDINGS, "{\"input\":[\"ok\",\"" + text + "\"]}", Expect.BAD_REQUEST);
        }
        add("engine_type shell", EMBED, "{\"input\":\"x\",\"engine_type\":\"`id`\"}", Expect.BAD_REQUEST);
        add("encoding_format hex", V1_EMBEDDINGS, "{\"input\":\"x\",\"encoding_format\":\"hex\"}", Expect.BAD_REQUEST);
        add("dimensions -1", V1_EMBEDDINGS, "{\"input\":\"x\",\"dimensions\":-1}", Expect.BAD_REQUEST);
        add("dimensions 1e12", V1_EMBEDDINGS, "{\"input\":\"x\",\"dimensions\":1000000000000}", Expect.BAD_REQUEST);
    }

    private void launch() {
        for (String v : HOSTILE_VALUES) {
            String q = quote(v);
            add("registration id " + v, REGISTRATIONS, "{\"id\":" + q + ",\"sizes\":[{\"size\":\"1B\",\"hf_repo\":\"o/r\"}]}",
                    Expect.BAD_REQUEST);
            for (String source : List.of("hf_repo", "ollama_name", "local_path")) {
                add("registration " + source + " " + v, REGISTRATIONS, "{\"id\":\"hostile\",\"sizes\":[{\"size\":\"1B\",\""
                        + source + "\":" + q + "}]}", Expect.BAD_REQUEST);
            }
            add("registration gguf url " + v, REGISTRATIONS, "{\"id\":\"hostile\",\"sizes\":[{\"size\":\"1B\",\"gguf\":"
                    + "{\"url\":" + q + ",\"sha256\":\"" + "a".repeat(64) + "\"}}]}", Expect.BAD_REQUEST);
        }
        for (String route : List.of(START, START_STREAM)) {
            for (String v : HOSTILE_VALUES) {
                String q = quote(v);
                add("model_id " + v, route, "{\"model_id\":" + q + ",\"engine_type\":\"vllm\"}", Expect.BAD_REQUEST);
                add("size " + v, route, "{\"model_id\":\"qwen2-0.5b\",\"size\":" + q + ",\"engine_type\":\"vllm\"}",
                        Expect.BAD_REQUEST);
                add("engine_type " + v, route, "{\"model_id\":\"qwen2-0.5b\",\"engine_type\":" + q + "}", Expect.BAD_REQUEST);
                add("quantization " + v, route, "{\"model_id\":\"qwen2-0.5b\",\"engine_type\":\"vllm\",\"quantization\":"
                        + q + "}", Expect.BAD_REQUEST);
                add("format " + v, route, "{\"model_id\":\"qwen2-0.5b\",\"engine_type\":\"vllm\",\"format\":" + q + "}",
                        Expect.BAD_REQUEST);
                add("engine_args value " + v, route, "{\"model_id\":\"qwen2-0.5b\",\"engine_type\":\"vllm\","
                        + "\"engine_args\":{\"served_model_name\":" + q + ",\"max_model_len\":" + q + "}}", Expect.BAD_REQUEST);
                add("engine_args key " + v, route, "{\"model_id\":\"qwen2-0.5b\",\"engine_type\":\"sglang\","
                        + "\"engine_args\":{" + q + ":true}}", Expect.BAD_REQUEST);
            }
            add("engine_args model_path", route, "{\"model_id\":\"qwen2-0.5b\",\"engine_type\":\"vllm\","
                    + "\"engine_args\":{\"model_path\":\"../../etc\"}}", Expect.BAD_REQUEST);
            add("engine_args flag value injection", route, "{\"model_id\":\"qwen2-0.5b\",\"engine_type\":\"vllm\","
                    + "\"engine_args\":{\"dtype\":\"auto --trust-remote-code\"}}", Expect.BAD_REQUEST);
            add("engine_args tokenizer_path dash", route, "{\"model_id\":\"qwen2-0.5b\",\"engine_type\":\"sglang\","
                    + "\"engine_args\":{\"tokenizer_path\":\"--trust-remote-code\"}}", Expect.BAD_REQUEST);
            for (String v : List.of("-1", "1e9", "\"1\"", "1.5", "99999999999")) {
                add("n_gpu " + v, route, "{\"model_id\":\"qwen2-0.5b\",\"engine_type\":\"vllm\",\"n_gpu\":" + v + "}",
                        Expect.BAD_REQUEST);
                add("replicas " + v, route, "{\"model_id\":\"qwen2-0.5b\",\"engine_type\":\"vllm\",\"replicas\":" + v + "}",
                        Expect.BAD_REQUEST);
            }
            add("engine_args on ollama", route, "{\"model_id\":\"qwen2-0.5b\",\"engine_type\":\"ollama\","
                    + "\"engine_args\":{\"keep_alive\":\"$(id)\"}}", Expect.BAD_REQUEST);
        }
    }

    private void runsAndCatalog() {
        for (String id : List.of("..%2F..%2Fetc%2Fpasswd", "%00", "%E2%80%AE", "%24(id)", "builtin-%0Aid",
                "%FF%FE", "y".repeat(2000))) {
            get("run " + id, "/api/v1/models/running/" + id);
            get("logs of run " + id, "/api/v1/models/running/" + id + "/logs");
            add("stop run " + id, "/api/v1/models/running/" + id + "/stop", "", Expect.CLIENT_ERROR);
        }
        for (String lines : List.of("-1", "0", "99999999999", "abc", "1e3", "%00")) {
            get("logs lines=" + lines, "/api/v1/models/running/no-such-run/logs?lines=" + lines);
        }
        for (String type : List.of("..%2F..", "LLM", "%00", "llm%3Bid")) {
            get("catalog model_type=" + type, "/api/v1/models?model_type=" + type);
        }
        cases.add(new Case("5000-char run id", "GET", "/api/v1/models/running/" + "x".repeat(5000), null, null,
                Expect.URI_TOO_LONG));
        cases.add(new Case("5000-char model id", "GET", "/v1/models/" + "x".repeat(5000), null, null, Expect.URI_TOO_LONG));
        add("stop with a body", STOP, "{\"force\":true}", Expect.CLIENT_ERROR);
        for (String id : List.of("..%2F..%2Fetc%2Fpasswd", "%00", "no-such-model", "%F0%9F%98%80", "y".repeat(2000))) {
            get("v1 model " + id, "/v1/models/" + id);
        }
    }

    private void openAi() {
        String msgs = "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]";
        for (String extra : List.of("\"model\":\"../../etc/passwd\"", "\"model\":\"$(id)\"", "\"model\":5", "\"n\":9",
                "\"n\":10000000000", "\"logprobs\":true", "\"max_tokens\":-1", "\"temperature\":\"x\"",
                "\"response_format\":{\"type\":\"xml\"}", "\"response_format\":\"json\"", "\"stream_options\":5",
                "\"stream\":\"yes\"", "\"top_p\":0", "\"max_completion_tokens\":1e400", "\"presence_penalty\":1e308",
                "\"reasoning_effort\":5", "\"model\":\"stories260k/../../x\"")) {
            add(extra, V1_CHAT, "{" + msgs + "," + extra + "}", Expect.CLIENT_ERROR);
        }
        add("messages missing", V1_CHAT, "{\"model\":\"stories260k\"}", Expect.BAD_REQUEST);
        for (String prompt : List.of("[1,2,3]", "[]", "[[1]]", "5", "{}", "null", "[\"a\",\"b\"]")) {
            add("prompt " + prompt, V1_COMPLETIONS, "{\"prompt\":" + prompt + "}", Expect.BAD_REQUEST);
        }
        for (String extra : List.of("\"echo\":true", "\"suffix\":\"x\"", "\"best_of\":3", "\"logprobs\":5", "\"n\":-1")) {
            add(extra, V1_COMPLETIONS, "{\"prompt\":\"hi\"," + extra + "}", Expect.BAD_REQUEST);
        }
        add("input token ids", V1_EMBEDDINGS, "{\"input\":[[1,2,3]]}", Expect.BAD_REQUEST);
    }

    static String quote(String s) {
        StringBuilder out = new StringBuilder("\"");
        for (char ch : s.toCharArray()) {
            switch (ch) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                default -> {
                    if (ch < 0x20) {
                        out.append(String.format("\\u%04x", (int) ch));
                    } else {
                        out.append(ch);
                    }
                }
            }
        }
        return out.append('"').toString();
    }
}
