package io.infercore.access;

import jakarta.inject.Inject;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ResourceInfo;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

import java.util.Locale;
import java.util.Optional;

/**
 * The one place API keys are checked, before any resource method runs (the request body is not
 * read yet). Once a key is configured, every REST resource needs one ({@code Authorization: Bearer
 * <key>} or {@code X-API-Key: <key>}) unless its class is {@link Open}; the failure is thrown and
 * becomes the route's error shape in {@code io.infercore.api.ExceptionMappers}. The caller's key
 * is kept on the request for {@link ModelGate}. Keys are never logged: log lines name the key.
 */
public class AccessFilter {

    /** Request property holding the caller's {@link ApiKey} (absent when no keys are configured). */
    static final String CALLER = "access.caller";
    static final String API_KEY_HEADER = "X-API-Key";

    @Inject
    ApiKeys keys;

    @ServerRequestFilter(priority = Priorities.AUTHENTICATION)
    public void authenticate(ContainerRequestContext request, ResourceInfo resource) {
        if (!keys.required() || isOpen(resource)) {
            return;
        }
        String presented = presented(request);
        if (presented == null) {
            throw AccessDenied.missingKey();
        }
        ApiKey key = keys.find(presented);
        if (key == null) {
            throw AccessDenied.wrongKey();
        }
        long wait = keys.admit(key);
        if (wait > 0) {
            throw AccessDenied.rate(key.name(), key.requestsPerMinute(), wait);
        }
        request.setProperty(CALLER, key);
    }

    /** The key the request was admitted with; empty when the API is open. */
    public static Optional<ApiKey> caller(ContainerRequestContext request) {
        return Optional.ofNullable((ApiKey) request.getProperty(CALLER));
    }

    private static boolean isOpen(ResourceInfo resource) {
        Class<?> type = resource == null ? null : resource.getResourceClass();
        return type != null && type.isAnnotationPresent(Open.class);
    }

    /** {@code Authorization: Bearer <key>} first, then {@code X-API-Key}; {@code null} when neither carries one. */
    static String presented(ContainerRequestContext request) {
        String authorization = request.getHeaderString("Authorization");
        if (authorization != null) {
            String value = authorization.strip();
            if (value.length() > 7 && value.substring(0, 7).toLowerCase(Locale.ROOT).equals("bearer ")) {
                String token = value.substring(7).strip();
                if (!token.isEmpty()) {
                    return token;
                }
            }
        }
        String header = request.getHeaderString(API_KEY_HEADER);
        return header == null || header.isBlank() ? null : header.strip();
    }
}
