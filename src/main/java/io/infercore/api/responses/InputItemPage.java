package io.infercore.api.responses;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.infercore.error.InfercoreException;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * {@code GET /v1/responses/{id}/input_items}: a stored conversation's input items in OpenAI's
 * list shape ({@code {object: list, data, first_id, last_id, has_more}}), each with an id and,
 * for messages, content as typed parts, as OpenAI lists them.
 */
final class InputItemPage {

    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    private InputItemPage() {
    }

    /** Gives every item without one an id, before it is stored, so pages name items stably. */
    static void identify(ArrayNode items) {
        for (JsonNode item : items) {
            if (item instanceof ObjectNode object && !object.path("id").isTextual()) {
                String type = object.path("type").asText("message");
                object.put("id", ResponseObject.newId(type.equals("message") ? "msg_" : type.equals("function_call")
                        ? "fc_" : "item_"));
            }
        }
    }

    static JsonNode of(ArrayNode stored, Integer limit, String order, String after) {
        int size = limit == null ? 20 : limit;
        if (size < 1 || size > 100) {
            throw InfercoreException.invalid("limit", "limit must be between 1 and 100, got " + size);
        }
        if (order != null && !order.equals("asc") && !order.equals("desc")) {
            throw InfercoreException.invalid("order", "order must be asc or desc, got '" + order + "'");
        }
        List<JsonNode> items = new ArrayList<>();
        stored.forEach(item -> items.add(listed(item)));
        if (!"asc".equals(order)) {
            Collections.reverse(items);
        }
        int from = 0;
        if (after != null && !after.isBlank()) {
            from = items.size();
            for (int i = 0; i < items.size(); i++) {
                if (after.equals(items.get(i).path("id").asText())) {
                    from = i + 1;
                }
            }
        }
        List<JsonNode> page = items.subList(Math.min(from, items.size()), Math.min(from + size, items.size()));
        ObjectNode list = F.objectNode().put("object", "list");
        list.putArray("data").addAll(page);
        list.put("first_id", page.isEmpty() ? null : page.get(0).path("id").asText());
        list.put("last_id", page.isEmpty() ? null : page.get(page.size() - 1).path("id").asText());
        list.put("has_more", from + size < items.size());
        return list;
    }

    /** A message as OpenAI lists it: typed content parts and a status. */
    private static JsonNode listed(JsonNode item) {
        ObjectNode copy = ((ObjectNode) item).deepCopy();
        if (!copy.path("type").asText("message").equals("message")) {
            return copy;
        }
        copy.put("type", "message");
        if (!copy.has("status")) {
            copy.put("status", "completed");
        }
        JsonNode content = copy.get("content");
        if (content != null && content.isTextual()) {
            ArrayNode parts = F.arrayNode();
            ObjectNode part = parts.addObject().put("type", "assistant".equals(copy.path("role").asText())
                    ? "output_text" : "input_text").put("text", content.asText());
            if ("output_text".equals(part.path("type").asText())) {
                part.putArray("annotations");
            }
            copy.set("content", parts);
        }
        return copy;
    }
}
