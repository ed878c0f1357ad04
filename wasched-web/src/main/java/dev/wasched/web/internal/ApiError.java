package dev.wasched.web.internal;

/**
 * An answer other than success, in the API's one error shape: {@code {"error": {"code", "message", "field"?}}}.
 * {@code code} is for machines and never changes meaning; {@code message} is for people.
 */
public final class ApiError extends RuntimeException {
    private final int status;
    private final String code;
    private final String field;

    public ApiError(int status, String code, String message) {
        this(status, code, message, null);
    }

    public ApiError(int status, String code, String message, String field) {
        super(message);
        this.status = status;
        this.code = code;
        this.field = field;
    }

    public int status() {
        return status;
    }

    public String code() {
        return code;
    }

    public String field() {
        return field;
    }

    public static ApiError badRequest(String field, String message) {
        return new ApiError(400, "invalid", message, field);
    }
}
