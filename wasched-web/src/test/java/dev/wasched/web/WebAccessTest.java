package dev.wasched.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wasched.access.Role;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Every operation of the API, walked from {@link WaschedWeb#operations()}: none answers a stranger, none lets a viewer
 * change anything, none takes a change from a browser session without its CSRF token; and the session cookie is
 * Secure when the request came over TLS.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class WebAccessTest {
    /** Open to anyone: the description, and signing in (a stranger has no session yet). */
    private static final Set<String> OPEN = Set.of("GET /openapi.json", "POST /session");
    /** Changes a viewer may make: its own sign-out, and previews, which store nothing. */
    private static final Set<String> VIEWER_MAY = Set.of("DELETE /session", "POST /templates/{name}/preview",
            "POST /triggers/preview");

    private WebFixture web;
    /** Reads what the administrator sees. */
    private WebFixture.Caller inspector;

    @BeforeAll
    void start() throws Exception {
        web = new WebFixture();
        inspector = web.machine(Role.ADMIN);
    }

    @AfterAll
    void stop() throws Exception {
        web.close();
    }

    /** Each operation as {@code METHOD /path} below the API's prefix. */
    private List<String[]> operations() {
        List<String[]> out = new ArrayList<>();
        for (String op : web.web.operations()) {
            String[] parts = op.split(" ", 2);
            out.add(new String[] {parts[0], parts[1].substring(WaschedWeb.API.length())});
        }
        assertThat(out).as("the API has its operations").hasSizeGreaterThan(50);
        return out;
    }

    private static boolean changes(String method) {
        return !method.equals("GET");
    }

    private static boolean upload(String path) {
        return path.equals("/contacts/imports") || path.equals("/media");
    }

    /** A call of the operation with made-up path parameters and, for a change, a body of the kind it takes. */
    private static WebFixture.Response call(WebFixture.Caller c, String method, String template, boolean withCsrf)
            throws Exception {
        String path = template.replaceAll("\\{[^}]+}", "nothing-here");
        if (!changes(method)) {
            return c.send(method, path, null, null, withCsrf);
        }
        return upload(template) ? c.send(method, path + "?name=x.csv", "name,phone\n", "text/csv", withCsrf)
                : c.send(method, path, "{}", "application/json", withCsrf);
    }

    /** What the administrator sees of what a refused call could have changed. */
    private List<String> state() throws Exception {
        List<String> out = new ArrayList<>();
        for (String listing : List.of("/users", "/accounts", "/contacts", "/templates", "/schedules", "/deliveries",
                "/webhooks", "/contacts/imports")) {
            out.add(listing + " " + inspector.call("GET", listing, null).raw().body());
        }
        out.add("keys " + web.web.users().keys().stream().filter(k -> !k.revoked()).count());
        return out;
    }

    @Test
    void nothingAnswersAStrangerButTheDescriptionAndSigningIn() throws Exception {
        SoftAssertions soft = new SoftAssertions();
        for (String[] op : operations()) {
            String id = op[0] + " " + op[1];
            WebFixture.Response r = call(web.caller(), op[0], op[1], false);
            if (OPEN.contains(id)) {
                soft.assertThat(r.status()).as(id).isNotEqualTo(401);
            } else {
                soft.assertThat(r.status()).as(id).isEqualTo(401);
                soft.assertThat(r.code()).as(id).isEqualTo("unauthenticated");
            }
        }
        soft.assertAll();
    }

    @Test
    void aViewerChangesNothing() throws Exception {
        WebFixture.Caller admin = web.admin();
        assertThat(admin.call("POST", "/users", Map.of("name", "vic", "role", "VIEWER", "password",
                "password of vic")).status()).isEqualTo(201);
        WebFixture.Caller viewer = web.caller();
        assertThat(viewer.signIn("vic", "password of vic").status()).isEqualTo(200);
        WebFixture.Caller viewerKey = web.machine(Role.VIEWER);
        List<String> before = state();
        SoftAssertions soft = new SoftAssertions();
        for (String[] op : operations()) {
            String id = op[0] + " " + op[1];
            if (!changes(op[0]) || OPEN.contains(id) || VIEWER_MAY.contains(id)) {
                continue;
            }
            for (WebFixture.Caller c : List.of(viewer, viewerKey)) {
                WebFixture.Response r = call(c, op[0], op[1], true);
                soft.assertThat(r.status()).as(id + " via " + (c.key == null ? "session" : "key")).isEqualTo(403);
                soft.assertThat(r.code()).as(id).isEqualTo("forbidden");
            }
        }
        soft.assertAll();
        assertThat(state()).as("nothing changed").isEqualTo(before);
        for (String allowed : VIEWER_MAY) {
            String[] op = allowed.split(" ", 2);
            assertThat(call(viewerKey, op[0], op[1], true).status()).as(allowed).isNotEqualTo(403);
        }
    }

    @Test
    void noChangeIsTakenFromASessionWithoutItsCsrfToken() throws Exception {
        WebFixture.Caller admin = web.admin();
        List<String> before = state();
        SoftAssertions soft = new SoftAssertions();
        int checked = 0;
        for (String[] op : operations()) {
            String id = op[0] + " " + op[1];
            if (!changes(op[0]) || OPEN.contains(id)) {
                continue;
            }
            WebFixture.Response r = call(admin, op[0], op[1], false);
            soft.assertThat(r.status()).as(id).isEqualTo(403);
            soft.assertThat(r.code()).as(id).isEqualTo("csrf");
            checked++;
        }
        soft.assertAll();
        assertThat(checked).as("uploads, PUT, PATCH and DELETE among them").isGreaterThan(30);
        assertThat(state()).as("nothing changed").isEqualTo(before);
        assertThat(admin.call("GET", "/session", null).status()).as("still signed in").isEqualTo(200);
    }

    @Test
    void theSessionCookieIsSecureWhenTheRequestCameOverTls() throws Exception {
        // Here a proxy in front ended TLS and said so; the host's container turns that into request.isSecure().
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(web.base
                        + "/session")).header("Content-Type", "application/json").header("X-Forwarded-Proto", "https")
                .POST(HttpRequest.BodyPublishers.ofString(WebFixture.JSON.writeValueAsString(Map.of("user", "admin",
                        "password", WebFixture.ADMIN_PASSWORD)))).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().allValues("Set-Cookie")).singleElement().satisfies(c -> assertThat(c)
                .startsWith("wasched_session=").contains("; Secure", "HttpOnly", "SameSite=Strict"));
        String cookie = r.headers().firstValue("Set-Cookie").orElseThrow().split(";", 2)[0];
        String csrf = WebFixture.JSON.readTree(r.body()).path("csrfToken").asText();

        HttpResponse<String> out = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(web.base
                        + "/session")).header("Cookie", cookie).header("X-CSRF-Token", csrf)
                .header("X-Forwarded-Proto", "https").DELETE().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(out.statusCode()).isEqualTo(204);
        assertThat(out.headers().allValues("Set-Cookie")).singleElement().satisfies(c -> assertThat(c)
                .contains("; Secure", "Max-Age=0"));
    }
}
