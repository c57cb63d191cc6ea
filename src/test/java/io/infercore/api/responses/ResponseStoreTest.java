package io.infercore.api.responses;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;

import static org.assertj.core.api.Assertions.assertThat;

/** Stored responses live only in their files: a new store over the same directory (a restart) finds them. */
class ResponseStoreTest {

    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    static ObjectNode response(String id) {
        ObjectNode r = JSON.createObjectNode().put("id", id).put("object", "response");
        r.putArray("output").addObject().put("type", "message");
        return r;
    }

    static ArrayNode input(String text) {
        ArrayNode items = JSON.createArrayNode();
        items.addObject().put("role", "user").put("content", text);
        return items;
    }

    @Test
    void should_find_a_response_after_a_restart() {
        String id = ResponseObject.newId("resp_");
        new ResponseStore(dir, 10, JSON).save(response(id), input("hello"), null);

        ResponseStore restarted = new ResponseStore(dir, 10, JSON);
        ResponseStore.Stored stored = restarted.find(id, null).orElseThrow();
        assertThat(stored.response().path("id").asText()).isEqualTo(id);
        assertThat(stored.input().get(0).path("content").asText()).isEqualTo("hello");
        assertThat(restarted.delete(id, null)).isTrue();
        assertThat(new ResponseStore(dir, 10, JSON).find(id, null)).isEmpty();
    }

    @Test
    void should_keep_only_the_newest_responses_up_to_the_bound() throws Exception {
        ResponseStore store = new ResponseStore(dir, 3, JSON);
        String[] ids = new String[5];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = ResponseObject.newId("resp_");
            store.save(response(ids[i]), input("turn " + i), null);
            // distinct modification times whatever the file system's resolution
            Files.setLastModifiedTime(dir.resolve(ids[i] + ".json"), FileTime.fromMillis(1_000_000L * (i + 1)));
        }
        try (var files = Files.list(dir)) {
            assertThat(files.count()).isEqualTo(3);
        }
        assertThat(store.find(ids[0], null)).isEmpty();
        assertThat(store.find(ids[1], null)).isEmpty();
        assertThat(store.find(ids[4], null)).isPresent();
    }

    @Test
    void should_never_read_a_path_that_is_not_one_of_its_ids() throws Exception {
        Files.writeString(dir.resolve("secret.json"), "{\"response\":{},\"input\":[]}");
        ResponseStore store = new ResponseStore(dir, 3, JSON);
        assertThat(store.find("secret", null)).isEmpty();
        assertThat(store.find("../" + dir.getFileName() + "/secret", null)).isEmpty();
        assertThat(store.delete("secret", null)).isFalse();
        assertThat(Files.exists(dir.resolve("secret.json"))).isTrue();
    }

    @Test
    void should_hand_a_stored_response_only_to_the_key_that_created_it() {
        ResponseStore store = new ResponseStore(dir, 10, JSON);
        String id = "resp_" + "c".repeat(32);
        store.save(response(id), input("mine"), "team-a");

        assertThat(store.find(id, "team-a")).isPresent();
        assertThat(store.find(id, "team-b")).as("another key: as if it did not exist").isEmpty();
        assertThat(store.delete(id, "team-b")).isFalse();
        assertThat(store.find(id, "team-a")).as("not deleted by another key").isPresent();
        assertThat(store.delete(id, "team-a")).isTrue();
    }

}
