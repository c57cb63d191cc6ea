package io.infercore.engine.llamacpp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.infercore.config.InfercoreConfig;
import io.infercore.engine.GenerationRequest;
import io.infercore.engine.GenerationResult;
import io.infercore.engine.SamplingParams;
import io.infercore.error.ErrorKind;
import io.infercore.error.InfercoreException;
import io.infercore.inference.JsonSchemas;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Every grammar the converter builds, for one schema per keyword and for the whole structured
 * corpus, run through llama.cpp itself (stories260K, 24 tokens at temperature 1): llama.cpp only
 * logs a grammar it cannot parse and then samples freely, so the proof that it parsed the grammar
 * is that what it wrote is the start of a document the grammar accepts. Unconstrained, this
 * model writes children's stories.
 */
@QuarkusTest
class GrammarParsedByLlamaCppTest {

    static final ObjectMapper JSON = new ObjectMapper();

    /** One schema per keyword the converter enforces. */
    static final List<String> KEYWORD_SCHEMAS = List.of(
            "{\"type\":\"object\",\"properties\":{\"color\":{\"enum\":[\"red\",\"green\",\"blue\"]}},\"required\":[\"color\"]}",
            "{\"type\":\"object\",\"properties\":{\"v\":{\"const\":{\"a\":[1,null]}}},\"required\":[\"v\"]}",
            "{\"type\":\"integer\",\"minimum\":-5,\"exclusiveMaximum\":120}",
            "{\"type\":\"integer\",\"exclusiveMinimum\":-1000,\"maximum\":-10}",
            "{\"type\":\"number\",\"exclusiveMinimum\":0,\"maximum\":1}",
            "{\"type\":\"number\",\"minimum\":-3,\"exclusiveMaximum\":-1}",
            "{\"type\":\"string\",\"pattern\":\"^(foo|ba[rz])+-\\\\d{2,3}\\\\.?$\"}",
            "{\"type\":\"string\",\"format\":\"date-time\"}",
            "{\"type\":\"string\",\"format\":\"uuid\"}",
            "{\"type\":\"string\",\"format\":\"email\"}",
            "{\"type\":\"string\",\"minLength\":3,\"maxLength\":5}",
            "{\"type\":\"array\",\"items\":{\"type\":\"boolean\"},\"minItems\":2,\"maxItems\":3}",
            "{\"type\":\"array\",\"prefixItems\":[{\"type\":\"integer\"},{\"type\":\"string\",\"maxLength\":3}],\"items\":false}",
            "{\"type\":\"object\",\"properties\":{\"a\":{\"type\":\"integer\"},\"b\":{\"type\":\"integer\"}},\"minProperties\":1,\"maxProperties\":1}",
            "{\"type\":\"object\",\"properties\":{\"id\":{\"type\":\"integer\"}},\"required\":[\"id\"],\"additionalProperties\":{\"type\":\"boolean\"}}",
            "{\"type\":\"object\",\"additionalProperties\":true,\"minProperties\":1}",
            "{\"allOf\":[{\"type\":\"object\",\"properties\":{\"a\":{\"type\":\"null\"}},\"required\":[\"a\"]},{\"required\":[\"b\"],\"properties\":{\"b\":{\"type\":\"boolean\"}}}]}",
            "{\"anyOf\":[{\"type\":\"integer\",\"minimum\":5},{\"type\":\"string\",\"maxLength\":2}]}",
            "{\"type\":\"object\",\"properties\":{\"x\":{\"type\":\"integer\"},\"y\":{\"type\":\"integer\"}},\"oneOf\":[{\"required\":[\"x\"]},{\"required\":[\"y\"]}]}",
            "{\"$ref\":\"#/$defs/node\",\"$defs\":{\"node\":{\"type\":\"object\",\"properties\":{\"next\":{\"anyOf\":[{\"$ref\":\"#/$defs/node\"},{\"type\":\"null\"}]}},\"required\":[\"next\"]}}}",
            "{\"type\":[\"integer\",\"null\"]}");

    @Inject
    LlamaCppEngine engine;
    @Inject
    InfercoreConfig config;

    static List<JsonNode> corpus() throws IOException {
        List<JsonNode> schemas = new ArrayList<>();
        try (Stream<Path> files = Files.list(Path.of("src/test/resources/structured"))) {
            for (Path f : files.filter(p -> p.toString().endsWith(".json")).sorted().toList()) {
                schemas.add(JSON.readTree(f.toFile()));
            }
        }
        return schemas;
    }

    @Test
    void should_have_llama_cpp_follow_every_generated_grammar() throws IOException {
        List<JsonNode> schemas = new ArrayList<>();
        for (String s : KEYWORD_SCHEMAS) {
            schemas.add(JSON.readTree(s));
        }
        schemas.addAll(corpus());
        assertThat(schemas).hasSizeGreaterThanOrEqualTo(80);
        List<String> failures = new ArrayList<>();
        for (JsonNode schema : schemas) {
            ObjectNode normalized = JsonSchemas.normalize(schema);
            GenerationRequest request = new GenerationRequest(config.defaultModelName(), "Once upon a time", null,
                    new SamplingParams(24, 1.0, null, List.of(), 7L), normalized, Map.of(), null);
            GenerationResult result = engine.generate(request).await().indefinitely();
            GbnfMatcher grammar = new GbnfMatcher(JsonSchemaGrammar.cached(normalized).gbnf());
            if (result.text().isEmpty() || !grammar.matchesPrefix(result.text())) {
                failures.add(schema + " -> " + result.text());
            }
        }
        assertThat(failures).as("outputs that are not the start of a document the grammar accepts").isEmpty();
    }

    @Test
    void should_refuse_a_grammar_llama_cpp_would_ignore_before_generating() {
        // The grammar the old converter built for an enum-only object: 'ws' is used, never defined.
        GenerationRequest request = new GenerationRequest(config.defaultModelName(), "Once upon a time", null,
                new SamplingParams(8, 0.0, null, List.of(), null), null,
                Map.of("grammar", "root ::= \"{\" ws \"\\\"color\\\"\" ws \":\" ws (\"\\\"red\\\"\" ws) \"}\" ws\n"), null);
        assertThatThrownBy(() -> engine.generate(request).await().indefinitely())
                .isInstanceOfSatisfying(InfercoreException.class, e -> {
                    assertThat(e.kind()).isEqualTo(ErrorKind.INVALID_REQUEST);
                    assertThat(e.getMessage()).contains("undefined rule 'ws'");
                });
    }
}
