package io.infercore.api;

import io.infercore.support.FakeEngineProcess;
import io.infercore.support.FakeHub;
import io.infercore.support.TestModel;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * The world of the supervisor API test: launch commands pointing at the fake vLLM and SGLang
 * executables, a fake Ollama, a stand-in Hugging Face hub serving the test GGUF, a test catalog,
 * a fresh models directory, and test-sized timings. Engines are stopped at shutdown.
 */
public class SupervisorResource implements QuarkusTestResourceLifecycleManager {

    static FakeEngineProcess ollama;
    static FakeHub hub;
    static Path modelsDir;

    @Override
    public Map<String, String> start() {
        try {
            modelsDir = Files.createTempDirectory("infercore-supervisor-test");
            byte[] gguf = Files.readAllBytes(TestModel.path());
            hub = new FakeHub().file("karpathy/tinyllamas", "stories260K.gguf", gguf)
                    .file("karpathy/tinyllamas", "tampered/stories260K-copy.gguf", gguf);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ollama = FakeEngineProcess.ollama("llama3.2:latest");
        Map<String, String> config = new HashMap<>();
        config.put("infercore.models_dir", modelsDir.toString());
        config.put("infercore.models_config", "src/test/resources/supervisor/test-models.json");
        config.put("infercore.hf_endpoint", hub.url());
        config.put("infercore.ollama.base_url", ollama.baseUrl());
        config.put("infercore.vllm.launch_command", "src/test/fakes/vllm,serve");
        config.put("infercore.sglang.launch_command", "python3,src/test/fakes/sglang_launch_server.py");
        config.put("infercore.supervisor.health_interval", "1s");
        config.put("infercore.supervisor.probe_timeout", "2s");
        config.put("infercore.supervisor.unhealthy_threshold", "2");
        config.put("infercore.supervisor.stall_timeout", "5s");
        config.put("infercore.supervisor.stop_grace", "2s");
        config.put("infercore.supervisor.restart_backoff", "200ms");
        config.put("infercore.supervisor.restart_backoff_max", "1s");
        config.put("infercore.supervisor.on_shutdown", "stop");
        return config;
    }

    @Override
    public void stop() {
        if (ollama != null) {
            ollama.close();
        }
        if (hub != null) {
            hub.close();
        }
    }
}
