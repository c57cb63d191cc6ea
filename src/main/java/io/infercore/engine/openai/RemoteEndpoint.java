package io.infercore.engine.openai;

import io.infercore.config.InfercoreConfig;
import io.infercore.engine.UpstreamErrors;
import io.infercore.error.ErrorKind;
import io.infercore.error.InfercoreException;

import java.time.Duration;
import java.util.Optional;

/**
 * Where a remote engine listens and how long to wait for it. {@code baseUrl} may be null: the
 * engine is known but not configured (e.g. vLLM before the supervisor launched one), and every
 * call then fails with a 503 that says how to start it. The API key is never part of
 * {@link #toString()}.
 *
 * @param firstToken      from sending a request to its first token (the whole answer when not streamed)
 * @param total           the whole generation, streamed or not
 * @param retries         sends again of a call that failed before any answer ({@code timeouts.retries})
 * @param breakerFailures consecutive unanswered calls that open the circuit; 0: no breaker
 * @param breakerOpen     how long an open circuit refuses calls
 */
public record RemoteEndpoint(String engine, String baseUrl, String apiKey,
                             Duration connect, Duration firstToken, Duration total,
                             int retries, int breakerFailures, Duration breakerOpen) {

    public RemoteEndpoint {
        baseUrl = baseUrl == null || baseUrl.isBlank() ? null : stripSlash(baseUrl.strip());
        apiKey = apiKey == null || apiKey.isBlank() ? null : apiKey;
    }

    /** An endpoint with the default fault handling: one resend, a breaker after 5 unanswered calls, open 2 s. */
    public RemoteEndpoint(String engine, String baseUrl, String apiKey, Duration connect, Duration firstToken,
                          Duration total) {
        this(engine, baseUrl, apiKey, connect, firstToken, total, 1, 5, Duration.ofSeconds(2));
    }

    public static RemoteEndpoint of(String engine, Optional<String> baseUrl, Optional<String> apiKey,
                                    InfercoreConfig.Timeouts timeouts) {
        return new RemoteEndpoint(engine, baseUrl.orElse(null), apiKey.orElse(null),
                timeouts.connect(), timeouts.firstToken(), timeouts.total(),
                timeouts.retries(), timeouts.breakerFailures(), timeouts.breakerOpen());
    }

    public RemoteEndpoint withBaseUrl(String url) {
        return new RemoteEndpoint(engine, url, apiKey, connect, firstToken, total, retries, breakerFailures, breakerOpen);
    }

    public RemoteEndpoint withApiKey(String key) {
        return new RemoteEndpoint(engine, baseUrl, key, connect, firstToken, total, retries, breakerFailures, breakerOpen);
    }

    public boolean configured() {
        return baseUrl != null;
    }

    /** What to show for the engine's address: the URL, or the config key to set. */
    public String displayUrl() {
        return baseUrl == null ? "(no " + engine + ".base_url configured)" : baseUrl;
    }

    /** The 503 for an engine without a base URL. */
    public InfercoreException notConfigured() {
        return new InfercoreException(ErrorKind.ENGINE_UNAVAILABLE, engine + " is not reachable: "
                + engine + ".base_url is not set; " + UpstreamErrors.startHint(engine));
    }

    private static String stripSlash(String url) {
        String u = url;
        while (u.endsWith("/")) {
            u = u.substring(0, u.length() - 1);
        }
        return u;
    }

    @Override
    public String toString() {
        return "RemoteEndpoint[" + engine + " " + displayUrl() + (apiKey == null ? "" : ", api key set") + "]";
    }
}
