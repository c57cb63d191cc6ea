package io.infercore.engine.echo;

import io.infercore.catalog.CatalogModel;
import io.infercore.supervisor.DriverContext;
import io.infercore.supervisor.EngineLauncher;
import io.infercore.supervisor.LaunchContext;
import io.infercore.supervisor.LaunchOptions;
import io.infercore.supervisor.LaunchPlan;
import io.infercore.supervisor.RunDriver;
import io.infercore.supervisor.RunMode;
import io.quarkus.arc.lookup.LookupIfProperty;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.List;
import java.util.Map;

import static io.infercore.supervisor.LaunchContext.refuse;

/**
 * How the supervisor launches echo runs: in-process ({@link RunMode#EMBEDDED}, beside the
 * embedded llama.cpp engine's runs), once, with no launch arguments, driven by its own
 * {@link EchoDriver}. Like the rest of the echo engine it exists only under
 * {@code echo-engine.enabled}.
 */
@LookupIfProperty(name = "echo-engine.enabled", stringValue = "true")
@ApplicationScoped
public class EchoLauncher implements EngineLauncher {

    @Override
    public String type() {
        return EchoEngine.TYPE;
    }

    @Override
    public LaunchPlan plan(LaunchContext c) {
        refuse(!EchoEngine.MODEL.equals(c.model().id()), "model_id", "echo serves only " + EchoEngine.MODEL);
        refuse(c.replicas() > 1, "replicas", "echo runs once, in-process; use replicas 1");
        refuse(c.request().nGpu() != null && c.request().nGpu() > 0, "n_gpu", "echo needs no GPU");
        refuse(!c.args().isEmpty(), "engine_args", "echo takes no launch arguments");
        CatalogModel model = c.model();
        return new LaunchPlan(type(), RunMode.EMBEDDED, model.id(), c.size().size(), model.modelType(), EchoEngine.MODEL,
                "in memory", null, null, null, 0, 1, c.request().enableThinking(), Map.of(), null);
    }

    @Override
    public LaunchOptions options(LaunchContext.Choice choice) {
        return new LaunchOptions(type(), true, null, List.of(), List.of(), null, new LaunchOptions.Range(1, 1, 1),
                List.of(), "in memory", Map.of(), null);
    }

    @Override
    public Map<RunMode, RunDriver> drivers(DriverContext context) {
        return Map.of(RunMode.EMBEDDED, new EchoDriver());
    }
}
