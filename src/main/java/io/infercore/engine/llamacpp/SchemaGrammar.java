package io.infercore.engine.llamacpp;

import java.util.List;

/**
 * A checked GBNF grammar for a JSON Schema, and the schema keywords it does not enforce (as
 * JSON pointers into the schema, e.g. {@code /properties/tags/uniqueItems}): those are only
 * checked by the validator after generation.
 */
record SchemaGrammar(String gbnf, List<String> unenforced) {
}
