package io.infercore.supervisor;

import java.util.Map;

/**
 * A start request as received ({@code POST /api/v1/models/start}); {@link LaunchResolver} turns it
 * into a {@link LaunchPlan} or a 400 naming the field and what is possible instead.
 */
public record LaunchRequest(String modelId, String size, String engineType, String quantization, String format,
                            Integer nGpu, Integer replicas, Boolean enableThinking, Map<String, Object> engineArgs) {
}
