package dev.wasched.web.internal;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.wasched.Wasched;
import dev.wasched.access.Role;
import dev.wasched.account.Account;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The API's description, health and the accounts. */
public final class SystemRoutes {
    /** Where the OpenAPI document is, beside this class. */
    public static final String OPENAPI = "/dev/wasched/web/openapi.json";

    private final Wasched wasched;
    private final Object openApi;

    public SystemRoutes(Wasched wasched, ObjectMapper json) {
        this.wasched = wasched;
        try (InputStream in = SystemRoutes.class.getResourceAsStream(OPENAPI)) {
            this.openApi = json.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException("the OpenAPI document " + OPENAPI + " is missing from the jar", e);
        }
    }

    public List<Route> routes() {
        return List.of(
                Route.open("GET", "/openapi.json", c -> Reply.ok(openApi)),
                Route.read("/health", Role.VIEWER, c -> {
                    dev.wasched.health.Health h = wasched.health();
                    Reply r = Reply.ok(h);
                    return h.status() == dev.wasched.health.Health.Status.DOWN ? new Reply(503, h, r.headers()) : r;
                }),
                Route.read("/accounts", Role.VIEWER, c -> Reply.ok(Map.of("items",
                        wasched.accounts().list().stream().map(SystemRoutes::view).toList()))),
                Route.change("POST", "/accounts/{name}/pause", Role.ADMIN, "account.pause", c ->
                        Reply.ok(view(wasched.accounts().pause(c.param("name"))))),
                Route.change("POST", "/accounts/{name}/resume", Role.ADMIN, "account.resume", c ->
                        Reply.ok(view(wasched.accounts().resume(c.param("name"))))));
    }

    /** An account without its settings' values, which may hold secrets. */
    static Map<String, Object> view(Account a) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("name", a.name());
        out.put("kind", a.kind());
        out.put("status", a.status().name());
        out.put("settings", List.copyOf(a.settings().keySet()));
        out.put("createdAt", a.createdAt());
        out.put("updatedAt", a.updatedAt());
        return out;
    }
}
