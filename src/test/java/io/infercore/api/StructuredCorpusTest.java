package io.infercore.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The structured-output corpus ({@code src/test/resources/structured/}, everyday schemas) end to
 * end on the embedded engine with stories260K, at temperature 0 and at temperature 1 with three
 * seeds: every answer conforms to its schema. The only tolerated failure is an answer cut at
 * {@code max_tokens} (a tiny model can write an unbounded string for ever), and it must say so
 * ({@code finish_reason: length} and an error naming max_tokens). Every corpus schema is fully
 * enforced by the grammar ({@code unenforced_keywords} empty). The tallies are printed.
 */
@QuarkusTest
class StructuredCorpusTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final double[][] RUNS = {{0.0, 1}, {1.0, 1}, {1.0, 2}, {1.0, 3}};

    @Test
    void should_conform_to_every_corpus_schema_at_temperature_0_and_1() throws IOException {
        List<Path> files;
        try (Stream<Path> list = Files.list(Path.of("src/test/resources/structured"))) {
            files = list.filter(p -> p.toString().endsWith(".json")).sorted().toList();
        }
        assertThat(files).hasSizeGreaterThanOrEqualTo(60);
        int firstAttempt = 0;
        int afterRetry = 0;
        int cutAtMaxTokens = 0;
        List<String> broken = new ArrayList<>();
        List<String> unenforced = new ArrayList<>();
        long started = System.nanoTime();
        long tokens = 0;
        for (Path file : files) {
            JsonNode schema = JSON.readTree(file.toFile());
            for (double[] run : RUNS) {
                ObjectNode body = JSON.createObjectNode().put("prompt", "Once upon a time").put("max_tokens", 256)
                        .put("temperature", run[0]).put("seed", (long) run[1]);
                body.set("schema", schema);
                Response r = given().contentType(ContentType.JSON).body(body.toString())
                        .when().post("/api/v1/llm/structured-generate");
                assertThat(r.statusCode()).as(file + " " + r.asString()).isEqualTo(200);
                List<String> keywords = r.jsonPath().getList("data.unenforced_keywords", String.class);
                if (keywords == null || !keywords.isEmpty()) {
                    unenforced.add(file.getFileName() + ": " + keywords);
                }
                tokens += r.jsonPath().getLong("data.usage.completion_tokens");
                boolean valid = r.jsonPath().getBoolean("data.valid");
                int attempts = r.jsonPath().getInt("data.attempts");
                String label = file.getFileName() + " t=" + run[0] + " seed=" + (long) run[1];
                if (valid && attempts == 1) {
                    firstAttempt++;
                } else if (valid) {
                    afterRetry++;
                } else if ("length".equals(r.jsonPath().getString("data.finish_reason"))) {
                    cutAtMaxTokens++;
                    assertThat(r.jsonPath().getList("data.errors", String.class).get(0)).contains("max_tokens");
                } else {
                    broken.add(label + ": " + r.jsonPath().getList("data.errors") + " in " + r.jsonPath().getString("data.text"));
                }
            }
        }
        int total = files.size() * RUNS.length;
        System.out.printf("structured corpus: %d schemas x %d runs = %d answers; conform on the first attempt %d, "
                        + "after one retry %d, cut at max_tokens %d, breaking their schema %d (%d completion tokens, %.1f s)%n",
                files.size(), RUNS.length, total, firstAttempt, afterRetry, cutAtMaxTokens, broken.size(), tokens,
                (System.nanoTime() - started) / 1e9);
        broken.forEach(b -> System.out.println("broken: " + b));
        assertThat(broken).as("answers that break their schema").isEmpty();
        assertThat(unenforced).as("corpus schemas with keywords the grammar leaves to the validator").isEmpty();
    }
}
