package io.infercore.cli;

import io.infercore.InfercoreMain;
import io.infercore.config.InfercoreConfig;
import io.infercore.engine.EngineAdapter;
import io.infercore.engine.EngineRegistry;
import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.QuarkusApplication;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@code check}: the seed's {@code python main.py} test run. Boots the application with its HTTP
 * listener off ({@code quarkus.http.host-enabled=false}: a check never collides with a service on
 * the same port), probes every registered engine through the same adapters and
 * {@link io.infercore.inference.InferenceService} path requests take ({@link EngineProbe}), prints
 * a table and returns {@link InfercoreMain#EXIT_FAILED} when the default engine is not {@code ok}.
 *
 * <p>The JVM is ended with {@code System.exit} after Quarkus stopped, as {@code serve} does:
 * java-llama.cpp leaves a non-daemon native thread behind once a model was loaded (upstream
 * kherud/java-llama.cpp#116), which would otherwise keep the process alive.
 */
@Singleton
public class CheckCommand implements QuarkusApplication {

    @Inject
    EngineRegistry engines;
    @Inject
    EngineProbe probe;
    @Inject
    InfercoreConfig config;

    /** Runs {@code check} with the arguments after the command word; returns the process exit code. */
    public static int launch(String... args) {
        for (String arg : args) {
            if (arg.equals("-h") || arg.equals("--help")) {
                System.out.println("usage: infercore check\n"
                        + "Probes every engine (health, then a short generation where one is reachable) and prints "
                        + "engine, status, latency and hint.\nexit codes: 0 the default engine is ok; 1 it is not, or "
                        + "the configuration is invalid; 2 usage");
                return InfercoreMain.EXIT_OK;
            }
        }
        if (args.length > 0) {
            System.err.println("infercore: check takes no arguments, got " + List.of(args) + "\n" + "usage: infercore check");
            return InfercoreMain.EXIT_USAGE;
        }
        System.setProperty("quarkus.http.host-enabled", "false");
        // The supervisor re-adopts the runs of <models_dir>/runs/state.json at start-up: they belong to a
        // service, which a check must never stop, whatever supervisor.on_shutdown says.
        System.setProperty("infercore.supervisor.on_shutdown", "leave");
        if (System.getProperty("quarkus.log.level") == null && System.getenv("QUARKUS_LOG_LEVEL") == null) {
            System.setProperty("quarkus.log.level", "WARN"); // the table is the output; set the level to see more
        }
        AtomicInteger code = new AtomicInteger(InfercoreMain.EXIT_FAILED);
        Quarkus.run(CheckCommand.class, (exitCode, failure) -> {
            if (failure != null) { // with an exit handler of our own, Quarkus leaves reporting to us
                System.err.println("infercore: check could not start the application: " + rootMessage(failure));
            }
            code.set(failure != null && exitCode == 0 ? InfercoreMain.EXIT_FAILED : exitCode);
        });
        return code.get();
    }

    private static String rootMessage(Throwable failure) {
        Throwable cause = failure;
        while (cause.getCause() != null && cause.getCause() != cause) {
            cause = cause.getCause();
        }
        return cause.getMessage() == null ? cause.toString() : cause.getMessage();
    }

    @Override
    public int run(String... args) {
        return report(System.out);
    }

    int report(PrintStream out) {
        List<EngineProbe.Result> results = new ArrayList<>();
        for (EngineAdapter adapter : engines.instances()) {
            results.add(probe.probe(adapter));
        }
        String defaultEngine = config.defaultEngine();
        out.print(CheckTable.render(results, defaultEngine));
        out.flush();
        return CheckTable.defaultEngineOk(results, defaultEngine) ? InfercoreMain.EXIT_OK : InfercoreMain.EXIT_FAILED;
    }
}
