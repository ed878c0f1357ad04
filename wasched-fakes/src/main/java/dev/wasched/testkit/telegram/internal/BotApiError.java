package dev.wasched.testkit.telegram.internal;

/**
 * An error the fake Bot API answers with an {@code {"ok":false,...}} envelope.
 * Internal: not part of the testkit's public API.
 */
public final class BotApiError extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final int errorCode;
    private final Integer retryAfterSeconds;

    private BotApiError(int errorCode, String description, Integer retryAfterSeconds) {
        super(description, null, false, false);
        this.errorCode = errorCode;
        this.retryAfterSeconds = retryAfterSeconds;
    }

    /** 400 with a description prefixed by {@code "Bad Request: "}, like the real API. */
    public static BotApiError badRequest(String detail) {
        return new BotApiError(400, "Bad Request: " + detail, null);
    }

    /** 400 naming a required parameter that is absent or empty. */
    public static BotApiError missing(String parameter) {
        return badRequest(parameter + " is empty");
    }

    public static BotApiError unauthorized() {
        return new BotApiError(401, "Unauthorized", null);
    }

    public static BotApiError notFound() {
        return new BotApiError(404, "Not Found", null);
    }

    public static BotApiError conflict(String detail) {
        return new BotApiError(409, "Conflict: " + detail, null);
    }

    public static BotApiError tooManyRequests(int retryAfterSeconds) {
        return new BotApiError(429, "Too Many Requests: retry after " + retryAfterSeconds, retryAfterSeconds);
    }

    public static BotApiError internal(String detail) {
        return new BotApiError(500, "Internal Server Error: " + detail, null);
    }

    public int errorCode() {
        return errorCode;
    }

    public String description() {
        return getMessage();
    }

    /** Seconds for {@code parameters.retry_after}, or {@code null}. */
    public Integer retryAfterSeconds() {
        return retryAfterSeconds;
    }
}
