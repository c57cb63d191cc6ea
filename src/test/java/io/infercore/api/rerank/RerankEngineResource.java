package io.infercore.api.rerank;

import io.infercore.support.FakeEngineProcess;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.util.Map;

/**
 * Engines serving a reranking model: the fake vLLM 0.11 ({@code vllm serve BAAI/bge-reranker-v2-m3
 * --runner pooling}) behind {@code vllm.base_url}, and the fake SGLang 0.5
 * ({@code --model-path BAAI/bge-reranker-base --is-embedding}) behind {@code sglang.base_url}. Their
 * {@code /v1/rerank} scores a document by the share of the query's words it contains.
 */
public class RerankEngineResource implements QuarkusTestResourceLifecycleManager {

    public static final String MODEL = "BAAI/bge-reranker-v2-m3";
    public static final String SGLANG_MODEL = "BAAI/bge-reranker-base";
    public static FakeEngineProcess vllm;
    public static FakeEngineProcess sglang;

    @Override
    public Map<String, String> start() {
        vllm = FakeEngineProcess.vllm(MODEL, "--runner", "pooling");
        sglang = FakeEngineProcess.sglang(SGLANG_MODEL, "--is-embedding");
        return Map.of("infercore.vllm.base_url", vllm.baseUrl(), "infercore.sglang.base_url", sglang.baseUrl());
    }

    @Override
    public void stop() {
        for (FakeEngineProcess fake : new FakeEngineProcess[] {vllm, sglang}) {
            if (fake != null) {
                fake.close();
            }
        }
    }
}
