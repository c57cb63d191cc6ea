package io.infercore.api.responses;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.infercore.config.InfercoreConfig;
import io.infercore.error.ErrorKind;
import io.infercore.error.InfercoreException;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Stored responses ({@code store}, the default), one JSON file each under
 * {@code <models_dir>/responses/}: {@code {"response": <the response object>, "input": [<every
 * input item of the conversation so far>]}}, so that {@code previous_response_id} can rebuild the
 * conversation after a restart. At most {@code responses_store_max} are kept; the oldest go first.
 * Files are written to a temporary name and moved into place, so a crash never leaves half a
 * response. Each file names its owner: the name of the API key that created it (none when the API
 * is open); only the same key finds it again, any other caller gets the 404 an unknown id gets, so
 * one tenant can neither read, continue nor delete another's conversation, nor learn it exists.
 * Every method blocks on the file system: callers run it on a worker thread.
 */
@Singleton
public class ResponseStore {

    private static final Logger LOG = Logger.getLogger(ResponseStore.class);
    /** The ids this class hands out: {@code resp_} and 32 hex digits. Anything else is never a file name. */
    static final Pattern ID = Pattern.compile("resp_[0-9a-f]{32}");

    private final Path dir;
    private final int max;
    private final ObjectMapper mapper;

    @Inject
    public ResponseStore(InfercoreConfig config, ObjectMapper mapper) {
        this(Path.of(config.modelsDir()).resolve("responses"), config.responsesStoreMax(), mapper);
    }

    ResponseStore(Path dir, int max, ObjectMapper mapper) {
        this.dir = dir;
        this.max = Math.max(1, max);
        this.mapper = mapper;
    }

    /** A stored response and the conversation's input items. */
    record Stored(ObjectNode response, ArrayNode input) {
    }

    synchronized void save(ObjectNode response, ArrayNode input, String owner) {
        String id = response.path("id").asText();
        try {
            Files.createDirectories(dir);
            ObjectNode file = mapper.createObjectNode();
            if (owner != null) {
                file.put("owner", owner);
            }
            file.set("response", response);
            file.set("input", input);
            Path tmp = dir.resolve(id + ".json.tmp");
            mapper.writeValue(tmp.toFile(), file);
            Files.move(tmp, dir.resolve(id + ".json"), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            prune();
        } catch (IOException e) {
            // The answer is still given; only GET and previous_response_id will not find it.
            LOG.warnf("Response %s could not be stored under %s: %s", id, dir, e.getMessage());
        }
    }

    /**
     * The stored response, or empty when there is none of that id, the id is not one of ours, or
     * it belongs to another owner ({@code owner} null: the API is open, and so is every file).
     */
    Optional<Stored> find(String id, String owner) {
        if (id == null || !ID.matcher(id).matches()) {
            return Optional.empty();
        }
        try {
            JsonNode file = mapper.readTree(dir.resolve(id + ".json").toFile());
            if (!(file.get("response") instanceof ObjectNode response) || !(file.get("input") instanceof ArrayNode input)) {
                LOG.warnf("Stored response %s is malformed; ignored", id);
                return Optional.empty();
            }
            if (owner != null && !owner.equals(file.path("owner").asText(null))) {
                return Optional.empty();
            }
            return Optional.of(new Stored(response, input));
        } catch (NoSuchFileException | java.io.FileNotFoundException e) {
            return Optional.empty();
        } catch (IOException e) {
            LOG.warnf("Stored response %s could not be read: %s", id, e.getMessage());
            return Optional.empty();
        }
    }

    /** The stored response or a 404 naming the parameter, in OpenAI's words. */
    Stored require(String id, String owner, String param) {
        return find(id, owner).orElseThrow(() -> new InfercoreException(ErrorKind.NOT_FOUND, "Response with id '" + id
                + "' not found.", param, null));
    }

    synchronized boolean delete(String id, String owner) {
        if (find(id, owner).isEmpty()) {
            return false;
        }
        try {
            return Files.deleteIfExists(dir.resolve(id + ".json"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void prune() throws IOException {
        List<Path> files = new ArrayList<>();
        try (DirectoryStream<Path> all = Files.newDirectoryStream(dir, "resp_*.json")) {
            all.forEach(files::add);
        }
        if (files.size() <= max) {
            return;
        }
        files.sort(Comparator.comparing(ResponseStore::modified).thenComparing(Path::toString));
        for (Path old : files.subList(0, files.size() - max)) {
            Files.deleteIfExists(old);
        }
    }

    private static FileTime modified(Path file) {
        try {
            return Files.getLastModifiedTime(file);
        } catch (IOException e) {
            return FileTime.fromMillis(0);
        }
    }
}
