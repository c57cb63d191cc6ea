package io.infercore.support;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A stand-in for the Hugging Face hub (unreachable from CI): serves files at
 * {@code /<repo>/resolve/main/<file>} with {@code Range} support, like the hub's {@code resolve}
 * route. A plain socket server, so it can really drop a connection mid-body (to test resuming);
 * it can also demand a token, redirect a file elsewhere, and it records every request's
 * {@code Range} and {@code Authorization} headers.
 */
public final class FakeHub implements AutoCloseable {

    /** One request as received. */
    public record Request(String path, String range, String authorization) {
    }

    private static final Pattern RANGE = Pattern.compile("bytes=(\\d+)-");

    private final ServerSocket server;
    private final Map<String, byte[]> files = new ConcurrentHashMap<>();
    private final Map<String, String> redirects = new ConcurrentHashMap<>();
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private final AtomicInteger cutsLeft = new AtomicInteger();
    private volatile long cutAfter = -1;
    private volatile String requiredToken;

    public FakeHub() {
        try {
            server = new ServerSocket(0, 16, InetAddress.getLoopbackAddress());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Thread acceptor = new Thread(this::accept, "fake-hub");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    public String url() {
        return "http://127.0.0.1:" + server.getLocalPort();
    }

    /** Serves {@code bytes} as {@code file} of {@code repo}. */
    public FakeHub file(String repo, String file, byte[] bytes) {
        files.put("/" + repo + "/resolve/main/" + file, bytes);
        return this;
    }

    /**
     * Answers {@code file} of {@code repo} with a 302 to {@code location}, as the real hub sends a
     * {@code resolve} of a large file on to its CDN (another host).
     */
    public FakeHub redirect(String repo, String file, String location) {
        redirects.put("/" + repo + "/resolve/main/" + file, location);
        return this;
    }

    /** The next {@code times} responses stop after {@code bytes} body bytes and drop the connection. */
    public void cutAfter(long bytes, int times) {
        cutAfter = bytes;
        cutsLeft.set(times);
    }

    /** Requests without {@code Authorization: Bearer <token>} get a 401, as for a gated repo. */
    public void requireToken(String token) {
        requiredToken = token;
    }

    public List<Request> requests() {
        return List.copyOf(requests);
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket socket = server.accept();
                Thread t = new Thread(() -> serve(socket), "fake-hub-conn");
                t.setDaemon(true);
                t.start();
            } catch (IOException closed) {
                return;
            }
        }
    }

    private void serve(Socket socket) {
        try (socket) {
            BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.ISO_8859_1));
            String requestLine = in.readLine();
            if (requestLine == null) {
                return;
            }
            Map<String, String> headers = new HashMap<>();
            for (String line; (line = in.readLine()) != null && !line.isEmpty(); ) {
                int colon = line.indexOf(':');
                if (colon > 0) {
                    headers.put(line.substring(0, colon).strip().toLowerCase(Locale.ROOT), line.substring(colon + 1).strip());
                }
            }
            String path = requestLine.split(" ")[1];
            String range = headers.get("range");
            String auth = headers.get("authorization");
            requests.add(new Request(path, range, auth));
            OutputStream out = socket.getOutputStream();
            byte[] body = files.get(path);
            if (requiredToken != null && !("Bearer " + requiredToken).equals(auth)) {
                head(out, "401 Unauthorized", 0, null);
                return;
            }
            String location = redirects.get(path);
            if (location != null) {
                head(out, "302 Found", 0, null, "Location: " + location);
                return;
            }
            if (body == null) {
                head(out, "404 Not Found", 0, null);
                return;
            }
            int from = 0;
            Matcher m = range == null ? null : RANGE.matcher(range);
            if (m != null && m.matches()) {
                from = Integer.parseInt(m.group(1));
                if (from >= body.length) {
                    head(out, "416 Range Not Satisfiable", 0, "bytes */" + body.length);
                    return;
                }
            }
            int length = body.length - from;
            head(out, from > 0 ? "206 Partial Content" : "200 OK", length,
                    from > 0 ? "bytes " + from + "-" + (body.length - 1) + "/" + body.length : null);
            boolean cut = cutAfter >= 0 && cutsLeft.getAndDecrement() > 0;
            out.write(body, from, cut ? (int) Math.min(cutAfter, length) : length);
            out.flush();
            // when cut: closing now ends the body short of its Content-Length, as a dropped download does
        } catch (IOException e) {
            // client went away
        }
    }

    private static void head(OutputStream out, String status, long length, String contentRange, String... more)
            throws IOException {
        StringBuilder h = new StringBuilder("HTTP/1.1 ").append(status).append("\r\nContent-Length: ").append(length)
                .append("\r\nContent-Type: application/octet-stream\r\nConnection: close\r\n");
        if (contentRange != null) {
            h.append("Content-Range: ").append(contentRange).append("\r\n");
        }
        for (String header : more) {
            h.append(header).append("\r\n");
        }
        out.write(h.append("\r\n").toString().getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
    }

    @Override
    public void close() {
        try {
            server.close();
        } catch (IOException ignored) {
            // nothing to do
        }
    }
}
