package io.infercore.api;

import io.infercore.engine.Usage;
import io.quarkus.runtime.annotations.RegisterForReflection;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** Token counts as the API reports them. */
@Schema(description = "Token usage")
@RegisterForReflection
public record UsageData(
        @Schema(description = "Tokens in the prompt (after the chat template)") int promptTokens,
        @Schema(description = "Tokens generated") int completionTokens) {

    public static UsageData of(Usage usage) {
        Usage u = usage == null ? Usage.EMPTY : usage;
        return new UsageData(u.promptTokens(), u.completionTokens());
    }
}
