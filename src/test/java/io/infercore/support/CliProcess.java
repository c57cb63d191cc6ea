package io.infercore.support;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A command-line mode of the packaged application ({@code java -jar quarkus-run.jar <args>}), or
 * any other java command, run to completion as an operator would: stdout and stderr apart, the
 * exit code, and how long the process took to end (a process that outlives {@code limit} is
 * killed and reported as such, so a JVM kept alive by a stray thread fails the test).
 */
public final class CliProcess {

    /** What the process left: exit code ({@code -1} when it had to be killed), output, and its duration. */
    public record Result(int exitCode, String stdout, String stderr, Duration took) {
        @Override
        public String toString() {
            return "exit " + exitCode + " after " + took.toMillis() + " ms\n--- stdout\n" + stdout + "\n--- stderr (tail)\n"
                    + stderr.substring(Math.max(0, stderr.length() - 4000));
        }
    }

    private CliProcess() {
    }

    /** {@code java -D<k>=<v>... -jar quarkus-run.jar args...}. */
    public static Result jar(Map<String, String> properties, List<String> args, Duration limit) throws Exception {
        List<String> command = new ArrayList<>(List.of(ServiceProcess.javaBin()));
        properties.forEach((k, v) -> command.add("-D" + k + "=" + v));
        command.add("-jar");
        command.add(serviceJar().toString());
        command.addAll(args);
        return run(command, limit);
    }

    /** {@code java} from the JVM running the tests. */
    public static String java() {
        return ServiceProcess.javaBin();
    }

    /** The packaged application's {@code quarkus-app} folder. */
    public static Path quarkusApp() {
        return serviceJar().toAbsolutePath().getParent();
    }

    public static Result run(List<String> command, Duration limit) throws Exception {
        Path out = Files.createTempFile("infercore-cli", ".out");
        Path err = Files.createTempFile("infercore-cli", ".err");
        try {
            long started = System.nanoTime();
            Process process = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            boolean ended = process.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS);
            if (!ended) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
            Duration took = Duration.ofNanos(System.nanoTime() - started);
            return new Result(ended ? process.exitValue() : -1, Files.readString(out), Files.readString(err), took);
        } finally {
            deleteQuietly(out);
            deleteQuietly(err);
        }
    }

    private static Path serviceJar() {
        Path jar = Path.of(System.getProperty("service.jar", "target/quarkus-app/quarkus-run.jar"));
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException("Packaged service not found at " + jar + "; run ./mvnw package first");
        }
        return jar;
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException ignored) {
            // a leftover temp file is harmless
        }
    }
}
