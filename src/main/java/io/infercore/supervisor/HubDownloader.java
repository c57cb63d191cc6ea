package io.infercore.supervisor;

import io.infercore.catalog.GgufSource;
import io.infercore.error.ErrorKind;
import io.infercore.error.InfercoreException;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Downloads a GGUF file from a Hugging Face hub ({@code <endpoint>/<repo>/resolve/main/<file>},
 * {@code hf_token} as a Bearer token) into the models directory. Bytes go to
 * {@code <file>.part}; an interrupted download resumes with an HTTP {@code Range} request (now
 * or at the next start); the size is checked against the server's and the SHA-256 against the
 * catalog's before the file is renamed into place, so a file present under its final name is
 * complete and verified. A download that receives nothing for {@code stall} is abandoned.
 */
final class HubDownloader {

    /** Byte progress: {@code total} is -1 while unknown. */
    @FunctionalInterface
    interface Progress {
        void bytes(long done, long total);
    }

    private static final Pattern CONTENT_RANGE = Pattern.compile("bytes \\d+-\\d+/(\\d+)");
    private static final int ATTEMPTS = 3;

    private final String endpoint;
    private final String token;
    private final Duration stall;

    HubDownloader(String endpoint, String token, Duration stall) {
        this.endpoint = endpoint.endsWith("/") ? endpoint.substring(0, endpoint.length() - 1) : endpoint;
        this.token = token == null || token.isBlank() ? null : token;
        this.stall = stall;
    }

    String url(GgufSource source) {
        if (source.url() != null) {
            return source.url(); // a registered file outside the hub; its sha256 is always checked
        }
        return endpoint + "/" + source.repo() + "/resolve/main/" + source.file();
    }

    /** The verified file in {@code dir}, downloaded first when missing. */
    Path fetch(GgufSource source, Path dir, Progress progress, BooleanSupplier cancelled) {
        Path target = dir.resolve(source.fileName());
        if (Files.isRegularFile(target)) {
            return target;
        }
        Path part = dir.resolve(source.fileName() + ".part");
        IOException last = null;
        for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
            try {
                Files.createDirectories(dir);
                long total = attempt(source, part, progress, cancelled);
                long size = Files.size(part);
                if (total >= 0 && size != total) {
                    throw new IOException("the connection ended after " + size + " of " + total + " bytes");
                }
                verify(source, part);
                Files.move(part, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                return target;
            } catch (IOException e) {
                last = e;
                if (cancelled.getAsBoolean()) {
                    break;
                }
            }
        }
        throw new InfercoreException(ErrorKind.UPSTREAM_ERROR, "download of " + url(source) + " failed: "
                + (last == null ? "cancelled" : last.getMessage()) + "; the partial file " + part
                + " is kept and the next start resumes it");
    }

    /** One request; appends to {@code part}; returns the file's full size (-1 when unknown). */
    private long attempt(GgufSource source, Path part, Progress progress, BooleanSupplier cancelled) throws IOException {
        long have = Files.exists(part) ? Files.size(part) : 0;
        HttpURLConnection connection = (HttpURLConnection) URI.create(url(source)).toURL().openConnection();
        connection.setConnectTimeout(15_000);
        connection.setReadTimeout((int) Math.min(Integer.MAX_VALUE, stall.toMillis())); // a stalled transfer fails
        connection.setInstanceFollowRedirects(true);
        if (token != null && source.url() == null) { // never hand the hub token to another host
            connection.setRequestProperty("Authorization", "Bearer " + token);
        }
        if (have > 0) {
            connection.setRequestProperty("Range", "bytes=" + have + "-");
        }
        try {
            int status = connection.getResponseCode();
            long total;
            boolean append;
            if (status == 206) {
                Matcher m = CONTENT_RANGE.matcher(String.valueOf(connection.getHeaderField("Content-Range")));
                total = m.matches() ? Long.parseLong(m.group(1)) : -1;
                append = true;
            } else if (status == 200) {
                total = connection.getContentLengthLong();
                append = false; // the server ignored the Range header: start over
            } else if (status == 416 && have > 0) {
                return have; // already complete; verification decides
            } else {
                throw failure(source, status);
            }
            long done = append ? have : 0;
            try (InputStream in = connection.getInputStream();
                 OutputStream out = Files.newOutputStream(part, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                         append ? StandardOpenOption.APPEND : StandardOpenOption.TRUNCATE_EXISTING)) {
                byte[] buffer = new byte[64 * 1024];
                long reported = done;
                progress.bytes(done, total);
                for (int n; (n = in.read(buffer)) >= 0; ) {
                    if (cancelled.getAsBoolean()) {
                        throw new IOException("cancelled");
                    }
                    out.write(buffer, 0, n);
                    done += n;
                    if (done - reported >= 256 * 1024) {
                        reported = done;
                        progress.bytes(done, total);
                    }
                }
            } catch (SocketTimeoutException e) {
                throw new IOException("no data for " + stall.toSeconds() + " s after " + done + " bytes", e);
            } catch (IOException e) {
                throw new IOException(e.getMessage() + " after " + done + " bytes", e);
            }
            progress.bytes(done, total);
            return total;
        } finally {
            connection.disconnect();
        }
    }

    private static void verify(GgufSource source, Path part) throws IOException {
        if (source.sha256() == null) {
            return;
        }
        String actual;
        try (InputStream in = new DigestInputStream(Files.newInputStream(part), MessageDigest.getInstance("SHA-256"))) {
            in.transferTo(OutputStream.nullOutputStream());
            actual = HexFormat.of().formatHex(((DigestInputStream) in).getMessageDigest().digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        if (!actual.equalsIgnoreCase(source.sha256())) {
            Files.deleteIfExists(part);
            throw new InfercoreException(ErrorKind.UPSTREAM_ERROR, "sha256 mismatch for " + source.file() + " from "
                    + (source.repo() != null ? source.repo() : source.url()) + ": expected " + source.sha256() + ", got " + actual
                    + "; the download was deleted (check the catalog's gguf.sha256 and the hub)");
        }
    }

    private InfercoreException failure(GgufSource source, int status) {
        String where = url(source);
        return switch (status) {
            // 502, not 401: our own 401 means "the caller's API key", and makes the web UI ask for one
            case 401, 403 -> new InfercoreException(ErrorKind.UPSTREAM_ERROR, "the hub refused " + where + " (HTTP "
                    + status + "): the repo may be gated or private; set hf_token to a token with access");
            case 404 -> InfercoreException.modelNotFound("the hub has no " + source.file() + " in " + source.repo()
                    + " (HTTP 404 at " + where + "); check the catalog's gguf.repo and gguf.file");
            default -> new InfercoreException(ErrorKind.UPSTREAM_ERROR, "the hub answered HTTP " + status + " for " + where);
        };
    }
}
