package io.infercore.error;

/**
 * The one exception type of the engine and inference layers. Its {@link ErrorKind} decides the
 * HTTP status, the retriable flag and the OpenAI error type; its message is what the user reads,
 * so it must say what went wrong and, where there is one, the fix. It never carries secrets.
 */
public class InfercoreException extends RuntimeException {

    private final ErrorKind kind;
    private final String param;

    public InfercoreException(ErrorKind kind, String message) {
        this(kind, message, null, null);
    }

    public InfercoreException(ErrorKind kind, String message, String param, Throwable cause) {
        super(message, cause, false, false);
        this.kind = kind;
        this.param = param;
    }

    public ErrorKind kind() {
        return kind;
    }

    /** The request field at fault, when there is one (OpenAI's {@code param}). */
    public String param() {
        return param;
    }

    public boolean retriable() {
        return kind.retriable();
    }

    public int httpStatus() {
        return kind.httpStatus();
    }

    public static InfercoreException invalid(String param, String message) {
        return new InfercoreException(ErrorKind.INVALID_REQUEST, message, param, null);
    }

    public static InfercoreException modelNotFound(String message) {
        return new InfercoreException(ErrorKind.MODEL_NOT_FOUND, message);
    }
}
