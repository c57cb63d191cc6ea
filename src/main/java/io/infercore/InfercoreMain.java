package io.infercore;

import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.annotations.QuarkusMain;

import java.util.ArrayList;
import java.util.List;

/**
 * Command line: {@code [serve] [--host H] [--port P]} runs the service. Options become
 * configuration before start-up, so {@code --port} beats {@code QUARKUS_HTTP_PORT}.
 */
@QuarkusMain
public final class InfercoreMain {

    private InfercoreMain() {
    }

    public static void main(String... args) {
        List<String> rest = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            switch (arg) {
                case "serve" -> { }
                case "--port", "--host" -> {
                    if (i + 1 >= args.length) {
                        fail(arg + " needs a value");
                    }
                    String value = args[++i];
                    if (arg.equals("--port") && !value.matches("\\d{1,5}")) {
                        fail("--port takes a number, got '" + value + "'");
                    }
                    System.setProperty(arg.equals("--port") ? "quarkus.http.port" : "quarkus.http.host", value);
                }
                case "-h", "--help" -> {
                    System.out.println("usage: infercore [serve] [--host HOST] [--port PORT]");
                    return;
                }
                default -> rest.add(arg);
            }
        }
        if (!rest.isEmpty()) {
            fail("unknown argument(s) " + rest + "; usage: infercore [serve] [--host HOST] [--port PORT]");
        }
        Quarkus.run(args);
    }

    private static void fail(String message) {
        System.err.println("infercore: " + message);
        System.exit(2);
    }
}
