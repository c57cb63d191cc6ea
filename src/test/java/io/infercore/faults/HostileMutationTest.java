package io.infercore.faults;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/**
 * Generated on top of the fixed corpus: valid bodies of the generation and OpenAI routes, each
 * mutated a few times at random (a field dropped, retyped, set to a huge or odd number, to hostile
 * unicode, an unknown field added). The property: whatever the mutation, never a 5xx or a stack
 * trace, and an error is in the route's shape. The seed is fixed so a failure replays; change it
 * with {@code -Dfuzz.seed=N}, the count with {@code -Dfuzz.cases=N}. Launch routes are left to the
 * fixed corpus: a mutation there could make a valid launch.
 */
@QuarkusTest
@Tag("corpus")
class HostileMutationTest {

    static final long SEED = Long.getLong("fuzz.seed", 20261128L);
    static final int CASES = Integer.getInteger("fuzz.cases", 300);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    static final Map<String, String> VALID = Map.of(
            HostileCorpus.GENERATE, "{\"prompt\":\"Once upon a time\",\"max_tokens\":3,\"temperature\":0.5,\"top_p\":0.9,"
                    + "\"stop\":[\"\\n\"],\"seed\":7,\"stream\":false}",
            HostileCorpus.CHAT, "{\"messages\":[{\"role\":\"system\",\"content\":\"Be brief\"},{\"role\":\"user\","
                    + "\"content\":\"Hi\"}],\"max_tokens\":3,\"temperature\":0}",
            HostileCorpus.STRUCTURED, "{\"prompt\":\"A city\",\"schema\":{\"city\":\"string\"},\"max_tokens\":8}",
            HostileCorpus.EMBED, "{\"input\":[\"a\",\"b\"]}",
            HostileCorpus.V1_CHAT, "{\"model\":\"stories260k\",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}],"
                    + "\"max_tokens\":3,\"n\":1,\"stream\":false}",
            HostileCorpus.V1_COMPLETIONS, "{\"model\":\"stories260k\",\"prompt\":\"Once\",\"max_tokens\":3}",
            HostileCorpus.V1_EMBEDDINGS, "{\"input\":\"a\",\"encoding_format\":\"float\"}",
            HostileCorpus.V1_RESPONSES, "{\"model\":\"stories260k\",\"input\":[{\"role\":\"user\",\"content\":\"Hi\"}],"
                    + "\"max_output_tokens\":3,\"store\":false,\"text\":{\"format\":{\"type\":\"text\"}}}",
            HostileCorpus.V1_MESSAGES, "{\"model\":\"stories260k\",\"max_tokens\":3,\"system\":\"Be brief\","
                    + "\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"text\",\"text\":\"Hi\"}]}]}");

    static final List<String> ODD_STRINGS = List.of("", " ", "\u0000", "\ud800", "\u202e", "\uD83D\uDE00".repeat(50),
            "../../etc/passwd", "$(id)", "`id`", "; rm -rf /", "x".repeat(20_000), "\r\n\r\n", "%00", "null");
    static final List<JsonNode> ODD_NUMBERS = List.of(F.numberNode(-1), F.numberNode(0), F.numberNode(Long.MAX_VALUE),
            F.numberNode(Long.MIN_VALUE), F.numberNode(1e308), F.numberNode(-1e308), F.numberNode(4.9e-324),
            F.numberNode(new java.math.BigInteger("9".repeat(200))), F.numberNode(0.5), F.numberNode(Integer.MAX_VALUE));

    static Stream<Arguments> mutations() throws Exception {
        Random random = new Random(SEED);
        List<String> routes = new ArrayList<>(VALID.keySet());
        routes.sort(null);
        List<Arguments> out = new ArrayList<>();
        for (int i = 0; i < CASES; i++) {
            String route = routes.get(random.nextInt(routes.size()));
            JsonNode body = JSON.readTree(VALID.get(route));
            int times = 1 + random.nextInt(3);
            for (int t = 0; t < times; t++) {
                body = mutate(body, random);
            }
            out.add(arguments(route, JSON.writeValueAsString(body)));
        }
        return out.stream();
    }

    /** One random change somewhere in the tree. */
    static JsonNode mutate(JsonNode node, Random random) {
        if (node instanceof ObjectNode object && object.size() > 0 && random.nextInt(4) > 0) {
            List<String> names = new ArrayList<>();
            object.fieldNames().forEachRemaining(names::add);
            String name = names.get(random.nextInt(names.size()));
            switch (random.nextInt(4)) {
                case 0 -> object.remove(name);
                case 1 -> object.set("zz_" + random.nextInt(100), oddValue(random));
                default -> object.set(name, random.nextBoolean() ? mutate(object.get(name), random) : oddValue(random));
            }
            return object;
        }
        if (node instanceof ArrayNode array && array.size() > 0 && random.nextBoolean()) {
            int index = random.nextInt(array.size());
            array.set(index, mutate(array.get(index), random));
            return array;
        }
        return oddValue(random);
    }

    static JsonNode oddValue(Random random) {
        return switch (random.nextInt(6)) {
            case 0 -> F.textNode(ODD_STRINGS.get(random.nextInt(ODD_STRINGS.size())));
            case 1 -> ODD_NUMBERS.get(random.nextInt(ODD_NUMBERS.size()));
            case 2 -> F.booleanNode(random.nextBoolean());
            case 3 -> F.nullNode();
            case 4 -> F.arrayNode().add(oddValue(random)).add(F.objectNode());
            default -> F.objectNode().set("zz", F.textNode(ODD_STRINGS.get(random.nextInt(ODD_STRINGS.size()))));
        };
    }

    @ParameterizedTest(name = "{index}: {0} {1}")
    @MethodSource("mutations")
    void should_never_answer_5xx_whatever_the_mutation(String route, String body) {
        String requestId = "mutant-" + Integer.toHexString(body.hashCode());
        Response response = given().header("X-Request-Id", requestId).contentType("application/json").body(body)
                .when().post(route);
        String text = response.asString();
        assertThat(response.statusCode()).as(text).isLessThan(500);
        for (Iterator<String> marks = HostileInputTest.TRACE_MARKS.iterator(); marks.hasNext(); ) {
            assertThat(text).doesNotContain(marks.next());
        }
        if (response.statusCode() >= 400) {
            HostileInputTest.assertErrorShape(route, response, requestId, response.statusCode());
        }
    }
}
