package io.infercore.access;

import io.quarkus.test.junit.QuarkusTestProfile;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A service holding every kind of secret: an {@code hf_token}, vLLM and SGLang API keys (launched
 * engines are the fakes of {@code src/test/fakes}), one API key of its own, and an Ollama URL with a
 * password in it (nothing listens there). Its log also goes to {@link #LOG_FILE}, through the same
 * filter as the console.
 */
public class RedactionProfile implements QuarkusTestProfile {

    static final String HF_TOKEN = "hf_RedactMeTokenAbcdefghij0123456789";
    static final String VLLM_KEY = "vllm-secret-5551234";
    static final String SGLANG_KEY = "sglang-secret-5554321";
    static final String API_KEY = "svc-secret-5559876";
    static final String OLLAMA_PASSWORD = "ollama-pw-5550000";
    static final List<String> ALL = List.of(HF_TOKEN, VLLM_KEY, SGLANG_KEY, API_KEY, OLLAMA_PASSWORD);
    static Path LOG_FILE;

    @Override
    public Map<String, String> getConfigOverrides() {
        try {
            Path dir = Files.createTempDirectory("infercore-redaction-test");
            LOG_FILE = dir.resolve("service.log");
            Map<String, String> config = new HashMap<>();
            config.put("infercore.models_dir", dir.resolve("models").toString());
            config.put("infercore.models_config", "src/test/resources/supervisor/test-models.json");
            config.put("infercore.vllm.launch_command", "src/test/fakes/vllm,serve");
            config.put("infercore.sglang.launch_command", "python3,src/test/fakes/sglang_launch_server.py");
            config.put("infercore.hf_token", HF_TOKEN);
            config.put("infercore.vllm.api_key", VLLM_KEY);
            config.put("infercore.sglang.api_key", SGLANG_KEY);
            config.put("infercore.api_keys", API_KEY);
            config.put("infercore.ollama.base_url", "http://admin:" + OLLAMA_PASSWORD + "@127.0.0.1:9");
            config.put("infercore.supervisor.stall_timeout", "20s");
            config.put("infercore.supervisor.stop_grace", "2s");
            config.put("infercore.supervisor.on_shutdown", "stop");
            config.put("quarkus.log.file.enabled", "true");
            config.put("quarkus.log.file.path", LOG_FILE.toString());
            return config;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
