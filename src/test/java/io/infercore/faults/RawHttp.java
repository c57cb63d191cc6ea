package io.infercore.faults;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * HTTP/1.1 written by hand on a socket, for what ordinary clients will not send: a
 * {@code Content-Length} larger than the bytes that follow, a chunked body of any size. The
 * server may answer and close before the body is sent; the answer is read all the same.
 */
final class RawHttp {

    private static final ObjectMapper JSON = new ObjectMapper();

    record Reply(int status, Map<String, String> headers, String body) {
        JsonNode json() throws IOException {
            return JSON.readTree(body);
        }

        String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }
    }

    private RawHttp() {
    }

    /** POSTs {@code prefix} then {@code fillBytes} bytes of 'a', announced as {@code contentLength}, or chunked when it is negative. */
    static Reply post(URL base, String path, String requestId, String prefix, long fillBytes, long contentLength)
            throws IOException {
        try (Socket socket = new Socket(base.getHost(), base.getPort())) {
            socket.setSoTimeout(30_000);
            OutputStream out = socket.getOutputStream();
            boolean chunked = contentLength < 0;
            String head = "POST " + path + " HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                    + "X-Request-Id: " + requestId + "\r\n"
                    + (chunked ? "Transfer-Encoding: chunked\r\n" : "Content-Length: " + contentLength + "\r\n") + "\r\n";
            out.write(head.getBytes(StandardCharsets.US_ASCII));
            try {
                writeBody(out, prefix.getBytes(StandardCharsets.UTF_8), fillBytes, chunked);
            } catch (SocketException closedEarly) {
                // the server answered before reading everything: read what it said
            }
            return read(socket.getInputStream());
        }
    }

    private static void writeBody(OutputStream out, byte[] prefix, long fillBytes, boolean chunked) throws IOException {
        writePart(out, prefix, prefix.length, chunked);
        byte[] fill = new byte[64 * 1024];
        java.util.Arrays.fill(fill, (byte) 'a');
        for (long left = fillBytes; left > 0; left -= fill.length) {
            writePart(out, fill, (int) Math.min(fill.length, left), chunked);
        }
        if (chunked) {
            out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        }
        out.flush();
    }

    private static void writePart(OutputStream out, byte[] bytes, int length, boolean chunked) throws IOException {
        if (length == 0) {
            return;
        }
        if (chunked) {
            out.write((Integer.toHexString(length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
        }
        out.write(bytes, 0, length);
        if (chunked) {
            out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
        }
    }

    /** One response, its body sized by Content-Length or chunked. */
    private static Reply read(InputStream in) throws IOException {
        String statusLine = line(in);
        int status = Integer.parseInt(statusLine.split(" ")[1]);
        Map<String, String> headers = new TreeMap<>();
        for (String h = line(in); !h.isEmpty(); h = line(in)) {
            int colon = h.indexOf(':');
            headers.put(h.substring(0, colon).trim().toLowerCase(Locale.ROOT), h.substring(colon + 1).trim());
        }
        if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
            ByteArrayOutputStream body = new ByteArrayOutputStream();
            for (int size = Integer.parseInt(line(in).trim(), 16); size > 0; size = Integer.parseInt(line(in).trim(), 16)) {
                body.write(in.readNBytes(size));
                line(in);
            }
            return new Reply(status, headers, body.toString(StandardCharsets.UTF_8));
        }
        int length = Integer.parseInt(headers.getOrDefault("content-length", "0"));
        return new Reply(status, headers, new String(in.readNBytes(length), StandardCharsets.UTF_8));
    }

    private static String line(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        for (int c = in.read(); c != -1 && c != '\n'; c = in.read()) {
            if (c != '\r') {
                line.write(c);
            }
        }
        return line.toString(StandardCharsets.UTF_8);
    }
}
