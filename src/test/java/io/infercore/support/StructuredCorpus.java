package io.infercore.support;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.infercore.inference.JsonSchemas;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * The structured-output corpus ({@code src/test/resources/structured/}, the schemas of
 * {@code StructuredCorpusTest}) run once per schema through an engine other than the embedded
 * one: each answer is checked against its schema by infercore's validator, first attempt only,
 * and the tally is printed and written to {@code target/structured-corpus-<engine>.json}.
 */
public final class StructuredCorpus {

    private static final ObjectMapper JSON = new ObjectMapper();
    public static final Path DIR = Path.of("src/test/resources/structured");

    private StructuredCorpus() {
    }

    /** One engine answer: its text, why it stopped, what it cost. */
    public record Answer(String text, String finishReason, int completionTokens) {
    }

    /**
     * How the answers fared: conforming on the first attempt, cut at {@code max_tokens} before the
     * JSON was complete (not a fault of the constraint), breaking their schema, and no answer at
     * all (the engine refused the schema or failed on it; the message is kept).
     */
    public record Tally(String engine, int schemas, int conform, int cutAtMaxTokens, List<String> broken,
                        List<String> engineErrors, long completionTokens, double seconds) {
    }

    /** The corpus files, sorted; {@code every} keeps one in that many (1: all). */
    public static List<Path> schemas(int every) {
        try (Stream<Path> list = Files.list(DIR)) {
            List<Path> all = list.filter(p -> p.toString().endsWith(".json")).sorted().toList();
            List<Path> kept = new ArrayList<>();
            for (int i = 0; i < all.size(); i += every) {
                kept.add(all.get(i));
            }
            return kept;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Runs {@code generate} (normalized schema in, answer out) over {@code files}; prints and writes the tally. */
    public static Tally run(String engine, List<Path> files, String settings, Function<ObjectNode, Answer> generate) {
        long started = System.nanoTime();
        int conform = 0;
        int cut = 0;
        long tokens = 0;
        List<String> broken = new ArrayList<>();
        List<String> failed = new ArrayList<>();
        ArrayNode rows = JSON.createArrayNode();
        for (Path file : files) {
            ObjectNode schema;
            try {
                schema = JsonSchemas.normalize(JSON.readTree(file.toFile()));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            Answer answer;
            try {
                answer = generate.apply(schema);
            } catch (RuntimeException e) {
                failed.add(file.getFileName() + ": " + e.getMessage());
                rows.addObject().put("schema", file.getFileName().toString()).put("outcome", "engine_error")
                        .put("error", String.valueOf(e.getMessage()));
                continue;
            }
            tokens += answer.completionTokens();
            JsonSchemas.Verdict verdict = JsonSchemas.check(schema, answer.text());
            String outcome;
            if (verdict.valid()) {
                conform++;
                outcome = "conform";
            } else if ("length".equals(answer.finishReason())) {
                cut++;
                outcome = "cut_at_max_tokens";
            } else {
                broken.add(file.getFileName() + ": " + verdict.errors() + " in " + answer.text());
                outcome = "broken";
            }
            ObjectNode row = rows.addObject().put("schema", file.getFileName().toString()).put("outcome", outcome)
                    .put("finish_reason", answer.finishReason()).put("text", answer.text());
            verdict.errors().forEach(row.putArray("errors")::add);
        }
        Tally tally = new Tally(engine, files.size(), conform, cut, List.copyOf(broken), List.copyOf(failed), tokens,
                (System.nanoTime() - started) / 1e9);
        ObjectNode report = JSON.createObjectNode().put("engine", engine).put("settings", settings)
                .put("schemas", tally.schemas()).put("conform_first_attempt", conform).put("cut_at_max_tokens", cut)
                .put("broken", broken.size()).put("engine_errors", failed.size()).put("completion_tokens", tokens)
                .put("seconds", Math.round(tally.seconds() * 10) / 10.0);
        report.set("answers", rows);
        try {
            Files.createDirectories(Path.of("target"));
            JSON.writerWithDefaultPrettyPrinter().writeValue(Path.of("target", "structured-corpus-" + engine + ".json")
                    .toFile(), report);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        System.out.printf("structured corpus on %s (%s): %d schemas; conform on the first attempt %d, cut at "
                        + "max_tokens %d, breaking their schema %d, no answer (engine error) %d (%d completion tokens, "
                        + "%.1f s)%n", engine, settings, tally.schemas(), conform, cut, broken.size(), failed.size(), tokens,
                tally.seconds());
        broken.forEach(b -> System.out.println("broken (" + engine + "): " + b));
        failed.forEach(f -> System.out.println("engine error (" + engine + "): " + f));
        return tally;
    }
}
