package dev.wasched.web.internal;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.wasched.Wasched;
import dev.wasched.access.Role;
import com.fasterxml.jackson.databind.JsonNode;
import dev.wasched.account.AccountSpec;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;

/** The API's description, health and the accounts. */
public final class SystemRoutes {
    /** Where the OpenAPI document is, beside this class. */
    public static final String OPENAPI = "/dev/wasched/web/openapi.json";

    private final Wasched wasched;
    private final Object openApi;
    private final JsonViews views;

    public SystemRoutes(Wasched wasched, ObjectMapper json) {
        this.wasched = wasched;
        this.views = new JsonViews(json);
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
                        wasched.accounts().list().stream().map(views::account).toList()))),
                Route.change("POST", "/accounts", Role.ADMIN, "account.add", c -> {
                    JsonNode n = c.body();
                    AccountSpec.Builder b = AccountSpec.builder(RequestBodies.text(n, "name", true))
                            .kind(RequestBodies.text(n, "kind", true));
                    RequestBodies.stringMap(n, "settings").forEach(b::setting);
                    return Reply.created(views.account(wasched.accounts().add(b.build())));
                }),
                Route.read("/accounts/{name}", Role.VIEWER, c -> Reply.ok(views.account(wasched.accounts().get(
                        c.param("name"))))),
                Route.change("DELETE", "/accounts/{name}", Role.ADMIN, "account.remove", c ->
                        Reply.ok(views.account(wasched.accounts().remove(c.param("name"))))),
                Route.change("POST", "/accounts/{name}/pause", Role.ADMIN, "account.pause", c ->
                        Reply.ok(views.account(wasched.accounts().pause(c.param("name"))))),
                Route.change("POST", "/accounts/{name}/resume", Role.ADMIN, "account.resume", c ->
                        Reply.ok(views.account(wasched.accounts().resume(c.param("name"))))));
    }
}
