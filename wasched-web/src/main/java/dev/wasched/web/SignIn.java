package dev.wasched.web;

import dev.wasched.access.User;
import java.time.Instant;
import java.util.Optional;

/**
 * What a sign-in attempt came to.
 *
 * @param user        the user, when signed in
 * @param lockedUntil when a locked-out user may try again, or null
 */
public record SignIn(Outcome outcome, Optional<User> user, Instant lockedUntil) {
    public enum Outcome {
        SIGNED_IN,
        /** Unknown user or wrong password: the two are not told apart. */
        REFUSED,
        /** Too many wrong passwords in a row; refused until {@link #lockedUntil()}, even with the right one. */
        LOCKED
    }

    public boolean signedIn() {
        return outcome == Outcome.SIGNED_IN;
    }
}
