package dev.wasched.testkit.cloud;

/**
 * An error the fake answers a request with instead of serving it ({@link FakeCloudApi#failNext}). Codes as Meta's
 * error-code reference gives them; {@code code} 0 answers the HTTP status with a body that is not a Graph error (a
 * proxy's answer).
 */
public record CloudFault(int httpStatus, int code, String message) {
    /** Throughput of the business number reached. */
    public static CloudFault throughputLimit() {
        return new CloudFault(400, 130429, "(#130429) Rate limit hit");
    }

    /** Too many messages to the same customer. */
    public static CloudFault pairRateLimit() {
        return new CloudFault(400, 131056, "(#131056) (Business Account, Consumer Account) pair rate limit hit");
    }

    /** The access token expired. */
    public static CloudFault tokenExpired() {
        return new CloudFault(401, 190, "Error validating access token: Session has expired");
    }

    /** Temporary downtime or overload: the request was not processed. */
    public static CloudFault serviceUnavailable() {
        return new CloudFault(503, 2, "Service temporarily unavailable");
    }

    /** An internal error after the request arrived: whether it was processed is unknown. */
    public static CloudFault internalError() {
        return new CloudFault(500, 1, "An unknown error occurred");
    }

    /** A gateway's 502 without a Graph error body. */
    public static CloudFault badGateway() {
        return new CloudFault(502, 0, "Bad Gateway");
    }
}
