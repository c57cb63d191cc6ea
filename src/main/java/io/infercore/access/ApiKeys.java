package io.infercore.access;

import io.infercore.config.InfercoreConfig;
import io.quarkus.runtime.Startup;
import jakarta.inject.Singleton;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The configured API keys: {@code api_keys} (also {@code INFERCORE_API_KEYS}, comma-separated)
 * and {@code api_keys_file}. None configured: the API is open. Read once at start-up; a bad
 * file stops it. Keys are kept only as SHA-256 hashes and compared in constant time.
 */
@Startup
@Singleton
public class ApiKeys {

    /** Shorter keys are refused at start-up: they would be guessable, and too short to redact safely. */
    static final int MIN_LENGTH = 8;

    private static final Logger LOG = Logger.getLogger(ApiKeys.class);

    private final List<ApiKey> keys;
    private final RateLimiter limiter = new RateLimiter(System::nanoTime);

    @Inject
    public ApiKeys(InfercoreConfig config) {
        this(config.apiKeys().orElse(List.of()), config.apiKeysFile().filter(f -> !f.isBlank()).map(Path::of).orElse(null));
    }

    ApiKeys(List<String> plain, Path file) {
        List<ApiKey> all = new ArrayList<>();
        int n = 0;
        for (String key : plain) {
            n++;
            String k = key.strip();
            if (k.isEmpty()) {
                continue;
            }
            Secrets.register(k);
            if (k.length() < MIN_LENGTH) {
                throw new IllegalStateException("api_keys: key " + n + " is shorter than " + MIN_LENGTH + " characters");
            }
            all.add(new ApiKey("key " + n, sha256(k), Set.of(), null));
        }
        if (file != null) {
            int f = 0;
            for (KeysFile.Entry e : KeysFile.read(file)) {
                f++;
                all.add(new ApiKey(e.name() == null ? "file key " + f : e.name(), sha256(e.key()), e.models(),
                        e.requestsPerMinute()));
            }
        }
        this.keys = List.copyOf(all);
        if (keys.isEmpty()) {
            LOG.info("No API keys configured: /api/v1 and /v1 are open to every caller that can reach the port");
        } else {
            LOG.infof("%d API key(s) configured: /api/v1 and /v1 require one", keys.size());
        }
    }

    /** Whether any key is configured (and so every API call needs one). */
    public boolean required() {
        return !keys.isEmpty();
    }

    /**
     * The key matching {@code presented}, or {@code null}. Every configured key is compared, each in
     * constant time over fixed-length hashes, so the time taken tells nothing about how close a guess was.
     */
    public ApiKey find(String presented) {
        if (presented == null || presented.isEmpty()) {
            return null;
        }
        byte[] hash = sha256(presented);
        ApiKey match = null;
        for (ApiKey key : keys) {
            if (MessageDigest.isEqual(key.sha256(), hash) && match == null) {
                match = key;
            }
        }
        return match;
    }

    /** 0 when {@code key} is within its rate limit (the request is counted), else the seconds to wait. */
    public long admit(ApiKey key) {
        return limiter.acquire(key);
    }

    static byte[] sha256(String key) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
