package io.infercore.engine.echo;

import io.infercore.engine.EngineProvider;
import jakarta.enterprise.context.ApplicationScoped;
import io.quarkus.arc.lookup.LookupIfProperty;

/** What the service knows about the echo engine: its name and its hints; nothing to launch. */
@LookupIfProperty(name = "echo-engine.enabled", stringValue = "true")
@ApplicationScoped
public class EchoProvider implements EngineProvider {

    @Override
    public String type() {
        return EchoEngine.TYPE;
    }

    @Override
    public String startHint() {
        return "the echo engine is always running";
    }

    @Override
    public String missingModelHint(String model) {
        return "echo serves only " + EchoEngine.MODEL;
    }
}
