package io.infercore.ui;

import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Skips the browser tests, before the service is even started, when Debian's Chromium is not
 * installed, saying how to install it. Nothing else skips them: a missing chromedriver next to an
 * installed Chromium is a failure.
 */
public class ChromiumCondition implements ExecutionCondition {

    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
        if (java.nio.file.Files.isExecutable(Browser.CHROMIUM)) {
            return ConditionEvaluationResult.enabled("Chromium found at " + Browser.CHROMIUM);
        }
        return ConditionEvaluationResult.disabled("Web UI e2e tests skipped: " + Browser.CHROMIUM
                + " is absent. Install it with: apt-get update && " + Browser.INSTALL_HINT);
    }
}
