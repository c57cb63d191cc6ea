package io.infercore.support;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs the Python scripts under {@code src/test/clients/} with the official client libraries,
 * unmodified, from the venv that {@code scripts/client-sdks.sh} keeps outside the clone (pinned
 * versions; installed once, then reused). A script asserts what a user of that library relies on,
 * exits 1 naming the first failed check, and prints its measured facts as JSON on its last line.
 */
public final class ClientScripts {

    private static String python;

    private ClientScripts() {
    }

    /** The venv's python, creating or updating the venv first when the pinned list changed. */
    public static synchronized String python() throws Exception {
        if (python == null) {
            CliProcess.Result setup = CliProcess.run(List.of("bash", "scripts/client-sdks.sh"), Duration.ofMinutes(5));
            if (setup.exitCode() != 0) {
                throw new IllegalStateException("scripts/client-sdks.sh failed: " + setup);
            }
            String[] lines = setup.stdout().strip().split("\n");
            python = lines[lines.length - 1].strip();
        }
        return python;
    }

    /** Runs {@code src/test/clients/<script>} with {@code args}. */
    public static CliProcess.Result run(String script, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(python(), "src/test/clients/" + script));
        command.addAll(List.of(args));
        return CliProcess.run(command, Duration.ofMinutes(3));
    }

    /** The JSON object a successful script printed last. */
    public static String lastLine(CliProcess.Result result) {
        String[] lines = result.stdout().strip().split("\n");
        return lines[lines.length - 1];
    }
}
