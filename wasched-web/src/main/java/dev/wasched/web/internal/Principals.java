package dev.wasched.web.internal;

import dev.wasched.access.ApiKey;
import dev.wasched.access.Role;
import dev.wasched.access.User;
import dev.wasched.web.UserDirectory;
import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServletRequest;
import java.util.Optional;

/**
 * Who calls, and whether they still may: an API key ({@code Authorization: Bearer}), else a session cookie. A key
 * acts with at most the role its maker has now (a removed or demoted administrator's keys lose what they lost); a
 * session ends when its user is removed or has a new password.
 */
public final class Principals {
    public static final String SESSION_COOKIE = "wasched_session";

    private final UserDirectory users;
    private final WebSessions sessions;

    public Principals(UserDirectory users, WebSessions sessions) {
        this.users = users;
        this.sessions = sessions;
    }

    /** The caller of {@code req}, or null; a presented key that does not work is refused. */
    public Principal of(HttpServletRequest req) {
        String auth = req.getHeader("Authorization");
        // Other schemes (Basic, from a proxy in front) are not ours: the cookie decides.
        if (auth != null && auth.regionMatches(true, 0, "Bearer ", 0, 7)) {
            ApiKey key = users.keyFor(auth.substring(7).trim()).orElseThrow(() ->
                    new ApiError(401, "unauthenticated", "the API key is unknown or revoked"));
            Role role = keyRole(key).orElseThrow(() -> new ApiError(401, "unauthenticated",
                    "the API key's maker no longer has access"));
            return new Principal("key:" + key.id(), key.name(), role, null);
        }
        String token = sessionToken(req);
        Optional<WebSessions.Session> session = sessions.find(token);
        if (session.isEmpty()) {
            return null;
        }
        Optional<User> user = sessionUser(session.get());
        if (user.isEmpty()) {
            sessions.close(token);
            return null;
        }
        return new Principal("user:" + user.get().name(), user.get().name(), user.get().role(), session.get());
    }

    /** The role {@code p} has now, or empty when it has none any more (key revoked, session ended). */
    public Optional<Role> current(Principal p) {
        if (p.session() == null) {
            String id = p.actor().substring("key:".length());
            return users.key(id).filter(k -> !k.revoked()).flatMap(this::keyRole);
        }
        return sessions.peek(p.session().token()).flatMap(this::sessionUser).map(User::role);
    }

    private Optional<User> sessionUser(WebSessions.Session s) {
        return users.user(s.user()).filter(u -> u.passwordHash().equals(s.credential()));
    }

    private Optional<Role> keyRole(ApiKey key) {
        String maker = key.createdBy();
        Optional<Role> cap;
        if (maker.startsWith("user:")) {
            cap = users.user(maker.substring("user:".length())).map(User::role);
        } else if (maker.startsWith("key:")) {
            cap = users.key(maker.substring("key:".length())).filter(k -> !k.revoked()).map(ApiKey::role);
        } else {
            cap = Optional.of(key.role()); // made on the command line, by whoever runs it
        }
        return cap.map(c -> c.includes(key.role()) ? key.role() : c);
    }

    public static String sessionToken(HttpServletRequest req) {
        Cookie[] cookies = req.getCookies();
        if (cookies != null) {
            for (Cookie c : cookies) {
                if (c.getName().equals(SESSION_COOKIE)) {
                    return c.getValue();
                }
            }
        }
        return null;
    }
}
