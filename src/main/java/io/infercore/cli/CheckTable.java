package io.infercore.cli;

import java.util.List;

/** The {@code check} table: one row per engine, the default engine starred, and a verdict line. */
final class CheckTable {

    private CheckTable() {
    }

    static String render(List<EngineProbe.Result> results, String defaultEngine) {
        String[] header = {"ENGINE", "STATUS", "LATENCY", "HINT"};
        int engineWidth = header[0].length();
        for (EngineProbe.Result r : results) {
            engineWidth = Math.max(engineWidth, r.engine().length() + 1);
        }
        String format = "%-" + engineWidth + "s  %-6s  %8s  %s%n";
        StringBuilder out = new StringBuilder(String.format(format, (Object[]) header));
        for (EngineProbe.Result r : results) {
            String name = r.engine() + (r.engine().equals(defaultEngine) ? "*" : "");
            out.append(String.format(format, name, r.status(), r.latencyMs() + " ms", oneLine(r.hint())));
        }
        EngineProbe.Result def = results.stream().filter(r -> r.engine().equals(defaultEngine)).findFirst().orElse(null);
        out.append("\n* default engine ").append(defaultEngine).append(": ")
                .append(def == null ? "not registered" : def.status().toString())
                .append(defaultEngineOk(results, defaultEngine) ? "" : " (check failed)").append(System.lineSeparator());
        return out.toString();
    }

    /** The check passes only when the default engine answered a real generation. */
    static boolean defaultEngineOk(List<EngineProbe.Result> results, String defaultEngine) {
        return results.stream().anyMatch(r -> r.engine().equals(defaultEngine) && r.status() == EngineProbe.Status.OK);
    }

    static String shorten(String text, int max) {
        String s = oneLine(text);
        return s.length() <= max ? s : s.substring(0, max - 3) + "...";
    }

    private static String oneLine(String text) {
        return text == null ? "" : text.replace("\r", "").replace("\n", "\\n");
    }
}
