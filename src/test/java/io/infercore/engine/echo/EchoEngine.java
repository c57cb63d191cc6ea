package io.infercore.engine.echo;

import io.infercore.engine.Capability;
import io.infercore.engine.ChatMessage;
import io.infercore.engine.EngineAdapter;
import io.infercore.engine.EngineHealth;
import io.infercore.engine.GenerationRequest;
import io.infercore.engine.ModelInfo;
import io.infercore.engine.StreamEvent;
import io.infercore.engine.Usage;
import io.infercore.error.InfercoreException;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import io.quarkus.arc.lookup.LookupIfProperty;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * A throwaway engine that answers with what it was given: the prompt, or the last chat turn,
 * word by word ("echo: " first). It exists to show that an engine is one package: it is known to
 * the service only through the SPI (this adapter and {@link EchoProvider}), which discovers it
 * only when {@code echo-engine.enabled} is true ({@link EchoEngineTest}'s profile), so other
 * tests never see it.
 */
@LookupIfProperty(name = "echo-engine.enabled", stringValue = "true")
@ApplicationScoped
public class EchoEngine implements EngineAdapter {

    static final String TYPE = "echo";
    static final String MODEL = "echo-1";

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public Set<Capability> capabilities() {
        return EnumSet.of(Capability.GENERATE, Capability.CHAT, Capability.STREAMING, Capability.HEALTH);
    }

    @Override
    public Uni<ModelInfo> resolveModel(String model) {
        if (!MODEL.equals(model)) {
            return Uni.createFrom().failure(InfercoreException.modelNotFound("echo serves only '" + MODEL + "', not '"
                    + model + "'"));
        }
        return Uni.createFrom().item(new ModelInfo(MODEL, 4096));
    }

    @Override
    public Uni<List<ModelInfo>> listModels() {
        return Uni.createFrom().item(List.of(new ModelInfo(MODEL, 4096)));
    }

    @Override
    public Multi<StreamEvent> stream(GenerationRequest request) {
        String said = request.isChat() ? lastTurn(request.messages()) : request.prompt();
        List<StreamEvent> events = new ArrayList<>();
        events.add(StreamEvent.Delta.text("echo:"));
        String[] words = said.strip().split("\\s+");
        for (String word : words) {
            events.add(StreamEvent.Delta.text(" " + word));
        }
        events.add(new StreamEvent.Done("stop", new Usage(words.length, words.length + 1)));
        return Multi.createFrom().iterable(events);
    }

    @Override
    public Uni<EngineHealth> health() {
        return Uni.createFrom().item(new EngineHealth(TYPE, true, "in-memory", "echoes"));
    }

    private static String lastTurn(List<ChatMessage> messages) {
        return messages.isEmpty() || messages.get(messages.size() - 1).content() == null ? ""
                : messages.get(messages.size() - 1).content();
    }
}
