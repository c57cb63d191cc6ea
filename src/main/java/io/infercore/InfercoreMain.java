package io.infercore;

import io.infercore.cli.ApiTest;
import io.infercore.cli.CheckCommand;
import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.annotations.QuarkusMain;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Command line of the one artifact ({@code java -jar quarkus-run.jar ...}):
 * <ul>
 *   <li>{@code [serve] [--host H] [--port P] [--log-format plain|json]}: the service. Options become
 *       configuration before start-up, so {@code --port} beats {@code QUARKUS_HTTP_PORT};</li>
 *   <li>{@code check}: probes every engine and exits ({@link CheckCommand}, boots the application
 *       without its HTTP listener);</li>
 *   <li>{@code api-test [--host H] [--port P]}: calls a running service ({@link ApiTest}, through the
 *       HTTP transport on a private Vert.x; the application is not booted).</li>
 * </ul>
 * Exit codes: {@link #EXIT_OK}, {@link #EXIT_FAILED}, {@link #EXIT_USAGE}; {@code serve} stopped by
 * SIGTERM or SIGINT exits as the JVM does for a signal (143 or 130) once in-flight requests drained.
 */
@QuarkusMain
public final class InfercoreMain {

    public static final int EXIT_OK = 0;
    /** serve: start-up failed; check: the default engine failed; api-test: a call failed. */
    public static final int EXIT_FAILED = 1;
    /** Unknown command or option. */
    public static final int EXIT_USAGE = 2;

    static final String USAGE = """
            usage: infercore [serve] [--host HOST] [--port PORT] [--log-format plain|json]
                   infercore check
                   infercore api-test [--host HOST] [--port PORT] [--engine ENGINE] [--model MODEL]
            exit codes: 0 ok; 1 failed (serve: start-up, check: the default engine, api-test: a call); 2 usage""";

    private InfercoreMain() {
    }

    public static void main(String... args) {
        String command = args.length > 0 ? args[0] : "";
        String[] rest = args.length > 0 ? Arrays.copyOfRange(args, 1, args.length) : args;
        switch (command) {
            case "check" -> System.exit(CheckCommand.launch(rest));
            case "api-test" -> System.exit(ApiTest.run(rest, System.out, System.err));
            case "help", "-h", "--help" -> System.out.println(USAGE);
            default -> serve(args);
        }
    }

    private static void serve(String... args) {
        List<String> rest = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            switch (arg) {
                case "serve" -> { }
                case "--port", "--host", "--log-format" -> {
                    if (i + 1 >= args.length) {
                        fail(arg + " needs a value");
                    }
                    String value = args[++i];
                    switch (arg) {
                        case "--port" -> {
                            if (!value.matches("\\d{1,5}")) {
                                fail("--port takes a number, got '" + value + "'");
                            }
                            System.setProperty("quarkus.http.port", value);
                        }
                        case "--host" -> System.setProperty("quarkus.http.host", value);
                        default -> {
                            if (!value.equals("plain") && !value.equals("json")) {
                                fail("--log-format takes plain or json, got '" + value + "'");
                            }
                            System.setProperty("quarkus.log.console.json.enabled", String.valueOf(value.equals("json")));
                        }
                    }
                }
                case "-h", "--help" -> {
                    System.out.println(USAGE);
                    return;
                }
                default -> rest.add(arg);
            }
        }
        if (!rest.isEmpty()) {
            fail("unknown argument(s) " + rest);
        }
        Quarkus.run(args);
    }

    /** Prints the problem and the usage on stderr and exits with {@link #EXIT_USAGE}. */
    public static void fail(String message) {
        System.err.println("infercore: " + message + "\n" + USAGE);
        System.exit(EXIT_USAGE);
    }
}
