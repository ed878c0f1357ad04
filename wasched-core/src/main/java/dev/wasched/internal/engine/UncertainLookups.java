package dev.wasched.internal.engine;

import dev.wasched.delivery.Delivery;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * Which UNCERTAIN deliveries of one account to ask the transport about, and how far paging through them got. A
 * delivery the transport answered for (found or not found) is not asked about again while it stays as it is; one it
 * could not answer for is asked again after a growing pause. Used by one thread at a time: the account's dispatcher.
 */
final class UncertainLookups {
    static final Duration FIRST_RETRY = Duration.ofMinutes(1);
    static final Duration MAX_RETRY = Duration.ofHours(1);

    /** The last lookup of a delivery, for the version it was made on: a later UNCERTAIN spell is asked afresh. */
    private record Outcome(long version, boolean answered, int failures, Instant retryAt) {
    }

    private final Map<String, Outcome> outcomes = new HashMap<>();
    /** UNCERTAIN ids seen since paging last started over; outcomes of the others are dropped then. */
    private final Set<String> seenThisRound = new HashSet<>();
    private String cursor;

    /** Where the next page starts (null: from the newest). */
    String cursor() {
        return cursor;
    }

    /** Whether {@code d}, read from the store just now, should be looked up at {@code now}. */
    boolean due(Delivery d, Instant now) {
        seenThisRound.add(d.id());
        Outcome last = outcomes.get(d.id());
        return last == null || last.version() != d.version() || (!last.answered() && !now.isBefore(last.retryAt()));
    }

    /** The transport said found or not found: no further lookups for this version of {@code d}. */
    void answered(Delivery d) {
        outcomes.put(d.id(), new Outcome(d.version(), true, 0, null));
    }

    /** The transport could not tell (or failed): ask again later, waiting twice as long each time up to a maximum. */
    Instant unanswered(Delivery d, Instant now) {
        Outcome last = outcomes.get(d.id());
        int failures = last != null && last.version() == d.version() ? last.failures() + 1 : 1;
        Duration pause = FIRST_RETRY.multipliedBy(1L << Math.min(failures - 1, 20));
        Instant retryAt = now.plus(pause.compareTo(MAX_RETRY) < 0 ? pause : MAX_RETRY);
        outcomes.put(d.id(), new Outcome(d.version(), false, failures, retryAt));
        return retryAt;
    }

    /** The next pass goes on after the delivery with this id. */
    void continueAfter(String id) {
        cursor = id;
    }

    /** Every UNCERTAIN delivery was seen: start over from the newest and forget deliveries no longer UNCERTAIN. */
    void startOver() {
        outcomes.keySet().retainAll(seenThisRound);
        seenThisRound.clear();
        cursor = null;
    }
}
