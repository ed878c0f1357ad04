package dev.wasched.internal.engine;

import dev.wasched.delivery.Recipient;
import dev.wasched.schedule.Schedule;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.Predicate;

/**
 * Which of a campaign's accounts sends to a recipient: the one ranked highest for that recipient among those that can
 * send (rendezvous hashing). A recipient keeps its account while the set of accounts that can send stays; when one
 * stops (paused, restricted, removed) only its own recipients move, each to its next-ranked account, and come back
 * when it can send again.
 */
public final class AccountChoice {
    private AccountChoice() {
    }

    /**
     * @param usable whether an account can send now; when none of the schedule's can, the choice is made among all
     *               of them (the message waits for its account to come back)
     */
    public static String of(Schedule s, Recipient r, Predicate<String> usable) {
        if (!s.spread()) {
            return s.account();
        }
        List<String> candidates = s.accounts().stream().filter(usable).toList();
        if (candidates.isEmpty()) {
            candidates = s.accounts();
        }
        String key = r.contactId() != null ? r.contactId() : r.address();
        String best = null;
        long bestScore = Long.MIN_VALUE;
        for (String account : candidates) {
            long score = score(account, key);
            if (best == null || score > bestScore) {
                best = account;
                bestScore = score;
            }
        }
        return best;
    }

    /** A 64-bit FNV-1a hash of account and key, mixed: stable across runs and JVMs (unlike String.hashCode's spread). */
    private static long score(String account, String key) {
        long h = 0xcbf29ce484222325L;
        for (byte b : (account + '\u0000' + key).getBytes(StandardCharsets.UTF_8)) {
            h ^= b & 0xff;
            h *= 0x100000001b3L;
        }
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        return h;
    }
}
