package io.infercore.api;

import io.quarkus.runtime.annotations.RegisterForReflection;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** The seed's response envelope, on every {@code /api/v1} reply, success or error. */
@Schema(description = "Response envelope of every /api/v1 call")
@RegisterForReflection // written by Replies with the ObjectMapper, not through a resource signature
public record Envelope<T>(
        @Schema(description = "Id of this request (also in the X-Request-Id header)") String requestId,
        @Schema(description = "HTTP status code, repeated") int code,
        @Schema(description = "\"success\", or the reason of the failure") String msg,
        @Schema(description = "The result; null on errors") T data) {

    public static <T> Envelope<T> ok(String requestId, T data) {
        return new Envelope<>(requestId, 200, "success", data);
    }

    public static Envelope<Object> error(String requestId, int code, String msg) {
        return new Envelope<>(requestId, code, msg, null);
    }
}
