package io.infercore.engine;

import com.fasterxml.jackson.databind.JsonNode;
import io.infercore.engine.openai.RemoteEndpoint;
import io.infercore.support.FakeEngineProcess;

import java.time.Duration;
import java.util.function.Function;

/**
 * An {@link EngineAdapterContractTest.EngineUnderTest} backed by a fake engine process: knobs and
 * stats through its {@code /_fake/*} API, and adapters built for any URL by {@code factory}.
 */
public final class FakeEngineUnderTest implements EngineAdapterContractTest.EngineUnderTest {

    /** Short enough to keep the hang case quick, long enough for a loaded 2-core CI machine. */
    public static final Duration FIRST_TOKEN = Duration.ofMillis(1500);

    private final FakeEngineProcess fake;
    private final String model;
    private final Function<RemoteEndpoint, EngineAdapter> factory;
    private final EngineAdapter adapter;
    private final String hint;
    private EngineAdapter embeddingAdapter;
    private String embeddingModel;

    public FakeEngineUnderTest(FakeEngineProcess fake, String engine, String model,
                               Function<RemoteEndpoint, EngineAdapter> factory, String modelNotFoundHint) {
        this.fake = fake;
        this.model = model;
        this.factory = factory;
        this.adapter = factory.apply(endpoint(engine, fake.baseUrl()));
        this.hint = modelNotFoundHint;
    }

    public static RemoteEndpoint endpoint(String engine, String url) {
        return new RemoteEndpoint(engine, url, null, Duration.ofSeconds(2), FIRST_TOKEN, Duration.ofSeconds(30));
    }

    @Override
    public EngineAdapter adapter() {
        return adapter;
    }

    @Override
    public String model() {
        return model;
    }

    @Override
    public boolean supportsFaults() {
        return true;
    }

    @Override
    public JsonNode stats() {
        return fake.stats();
    }

    @Override
    public void setKnob(String name, Object value) {
        fake.setKnob(name, value);
    }

    @Override
    public void resetKnobs() {
        fake.resetKnobs();
    }

    @Override
    public EngineAdapter adapterAt(String baseUrl) {
        return factory.apply(endpoint(adapter.type(), baseUrl));
    }

    @Override
    public Duration firstTokenTimeout() {
        return FIRST_TOKEN;
    }

    @Override
    public boolean supportsThinking() {
        return true;
    }

    @Override
    public String modelNotFoundHint() {
        return hint;
    }

    /** Embeddings are asked of {@code adapter} with {@code model} (e.g. a second fake serving a pooling model). */
    public FakeEngineUnderTest withEmbeddings(EngineAdapter adapter, String model) {
        this.embeddingAdapter = adapter;
        this.embeddingModel = model;
        return this;
    }

    @Override
    public EngineAdapter embeddingAdapter() {
        return embeddingAdapter != null ? embeddingAdapter : EngineAdapterContractTest.EngineUnderTest.super.embeddingAdapter();
    }

    @Override
    public String embeddingModel() {
        return embeddingModel != null ? embeddingModel : model;
    }

    public FakeEngineProcess fake() {
        return fake;
    }
}
