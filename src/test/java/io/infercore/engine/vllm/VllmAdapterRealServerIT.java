package io.infercore.engine.vllm;

import io.infercore.engine.EngineAdapter;
import io.infercore.engine.EngineAdapterContractTest;
import io.infercore.engine.FakeEngineUnderTest;
import io.infercore.support.TestModel;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;


/**
 * The engine contract for {@link VllmEngine} against a REAL OpenAI-compatible server: llama.cpp's
 * own C++ HTTP server (PyPI {@code xllamacpp}, via {@code scripts/llamacpp-openai-server.sh})
 * serving the stories260K GGUF, with embeddings on. It has no fault knobs, so the fault rows are
 * left to the fakes; "unreachable" and "unknown model" still run. The server itself accepts any
 * model name (it answers with its own), so the 404 proves our check against {@code /v1/models}.
 * Runs in the failsafe phase ({@code ./mvnw verify}); skipped when the GGUF is absent.
 */
@DisplayName("vLLM adapter vs real llama.cpp OpenAI-compatible server (xllamacpp)")
class VllmAdapterRealServerIT extends EngineAdapterContractTest {

    static final String SERVED = "stories260k";
    static Process server;
    static EngineUnderTest engine;

    @BeforeAll
    static void start() throws Exception {
        Path gguf = TestModel.path();
        int port = io.infercore.support.FakeEngineProcess.freePort();
        server = new ProcessBuilder("bash", "scripts/llamacpp-openai-server.sh", gguf.toAbsolutePath().toString(),
                String.valueOf(port), SERVED, "-c", "512", "--embeddings", "--pooling", "mean")
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        String url = awaitReady(server);
        EngineAdapter adapter = VllmEngine.at(FakeEngineUnderTest.endpoint(VllmEngine.TYPE, url), Map.of("llama3.2", SERVED));
        engine = new RealServerUnderTest(adapter, "llama3.2", SERVED, adapter);
    }

    /** The script prints {@code READY http://host:port} once the model is loaded (it may install xllamacpp first). */
    private static String awaitReady(Process process) throws Exception {
        CompletableFuture<String> ready = CompletableFuture.supplyAsync(() -> {
            try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = out.readLine()) != null) {
                    if (line.startsWith("READY ")) {
                        return line.substring(6).strip();
                    }
                }
                throw new IllegalStateException("llamacpp-openai-server.sh exited before READY");
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        });
        return ready.get(300, TimeUnit.SECONDS);
    }

    @AfterAll
    static void stop() throws InterruptedException {
        if (server != null) {
            server.destroy();
            if (!server.waitFor(3, TimeUnit.SECONDS)) {
                server.destroyForcibly();
            }
        }
    }

    @Override
    protected EngineUnderTest engine() {
        return engine;
    }
}
