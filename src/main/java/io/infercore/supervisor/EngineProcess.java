package io.infercore.supervisor;

import io.infercore.access.Secrets;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * One engine server process, launched or re-adopted. Its stdout and stderr go straight to a log
 * file, never to a pipe of this JVM: a child writing into the pipe of a service that restarted
 * would die of SIGPIPE, and re-adoption would be impossible. The log file is also how progress is
 * seen (new lines) and where the tail for error messages comes from.
 *
 * <p>Identity is pid + start time, so a recycled pid is never mistaken for the engine.
 */
final class EngineProcess {

    static final long MAX_LOG_BYTES = 16L * 1024 * 1024;
    private static final long START_TIME_TOLERANCE_MS = 1000;
    private static final int TAIL_BYTES = 64 * 1024;

    private final ProcessHandle handle;
    private final Process process;
    private final Path log;
    private final long startedAt;
    private final Set<ProcessHandle> knownDescendants = ConcurrentHashMap.newKeySet();

    private EngineProcess(ProcessHandle handle, Process process, Path log, long startedAt) {
        this.handle = handle;
        this.process = process;
        this.log = log;
        this.startedAt = startedAt;
    }

    /** Starts {@code command} (no shell) with {@code env} added to this service's environment, output appended to {@code log}. */
    static EngineProcess spawn(List<String> command, Map<String, String> env, Path log, String display) throws IOException {
        Files.createDirectories(log.getParent());
        if (Files.exists(log) && Files.size(log) > MAX_LOG_BYTES) {
            Files.move(log, log.resolveSibling(log.getFileName() + ".1"), StandardCopyOption.REPLACE_EXISTING);
        }
        Files.writeString(log, "=== infercore " + Instant.now() + ": " + display + "\n", StandardCharsets.UTF_8,
                StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        builder.environment().putAll(env);
        Process process = builder.start();
        process.getOutputStream().close();
        ProcessHandle handle = process.toHandle();
        long started = handle.info().startInstant().map(Instant::toEpochMilli).orElse(System.currentTimeMillis());
        return new EngineProcess(handle, process, log, started);
    }

    /** The live process {@code pid} if it is the one started at {@code startedAt}; empty when gone or recycled. */
    static Optional<EngineProcess> adopt(long pid, long startedAt, Path log) {
        return ProcessHandle.of(pid)
                .filter(ProcessHandle::isAlive)
                .filter(h -> h.info().startInstant()
                        .map(i -> Math.abs(i.toEpochMilli() - startedAt) <= START_TIME_TOLERANCE_MS).orElse(false))
                .map(h -> new EngineProcess(h, null, log, startedAt));
    }

    long pid() {
        return handle.pid();
    }

    long startedAt() {
        return startedAt;
    }

    Path log() {
        return log;
    }

    boolean alive() {
        return handle.isAlive();
    }

    /** Completes when the process is gone; for a child of this JVM, once its exit code is known. */
    CompletableFuture<?> onExit() {
        return process != null ? process.onExit() : handle.onExit();
    }

    /** "exited with code 3" for a child of this JVM; adopted processes have no exit code to read. */
    String exitDescription() {
        if (process != null && waitForExitCode()) {
            int code = process.exitValue();
            return "exited with code " + code + (code > 128 ? " (signal " + (code - 128) + ")" : "");
        }
        return "exited";
    }

    /** The exit code is recorded a moment after the process is gone; wait for it briefly. */
    private boolean waitForExitCode() {
        try {
            return process.waitFor(1, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** The last {@code lines} lines of the log, without the supervisor's own marker lines. */
    List<String> tail(int lines) {
        return tail(log, lines);
    }

    static List<String> tail(Path log, int lines) {
        if (!Files.isRegularFile(log)) {
            return List.of();
        }
        try (RandomAccessFile file = new RandomAccessFile(log.toFile(), "r")) {
            long length = file.length();
            long from = Math.max(0, length - TAIL_BYTES);
            byte[] bytes = new byte[(int) (length - from)];
            file.seek(from);
            file.readFully(bytes);
            List<String> all = new ArrayList<>(Arrays.asList(new String(bytes, StandardCharsets.UTF_8).split("\r?\n")));
            if (from > 0 && !all.isEmpty()) {
                all.remove(0); // a partial first line
            }
            all.removeIf(String::isBlank);
            // the tail reaches users (logs endpoint, start failures): engines echo their tokens and keys
            return all.subList(Math.max(0, all.size() - lines), all.size()).stream().map(Secrets::redact).toList();
        } catch (IOException e) {
            return List.of("(log unreadable: " + e.getMessage() + ")");
        }
    }

    /** Reads lines appended to the log since the last call; how progress of a starting engine is seen. */
    static final class LogCursor {
        private final Path log;
        private long position;

        LogCursor(Path log) {
            this.log = log;
            try {
                this.position = Files.exists(log) ? Files.size(log) : 0;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        List<String> newLines() {
            try (RandomAccessFile file = new RandomAccessFile(log.toFile(), "r")) {
                long length = file.length();
                if (length < position) {
                    position = 0; // rotated
                }
                int size = (int) Math.min(length - position, 1 << 20);
                if (size <= 0) {
                    return List.of();
                }
                byte[] bytes = new byte[size];
                file.seek(position);
                file.readFully(bytes);
                int end = lastNewline(bytes);
                if (end < 0) {
                    return List.of();
                }
                position += end + 1;
                List<String> lines = new ArrayList<>(Arrays.asList(new String(bytes, 0, end, StandardCharsets.UTF_8)
                        .split("\r?\n")));
                lines.removeIf(String::isBlank);
                return lines;
            } catch (IOException e) {
                return List.of();
            }
        }

        private static int lastNewline(byte[] bytes) {
            for (int i = bytes.length - 1; i >= 0; i--) {
                if (bytes[i] == '\n') {
                    return i;
                }
            }
            return -1;
        }
    }

    /**
     * Remembers the engine's current descendants (called when it is ready and at each health
     * probe). vLLM runs its model in a child process (EngineCore); when the server itself dies by
     * SIGKILL that child is re-parented to init and no longer reachable through the engine, yet it
     * keeps its memory (2.7 GB for SmolLM2-135M on CPU) until something kills it.
     */
    void rememberDescendants() {
        if (handle.isAlive()) {
            handle.descendants().forEach(knownDescendants::add);
        }
    }

    /**
     * After the engine died on its own: SIGKILL what is left of its remembered tree. A handle keeps
     * its start time, so a recycled pid is never hit. Returns how many were still alive.
     */
    int killOrphans() {
        List<ProcessHandle> alive = knownDescendants.stream().filter(ProcessHandle::isAlive).toList();
        alive.forEach(ProcessHandle::destroyForcibly);
        alive.forEach(h -> await(h, Duration.ofSeconds(2)));
        return alive.size();
    }

    /**
     * SIGTERM, up to {@code grace} to exit, then SIGKILL, for the process and every descendant
     * (collected before the first signal: once the parent is gone its children are re-parented
     * and no longer found through it). Returns once all of them are gone or 2 s after SIGKILL.
     */
    void terminate(Duration grace) {
        Set<ProcessHandle> tree = new LinkedHashSet<>(handle.descendants().toList());
        tree.addAll(knownDescendants);
        if (handle.isAlive()) {
            handle.destroy();
            await(handle, grace);
        }
        if (handle.isAlive()) {
            tree.addAll(handle.descendants().toList());
            handle.destroyForcibly();
            await(handle, Duration.ofSeconds(2));
        }
        List<ProcessHandle> leftovers = tree.stream().filter(ProcessHandle::isAlive).toList();
        leftovers.forEach(ProcessHandle::destroy);
        leftovers.forEach(h -> await(h, Duration.ofSeconds(2)));
        leftovers.stream().filter(ProcessHandle::isAlive).forEach(h -> {
            h.destroyForcibly();
            await(h, Duration.ofSeconds(2));
        });
    }

    private static void await(ProcessHandle h, Duration limit) {
        try {
            h.onExit().get(limit.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception timeoutOrGone) {
            // checked by the caller through isAlive()
        }
    }
}
