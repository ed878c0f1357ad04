package dev.wasched.web.internal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.wasched.Page;
import dev.wasched.access.ApiKey;
import dev.wasched.access.AuditEntry;
import dev.wasched.access.Role;
import dev.wasched.access.User;
import dev.wasched.web.NewApiKey;
import dev.wasched.web.SignIn;
import dev.wasched.web.UserDirectory;
import jakarta.servlet.http.HttpServletRequest;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Signing in and out, users, API keys and the audit log. The directory audits its own changes. */
public final class AccessRoutes {
    private final UserDirectory users;
    private final WebSessions sessions;

    public AccessRoutes(UserDirectory users, WebSessions sessions) {
        this.users = users;
        this.sessions = sessions;
    }

    public List<Route> routes() {
        return List.of(
                Route.open("POST", "/session", this::signIn),
                Route.read("/session", Role.VIEWER, c -> Reply.ok(me(c.principal()))),
                Route.change("DELETE", "/session", Role.VIEWER, null, this::signOut),
                Route.read("/users", Role.ADMIN, c -> Reply.ok(Map.of("items",
                        users.users().stream().map(AccessRoutes::view).toList()))),
                Route.change("POST", "/users", Role.ADMIN, null, c -> Reply.created(view(users.addUser(
                        c.text("name", true), role(c, true), password(c, "password", true),
                        c.principal().actor())))),
                Route.change("PATCH", "/users/{name}", Role.ADMIN, null, this::changeUser),
                Route.change("DELETE", "/users/{name}", Role.ADMIN, null, c -> {
                    users.removeUser(c.param("name"), c.principal().actor());
                    sessions.closeAllOf(User.checkName(c.param("name")));
                    return Reply.noContent();
                }),
                Route.read("/keys", Role.ADMIN, c -> Reply.ok(Map.of("items",
                        users.keys().stream().map(AccessRoutes::view).toList()))),
                Route.change("POST", "/keys", Role.ADMIN, null, c -> {
                    NewApiKey k = users.createKey(c.text("name", true), role(c, true), c.principal().actor());
                    Map<String, Object> out = view(k.key());
                    out.put("secret", k.secret());
                    return Reply.created(out);
                }),
                Route.change("DELETE", "/keys/{id}", Role.ADMIN, null, c ->
                        Reply.ok(view(users.revokeKey(c.param("id"), c.principal().actor())))),
                Route.read("/audit", Role.ADMIN, c -> {
                    Page<AuditEntry> page = users.audit(c.page());
                    Map<String, Object> out = new LinkedHashMap<>();
                    out.put("items", page.items());
                    out.put("nextCursor", page.nextCursor().orElse(null));
                    return Reply.ok(out);
                }));
    }

    private Reply signIn(Call c) {
        String name = c.text("user", true);
        SignIn result = users.signIn(name, password(c, "password", true));
        if (result.outcome() == SignIn.Outcome.LOCKED) {
            throw new ApiError(401, "locked", "too many wrong passwords; signing in is refused until "
                    + result.lockedUntil());
        }
        if (!result.signedIn()) {
            throw new ApiError(401, "refused", "unknown user or wrong password");
        }
        sessions.close(Principals.sessionToken(c.request()));
        User u = result.user().orElseThrow();
        WebSessions.Session s = sessions.open(u.name(), u.passwordHash());
        return Reply.ok(me(new Principal("user:" + u.name(), u.name(), u.role(), s)))
                .withHeader("Set-Cookie", cookie(c.request(), s.token(), false));
    }

    private Reply signOut(Call c) {
        if (c.principal().session() != null) {
            sessions.close(c.principal().session().token());
        }
        return Reply.noContent().withHeader("Set-Cookie", cookie(c.request(), "", true));
    }

    private Reply changeUser(Call c) {
        String name = c.param("name");
        String role = c.text("role", false);
        char[] password = c.body().has("password") ? UserDirectory.checkPassword(password(c, "password", true))
                : null; // checked before anything is changed
        if (role == null && password == null) {
            throw ApiError.badRequest(null, "give a new 'role' or 'password'");
        }
        User u = users.user(name).orElseThrow(() -> new dev.wasched.NotFoundException("user", name));
        if (role != null) {
            u = users.setRole(name, role(c, true), c.principal().actor());
        }
        if (password != null) {
            u = users.setPassword(name, password, c.principal().actor());
            sessions.closeAllOf(u.name());
        }
        return Reply.ok(view(u));
    }

    /** The session cookie: HttpOnly, SameSite=Strict, Secure when the request came over TLS, scoped to the prefix. */
    private static String cookie(HttpServletRequest req, String value, boolean expire) {
        String path = req.getContextPath() + req.getServletPath();
        return Principals.SESSION_COOKIE + "=" + value + "; Path=" + (path.isEmpty() ? "/" : path)
                + "; HttpOnly; SameSite=Strict" + (req.isSecure() ? "; Secure" : "") + (expire ? "; Max-Age=0" : "");
    }

    private static Map<String, Object> me(Principal p) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("user", p.name());
        out.put("role", p.role().name());
        out.put("via", p.session() == null ? "key" : "session");
        if (p.session() != null) {
            out.put("csrfToken", p.session().csrf());
        }
        return out;
    }

    private static Role role(Call c, boolean required) {
        String r = c.text("role", required);
        try {
            return r == null ? null : Role.valueOf(r.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw ApiError.badRequest("role", "must be VIEWER, OPERATOR or ADMIN, was '" + r + "'");
        }
    }

    private static char[] password(Call c, String field, boolean required) {
        JsonNode v = c.body().path(field);
        if (!v.isTextual()) {
            throw ApiError.badRequest(field, required ? "is required (a string)" : "must be a string");
        }
        return v.asText().toCharArray();
    }

    static Map<String, Object> view(User u) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("name", u.name());
        out.put("role", u.role().name());
        out.put("lockedUntil", u.lockedUntil());
        out.put("createdAt", u.createdAt());
        out.put("updatedAt", u.updatedAt());
        return out;
    }

    static Map<String, Object> view(ApiKey k) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("id", k.id());
        out.put("name", k.name());
        out.put("role", k.role().name());
        out.put("createdBy", k.createdBy());
        out.put("createdAt", k.createdAt());
        out.put("revokedAt", k.revokedAt());
        return out;
    }
}
