package dev.wasched.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wasched.account.Account;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class WebApiTest {
    private WebFixture web;

    @BeforeAll
    void start() throws Exception {
        web = new WebFixture();
    }

    @AfterAll
    void stop() throws Exception {
        web.close();
    }

    private WebFixture.Caller signedIn(String name, String role) throws Exception {
        WebFixture.Caller admin = web.admin();
        String password = "password of " + name;
        assertThat(admin.call("POST", "/users", Map.of("name", name, "role", role, "password", password)).status())
                .isEqualTo(201);
        WebFixture.Caller c = web.caller();
        assertThat(c.signIn(name, password).status()).isEqualTo(200);
        return c;
    }

    @Test
    void signingInSetsAStrictHttpOnlyCookieAndEveryChangeNeedsTheCsrfHeader() throws Exception {
        WebFixture.Caller admin = web.caller();
        WebFixture.Response in = admin.signIn("admin", WebFixture.ADMIN_PASSWORD);
        assertThat(in.status()).isEqualTo(200);
        assertThat(in.json().path("role").asText()).isEqualTo("ADMIN");
        assertThat(in.setCookies()).singleElement().satisfies(c -> assertThat(c)
                .startsWith("wasched_session=").contains("HttpOnly", "SameSite=Strict", "Path=/wasched")
                .doesNotContain("Secure")); // plain HTTP here: Secure is set when the request came over TLS

        // A forged cross-site POST carries the cookie but cannot know the token.
        WebFixture.Response forged = admin.send("POST", "/users", "{\"name\":\"mallory\",\"role\":\"ADMIN\","
                + "\"password\":\"password of mallory\"}", "application/json", false);
        assertThat(forged.status()).isEqualTo(403);
        assertThat(forged.code()).isEqualTo("csrf");
        assertThat(web.web.users().user("mallory")).as("nothing created").isEmpty();

        WebFixture.Response added = admin.call("POST", "/users", Map.of("name", "Carla", "role", "operator",
                "password", "password of carla"));
        assertThat(added.status()).isEqualTo(201);
        assertThat(added.json().path("name").asText()).isEqualTo("carla");
        assertThat(added.json().has("passwordHash")).isFalse();
        assertThat(web.web.users().user("carla").orElseThrow().passwordHash()).startsWith("$argon2id$v=19$");

        assertThat(admin.call("GET", "/session", null).json().path("csrfToken").asText()).isEqualTo(admin.csrf);
        WebFixture.Response out = admin.call("DELETE", "/session", null);
        assertThat(out.status()).isEqualTo(204);
        assertThat(out.setCookies()).singleElement().satisfies(c -> assertThat(c).contains("Max-Age=0"));
        assertThat(admin.call("GET", "/session", null).code()).isEqualTo("unauthenticated");
    }

    @Test
    void aViewerReadsButChangesNothing() throws Exception {
        WebFixture.Caller viewer = signedIn("vera", "VIEWER");
        WebFixture.Response accounts = viewer.call("GET", "/accounts", null);
        assertThat(accounts.status()).isEqualTo(200);
        assertThat(accounts.items("name")).contains("shop");
        WebFixture.Response pause = viewer.call("POST", "/accounts/shop/pause", null);
        assertThat(pause.status()).isEqualTo(403);
        assertThat(pause.code()).isEqualTo("forbidden");
        assertThat(web.wasched.accounts().get("shop").status()).isEqualTo(Account.Status.ACTIVE);
        assertThat(viewer.call("GET", "/users", null).status()).isEqualTo(403);
        assertThat(viewer.call("GET", "/health", null).status()).isIn(200, 503);
        assertThat(web.caller().call("GET", "/accounts", null).status()).as("nobody signed in").isEqualTo(401);
    }

    @Test
    void repeatedWrongPasswordsLockTheUserOutForAWhile() throws Exception {
        signedIn("otto", "OPERATOR");
        WebFixture.Caller c = web.caller();
        for (int i = 1; i < WebConfig.DEFAULT.maxFailedLogins(); i++) {
            WebFixture.Response r = c.signIn("otto", "not the password " + i);
            assertThat(r.status()).isEqualTo(401);
            assertThat(r.code()).isEqualTo("refused");
        }
        assertThat(c.signIn("otto", "not the password either").code()).isEqualTo("locked");
        WebFixture.Response right = c.signIn("otto", "password of otto");
        assertThat(right.code()).as("even the right password, while locked").isEqualTo("locked");
        assertThat(c.signIn("nobody-here", "whatever it is").code()).as("unknown users look like wrong passwords")
                .isEqualTo("refused");

        web.clock.advance(WebConfig.DEFAULT.lockout().plus(Duration.ofSeconds(1)));
        assertThat(c.signIn("otto", "password of otto").status()).isEqualTo(200);
        assertThat(web.web.users().user("otto").orElseThrow().failedLogins()).isZero();
    }

    @Test
    void wrongPasswordsSentAllAtOnceGetNoMoreThanTheAllowedAttempts() throws Exception {
        signedIn("petra", "OPERATOR");
        int tries = 16;
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(tries);
        try {
            java.util.List<java.util.concurrent.Future<WebFixture.Response>> answers = new ArrayList<>();
            for (int i = 0; i < tries; i++) {
                int n = i;
                answers.add(pool.submit(() -> web.caller().signIn("petra", "guess number " + n)));
            }
            for (int i = 0; i < tries; i++) {
                String code = answers.get(i).get().code();
                if (code.equals("busy")) { // checked nothing, counted nothing: sent again when the rush is over
                    assertThat(answers.get(i).get().status()).isEqualTo(503);
                    code = web.caller().signIn("petra", "guess number " + i).code();
                }
                assertThat(code).isIn("refused", "locked");
            }
        } finally {
            pool.shutdown();
        }
        List<String> checked = new ArrayList<>();
        web.web.users().audit(dev.wasched.PageRequest.first(1000)).items().stream()
                .filter(e -> e.target().equals("petra") && e.action().startsWith("login.")).forEach(e ->
                        checked.add(e.action()));
        assertThat(checked).as("passwords checked").hasSize(WebConfig.DEFAULT.maxFailedLogins())
                .containsOnlyOnce("login.locked");
        assertThat(web.caller().signIn("petra", "password of petra").code()).isEqualTo("locked");
    }

    @Test
    void aRoleChangeWithABadPasswordChangesNothing() throws Exception {
        WebFixture.Caller admin = web.admin();
        signedIn("rita", "OPERATOR");
        WebFixture.Response bad = admin.call("PATCH", "/users/rita", Map.of("role", "VIEWER", "password", "short"));
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.json().path("error").path("field").asText()).isEqualTo("password");
        assertThat(web.web.users().user("rita").orElseThrow().role()).isEqualTo(dev.wasched.access.Role.OPERATOR);
    }

    @Test
    void aNewPasswordSetElsewhereEndsTheSessionsAndOtherAuthorizationSchemesAreLeftToTheCookie() throws Exception {
        WebFixture.Caller sam = signedIn("sam", "VIEWER");
        WebFixture.Caller behindProxy = web.caller();
        behindProxy.cookie = sam.cookie;
        WebFixture.Response basic = behindProxy.sendWith("GET", "/session", "Authorization", "Basic cHJveHk6cGFzcw==");
        assertThat(basic.status()).as("a proxy's Basic credentials are not ours").isEqualTo(200);
        // As the command line does it, in another process: no session of this one is told.
        web.web.users().setPassword("sam", "a brand new password".toCharArray(), "cli");
        assertThat(sam.call("GET", "/session", null).status()).isEqualTo(401);
        assertThat(web.caller().signIn("sam", "a brand new password").status()).isEqualTo(200);
    }

    @Test
    void aKeyActsWithNoMoreThanItsMakerHasNow() throws Exception {
        WebFixture.Caller admin = web.admin();
        assertThat(admin.call("POST", "/users", Map.of("name", "ada", "role", "ADMIN", "password", "password of ada"))
                .status()).isEqualTo(201);
        WebFixture.Caller ada = web.caller();
        ada.signIn("ada", "password of ada");
        WebFixture.Caller machine = web.caller();
        machine.key = ada.call("POST", "/keys", Map.of("name", "ada's", "role", "ADMIN")).json().path("secret")
                .asText();
        assertThat(machine.call("GET", "/users", null).status()).isEqualTo(200);
        admin.call("PATCH", "/users/ada", Map.of("role", "VIEWER"));
        assertThat(machine.call("GET", "/users", null).status()).as("demoted with its maker").isEqualTo(403);
        assertThat(machine.call("GET", "/accounts", null).status()).isEqualTo(200);
        admin.call("DELETE", "/users/ada", null);
        assertThat(machine.call("GET", "/accounts", null).status()).as("its maker is gone").isEqualTo(401);
    }

    @Test
    void apiKeysAreShownOnceNeedNoCsrfAndStopWhenRevoked() throws Exception {
        WebFixture.Caller admin = web.admin();
        WebFixture.Response made = admin.call("POST", "/keys", Map.of("name", "crm-sync", "role", "ADMIN"));
        assertThat(made.status()).isEqualTo(201);
        String secret = made.json().path("secret").asText();
        String id = made.json().path("id").asText();
        assertThat(secret).startsWith(UserDirectory.KEY_PREFIX).hasSizeGreaterThan(40);
        WebFixture.Response keys = admin.call("GET", "/keys", null);
        assertThat(keys.items("id")).contains(id);
        assertThat(keys.raw().body()).doesNotContain(secret);

        WebFixture.Caller machine = web.caller();
        machine.key = secret;
        assertThat(machine.call("GET", "/session", null).json().path("via").asText()).isEqualTo("key");
        WebFixture.Response paused = machine.call("POST", "/accounts/shop/pause", null);
        assertThat(paused.status()).isEqualTo(200);
        assertThat(paused.json().path("status").asText()).isEqualTo("PAUSED");
        assertThat(machine.call("POST", "/accounts/shop/resume", null).json().path("status").asText())
                .isEqualTo("ACTIVE");

        assertThat(admin.call("DELETE", "/keys/" + id, null).json().path("revokedAt").isNull()).isFalse();
        WebFixture.Response refused = machine.call("GET", "/accounts", null);
        assertThat(refused.status()).isEqualTo(401);
        assertThat(refused.code()).isEqualTo("unauthenticated");

        List<String> actions = new ArrayList<>();
        admin.call("GET", "/audit?limit=6", null).json().path("items").forEach(e ->
                actions.add(e.path("action").asText() + " " + e.path("actor").asText()));
        assertThat(actions).containsSubsequence("key.revoke user:admin", "account.resume key:" + id,
                "account.pause key:" + id, "key.create user:admin");
    }

    @Test
    void badInputIsRefusedWithATypedErrorAndChangesNothing() throws Exception {
        WebFixture.Caller admin = web.admin();
        List<String> before = admin.call("GET", "/users", null).items("name");

        WebFixture.Response noPassword = admin.call("POST", "/users", Map.of("name", "dora", "role", "VIEWER"));
        assertThat(noPassword.status()).isEqualTo(400);
        assertThat(noPassword.json().path("error").path("field").asText()).isEqualTo("password");
        WebFixture.Response shortPassword = admin.call("POST", "/users", Map.of("name", "dora", "role", "VIEWER",
                "password", "short"));
        assertThat(shortPassword.json().path("error").path("field").asText()).isEqualTo("password");
        WebFixture.Response badRole = admin.call("POST", "/users", Map.of("name", "dora", "role", "OWNER",
                "password", "long enough password"));
        assertThat(badRole.json().path("error").path("field").asText()).isEqualTo("role");
        assertThat(badRole.json().path("error").path("message").asText()).contains("OWNER");
        WebFixture.Response badName = admin.call("POST", "/users", Map.of("name", "dora smith", "role", "VIEWER",
                "password", "long enough password"));
        assertThat(badName.json().path("error").path("field").asText()).isEqualTo("user");
        WebFixture.Response malformed = admin.send("POST", "/users", "{\"name\":", "application/json", true);
        assertThat(malformed.status()).isEqualTo(400);
        assertThat(malformed.code()).isEqualTo("invalid");
        assertThat(admin.send("POST", "/users", "name=dora", "application/x-www-form-urlencoded", true).status())
                .isEqualTo(415);
        WebFixture.Response duplicate = admin.call("POST", "/users", Map.of("name", "ADMIN", "role", "VIEWER",
                "password", "long enough password"));
        assertThat(duplicate.status()).isEqualTo(409);
        assertThat(admin.call("GET", "/users", null).items("name")).as("nothing stored").isEqualTo(before);

        WebFixture.Response lastAdmin = admin.call("PATCH", "/users/admin", Map.of("role", "VIEWER"));
        assertThat(lastAdmin.status()).isEqualTo(409);
        assertThat(lastAdmin.code()).isEqualTo("last_admin");
        assertThat(admin.call("DELETE", "/users/admin", null).code()).isEqualTo("last_admin");
        assertThat(admin.call("POST", "/accounts/nobody/pause", null).status()).isEqualTo(404);

        WebFixture.Response unknown = admin.call("GET", "/nothing-here", null);
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.code()).isEqualTo("not_found");
        WebFixture.Response wrongMethod = admin.call("PUT", "/users", Map.of());
        assertThat(wrongMethod.status()).isEqualTo(405);
        assertThat(wrongMethod.raw().headers().firstValue("Allow")).contains("GET, POST");
        assertThat(admin.call("GET", "/audit?limit=0", null).json().path("error").path("field").asText())
                .isEqualTo("limit");
    }

    @Test
    void theAuditLogIsPagedNewestFirstToTheEnd() throws Exception {
        WebFixture.Caller admin = web.admin();
        for (int i = 0; i < 4; i++) {
            admin.call("POST", "/keys", Map.of("name", "k" + i, "role", "VIEWER"));
        }
        List<String> ids = new ArrayList<>();
        String cursor = null;
        do {
            WebFixture.Response page = admin.call("GET", "/audit?limit=3" + (cursor == null ? "" : "&cursor="
                    + cursor), null);
            assertThat(page.status()).isEqualTo(200);
            ids.addAll(page.items("id"));
            cursor = page.json().path("nextCursor").isNull() ? null : page.json().path("nextCursor").asText();
        } while (cursor != null);
        assertThat(ids).doesNotHaveDuplicates().isSortedAccordingTo(java.util.Comparator.reverseOrder());
        assertThat(ids).hasSize(web.web.users().audit(dev.wasched.PageRequest.first(1000)).items().size());
    }
}
