package io.infercore.api.rerank;

import io.infercore.support.FakeEngineProcess;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.util.Map;

/**
 * A fake vLLM 0.11 server serving a reranking model ({@code vllm serve BAAI/bge-reranker-v2-m3
 * --runner pooling}), behind {@code vllm.base_url}: its {@code /v1/rerank} scores a document by the
 * share of the query's words it contains.
 */
public class RerankEngineResource implements QuarkusTestResourceLifecycleManager {

    public static final String MODEL = "BAAI/bge-reranker-v2-m3";
    public static FakeEngineProcess vllm;

    @Override
    public Map<String, String> start() {
        vllm = FakeEngineProcess.vllm(MODEL, "--runner", "pooling");
        return Map.of("infercore.vllm.base_url", vllm.baseUrl());
    }

    @Override
    public void stop() {
        if (vllm != null) {
            vllm.close();
        }
    }
}
