package io.infercore.supervisor;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.List;

/**
 * The state file ({@code <models_dir>/runs/state.json}): every run, so a restarted service can
 * re-adopt its engines. Written atomically (a temporary file in the same directory, then a
 * rename), so a crash mid-write leaves the previous version. A file that cannot be read is moved
 * aside as {@code state.json.corrupt-<time>} and reported, never silently dropped.
 */
final class RunStateStore {

    private static final Logger LOG = Logger.getLogger(RunStateStore.class);
    static final int VERSION = 1;

    private final Path file;
    private final ObjectMapper json = new ObjectMapper()
            .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    record StateFile(int version, List<RunState> runs) {
    }

    /** Result of reading the file: the runs, and a problem to report (null when none). */
    record Loaded(List<RunState> runs, String problem) {
    }

    RunStateStore(Path file) {
        this.file = file;
    }

    Path file() {
        return file;
    }

    synchronized void save(List<RunState> runs) {
        try {
            Files.createDirectories(file.getParent());
            Path temp = Files.createTempFile(file.getParent(), "state", ".tmp");
            try {
                json.writerWithDefaultPrettyPrinter().writeValue(temp.toFile(), new StateFile(VERSION, runs));
                Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } finally {
                Files.deleteIfExists(temp);
            }
        } catch (IOException e) {
            LOG.errorf("Cannot write the run state file %s: %s (runs are not persisted)", file, e.getMessage());
        }
    }

    synchronized Loaded load() {
        if (!Files.isRegularFile(file)) {
            return new Loaded(List.of(), null);
        }
        try {
            StateFile state = json.readValue(file.toFile(), StateFile.class);
            if (state == null || state.runs() == null || state.version() != VERSION) {
                throw new IOException("unexpected content (version " + (state == null ? "?" : state.version()) + ")");
            }
            if (state.runs().stream().anyMatch(r -> r == null || r.runId() == null || r.plan() == null
                    || r.plan().mode() == null || r.replicas() == null)) {
                throw new IOException("a run entry lacks its id, plan, mode or replicas");
            }
            return new Loaded(state.runs(), null);
        } catch (IOException e) {
            Path backup = file.resolveSibling(file.getFileName() + ".corrupt-" + Instant.now().toEpochMilli());
            String problem;
            try {
                Files.move(file, backup, StandardCopyOption.REPLACE_EXISTING);
                problem = "Run state file " + file + " is corrupt (" + firstLine(e.getMessage()) + "); kept as "
                        + backup + ". The runs it listed are not re-adopted: check their processes by hand.";
            } catch (IOException moveFailed) {
                problem = "Run state file " + file + " is corrupt (" + firstLine(e.getMessage())
                        + ") and could not be moved aside: " + moveFailed.getMessage();
            }
            return new Loaded(List.of(), problem);
        }
    }

    private static String firstLine(String message) {
        return message == null ? "unreadable" : message.lines().findFirst().orElse(message);
    }
}
