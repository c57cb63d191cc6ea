package io.infercore.support;

import io.restassured.path.json.JsonPath;

import java.util.ArrayList;
import java.util.List;

/** Parses a text/event-stream body into (event, data) pairs. */
public final class Sse {

    public record Event(String name, String data) {
        public JsonPath json() {
            return JsonPath.from(data);
        }
    }

    private Sse() {
    }

    public static List<Event> parse(String body) {
        List<Event> events = new ArrayList<>();
        for (String block : body.split("\n\n")) {
            String name = null;
            StringBuilder data = new StringBuilder();
            for (String line : block.split("\n")) {
                if (line.startsWith("event:")) {
                    name = line.substring(6).strip();
                } else if (line.startsWith("data:")) {
                    data.append(line.substring(5).strip());
                }
            }
            if (name != null || !data.isEmpty()) {
                events.add(new Event(name, data.toString()));
            }
        }
        return events;
    }

    public static String joinedText(List<Event> events) {
        StringBuilder text = new StringBuilder();
        events.stream().filter(e -> "delta".equals(e.name())).forEach(e -> text.append(e.json().getString("text")));
        return text.toString();
    }
}
