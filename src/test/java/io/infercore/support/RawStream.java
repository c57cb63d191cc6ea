package io.infercore.support;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Predicate;

/**
 * A streamed {@code POST} written on a plain socket, so a test can read part of the answer and
 * then hang up ({@link #close()}) the way a client that goes away does: HTTP clients read
 * ahead, buffer, or keep the connection, and would blur the moment of the disconnect.
 */
public final class RawStream implements AutoCloseable {

    private final Socket socket;
    private final BufferedReader in;
    private final List<String> read = new ArrayList<>();

    private RawStream(Socket socket) throws IOException {
        this.socket = socket;
        this.in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
    }

    /** Sends {@code POST path} with the JSON {@code body} to the service at {@code base}. */
    public static RawStream post(URL base, String path, String body) throws IOException {
        Socket socket = new Socket(base.getHost(), base.getPort());
        try {
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            OutputStream out = socket.getOutputStream();
            out.write(("POST " + path + " HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                    + "Content-Length: " + bytes.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(bytes);
            out.flush();
            return new RawStream(socket);
        } catch (IOException e) {
            socket.close();
            throw e;
        }
    }

    /** Reads lines (status line, headers, body) up to the first that matches; null when the answer ended first. */
    public String readUntil(Predicate<String> match) throws IOException {
        String line;
        while ((line = in.readLine()) != null) {
            read.add(line);
            if (match.test(line)) {
                return line;
            }
        }
        return null;
    }

    /** A response header among the lines read so far, or null. */
    public String header(String name) {
        String prefix = name.toLowerCase(Locale.ROOT) + ":";
        for (String line : read) {
            if (line.isEmpty()) {
                return null; // the end of the headers
            }
            if (line.toLowerCase(Locale.ROOT).startsWith(prefix)) {
                return line.substring(prefix.length()).trim();
            }
        }
        return null;
    }

    /** Hangs up. */
    @Override
    public void close() throws IOException {
        socket.close();
    }
}
