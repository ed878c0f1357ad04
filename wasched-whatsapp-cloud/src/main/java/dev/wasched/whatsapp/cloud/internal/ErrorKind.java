package dev.wasched.whatsapp.cloud.internal;

import java.time.Duration;
import java.util.Set;

/**
 * What a Graph error means for the delivery. Codes from Meta's "WhatsApp error codes" page (see the fake's package
 * documentation in wasched-fakes for the sources).
 */
public enum ErrorKind {
    /** Known not sent and likely to pass: throughput, pair rate, spam rate, app call limits, service downtime. */
    RETRYABLE,
    /** Will fail again: the number is not on WhatsApp, not allowed, the window is closed, the request is invalid. */
    PERMANENT,
    /** The token is expired, invalid or lacks permission: nothing can be sent until someone gives a new one. */
    SESSION_LOST,
    /** The request may have been processed (an internal error answered after it arrived). */
    OUTCOME_UNKNOWN;

    /** Throughput of the business number reached. */
    public static final int THROUGHPUT = 130429;
    /** Too many messages from this business number to the same customer. */
    public static final int PAIR_RATE = 131056;
    /** Free-form message outside the 24-hour customer-service window ("re-engagement message"). */
    public static final int REENGAGEMENT = 131047;
    /** The access token expired or was invalidated. */
    public static final int ACCESS_TOKEN = 190;

    private static final Set<Integer> RETRY = Set.of(THROUGHPUT, PAIR_RATE, 131048, 80007, 4, 2, 131016, 131057,
            133016);
    private static final Set<Integer> AUTH = Set.of(0, ACCESS_TOKEN, 10, 3);

    public static ErrorKind of(GraphError e) {
        boolean bare = e.code() == GraphError.NONE;
        if (RETRY.contains(e.code()) || (bare && (e.httpStatus() == 429 || e.httpStatus() == 503))) {
            return RETRYABLE;
        }
        if (bare && e.httpStatus() >= 500) {
            return OUTCOME_UNKNOWN; // no Graph answer at all: a gateway may have passed the request on
        }
        if (e.code() == 1 || e.code() == 131000) {
            return OUTCOME_UNKNOWN; // "unknown" / "something went wrong": Meta may have taken the message
        }
        if (AUTH.contains(e.code()) || (e.code() >= 200 && e.code() <= 299) || e.httpStatus() == 401) {
            return SESSION_LOST;
        }
        return PERMANENT;
    }

    /**
     * How long to hold sends back after a rate limit: a second for the number's throughput (Meta counts per second),
     * six seconds for one customer (Meta's pair rate is about one message every six seconds), else none.
     */
    public static Duration coolDown(GraphError e) {
        return switch (e.code()) {
            case THROUGHPUT, 80007, 4 -> Duration.ofSeconds(1);
            case PAIR_RATE -> Duration.ofSeconds(6);
            default -> Duration.ZERO;
        };
    }
}
