package dev.wasched.web.internal;

import java.security.MessageDigest;
import java.security.SecureRandom;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Signed-in browser sessions, in memory: a random token in an HttpOnly cookie names one, and each has its own CSRF
 * token that a state-changing request must repeat in a header (a cross-site form can send the cookie, never the
 * header). A session ends after its idle time, at sign-out, or when the process stops.
 */
public final class WebSessions {
    /**
     * One signed-in session. {@code user} is re-read from the store at each request, so a removed user is out, and
     * {@code credential} (the password hash it signed in with) must still be the user's: a new password, set by any
     * process, ends it.
     */
    public record Session(String token, String user, String credential, String csrf, Instant lastSeen) {
        @Override
        public String toString() {
            return "Session[user=" + user + ", lastSeen=" + lastSeen + "]";
        }
    }

    private final Map<String, Session> sessions = new ConcurrentHashMap<>();
    private final SecureRandom random = new SecureRandom();
    private final Clock clock;
    private final Duration idle;

    public WebSessions(Clock clock, Duration idle) {
        this.clock = clock;
        this.idle = idle;
    }

    public Session open(String user, String credential) {
        Instant now = clock.instant();
        sessions.values().removeIf(s -> expired(s, now));
        Session s = new Session(token(), user, credential, token(), now);
        sessions.put(s.token(), s);
        return s;
    }

    /** The live session of {@code token}, its idle time restarted. */
    public Optional<Session> find(String token) {
        if (token == null) {
            return Optional.empty();
        }
        Instant now = clock.instant();
        Session s = sessions.computeIfPresent(token, (t, found) -> expired(found, now) ? null
                : new Session(found.token(), found.user(), found.credential(), found.csrf(), now));
        return Optional.ofNullable(s);
    }

    /** The live session of {@code token}, its idle time left running (a stream of events is no sign of a person). */
    public Optional<Session> peek(String token) {
        Session s = token == null ? null : sessions.get(token);
        return s == null || expired(s, clock.instant()) ? Optional.empty() : Optional.of(s);
    }

    public void close(String token) {
        if (token != null) {
            sessions.remove(token);
        }
    }

    /** Ends every session of a user (removed, or a new password set). */
    public void closeAllOf(String user) {
        // Key by key: a session in use is replaced (lastSeen) as it is read, which a removeIf on values would miss.
        sessions.keySet().forEach(token -> sessions.computeIfPresent(token, (t, s) -> s.user().equals(user) ? null : s));
    }

    public static boolean csrfMatches(Session s, String presented) {
        return presented != null && MessageDigest.isEqual(s.csrf().getBytes(StandardCharsets.UTF_8),
                presented.getBytes(StandardCharsets.UTF_8));
    }

    private boolean expired(Session s, Instant now) {
        return !now.isBefore(s.lastSeen().plus(idle));
    }

    private String token() {
        byte[] b = new byte[32];
        random.nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }
}
