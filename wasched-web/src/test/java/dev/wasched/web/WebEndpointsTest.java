package dev.wasched.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.wasched.testkit.transport.RecordingTransport;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * Each operation's success (status, answer, and the change seen by a later read) and its refusal of bad input (the
 * typed error in the one error shape, nothing stored changed), for the operations the other tests leave out.
 */
class WebEndpointsTest extends AdminApiBase {
    @Override
    protected dev.wasched.WaschedBuilder configure(dev.wasched.WaschedBuilder b) {
        return b.transportFactory("recording", a -> new RecordingTransport(a.name()));
    }

    private JsonNode get(String path) throws Exception {
        WebFixture.Response r = api.json("GET", path, null);
        assertThat(r.status()).as("GET " + path + ": " + r.raw().body()).isEqualTo(200);
        return r.json();
    }

    /** The answer is the one error shape, with this status, code and (when not null) field. */
    static void assertError(WebFixture.Response r, int status, String code, String field) {
        assertThat(r.status()).as(r.raw().body()).isEqualTo(status);
        assertThat(r.raw().headers().firstValue("Content-Type").orElse("")).startsWith("application/json");
        assertThat(r.json().size()).as("only 'error'").isEqualTo(1);
        JsonNode e = r.json().path("error");
        assertThat(e.path("code").asText()).isEqualTo(code);
        assertThat(e.path("message").asText()).isNotBlank();
        if (field != null) {
            assertThat(e.path("field").asText()).isEqualTo(field);
        }
    }

    private String contact(String name, String phone) throws Exception {
        WebFixture.Response r = api.json("POST", "/contacts", "{\"name\":\"" + name + "\",\"phone\":\"" + phone
                + "\"}");
        assertThat(r.status()).isEqualTo(201);
        return r.json().path("id").asText();
    }

    @Test
    void aContactIsReplacedAndDeleted() throws Exception {
        String id = contact("Ann", "0151 12345678");
        WebFixture.Response updated = api.json("PUT", "/contacts/" + id, "{\"name\":\"Ann B\","
                + "\"phone\":\"0151 12345679\","
                + "\"tags\":[\"vip\"],\"fields\":{\"city\":\"Bonn\"}}");
        assertThat(updated.status()).as(updated.raw().body()).isEqualTo(200);
        assertThat(updated.json().path("name").asText()).isEqualTo("Ann B");
        JsonNode read = get("/contacts/" + id);
        assertThat(read.path("phone").asText()).isEqualTo("+4915112345679");
        assertThat(read.path("tags").get(0).asText()).isEqualTo("vip");
        assertThat(read.path("fields").path("city").asText()).isEqualTo("Bonn");

        assertError(api.json("PUT", "/contacts/" + id, "{\"name\":\"Ann C\",\"phone\":\"12\"}"), 400, "invalid",
                "phone");
        assertError(api.json("PUT", "/contacts/" + id, "{\"name\":\"Ann C\"}"), 400, "invalid", "phone");
        assertThat(get("/contacts/" + id)).as("unchanged").isEqualTo(read);
        assertError(api.json("PUT", "/contacts/nope", "{\"name\":\"X\",\"phone\":\"0151 12345670\"}"), 404, "not_found",
                null);
        String other = contact("Bob", "0151 12345670");
        WebFixture.Response taken = api.json("PUT", "/contacts/" + other, "{\"name\":\"Bob\","
                + "\"phone\":\"0151 12345679\"}");
        assertError(taken, 409, "conflict", "phone");
        assertThat(get("/contacts/" + other).path("phone").asText()).isEqualTo("+4915112345670");
        assertError(api.json("POST", "/contacts", "{\"name\":\"Ann again\",\"phone\":\"+4915112345679\"}"), 409,
                "conflict", "phone");
        assertThat(api.json("DELETE", "/contacts/" + other, null).status()).isEqualTo(204);
        assertThat(get("/contacts").path("items")).as("nothing created by the refused updates").hasSize(1);

        assertThat(api.json("DELETE", "/contacts/" + id, null).status()).isEqualTo(204);
        assertError(api.json("GET", "/contacts/" + id, null), 404, "not_found", null);
        assertError(api.json("DELETE", "/contacts/" + id, null), 404, "not_found", null);
        assertThat(get("/contacts").path("items")).isEmpty();
    }

    @Test
    void aTemplateIsReadByName() throws Exception {
        assertThat(api.json("PUT", "/templates/welcome", "{\"body\":\"Hi {{name}}\"}").status()).isEqualTo(200);
        JsonNode t = get("/templates/welcome");
        assertThat(t.path("name").asText()).isEqualTo("welcome");
        assertThat(t.path("body").asText()).isEqualTo("Hi {{name}}");
        assertError(api.json("GET", "/templates/unknown", null), 404, "not_found", null);
        assertError(api.json("PUT", "/templates/welcome", "{}"), 400, "invalid", "body");
        assertThat(get("/templates/welcome")).as("unchanged").isEqualTo(t);
    }

    @Test
    void aDeliveryIsReadById() throws Exception {
        contact("Ann", "0151 12345678");
        api.json("POST", "/schedules", "{\"account\":\"shop\",\"to\":{\"group\":\"team\"},\"text\":\"hello\","
                + "\"trigger\":{\"once\":\"2026-06-01T08:00:00Z\"}}");
        web.wasched.runDue();
        String id = get("/deliveries").path("items").get(0).path("id").asText();
        JsonNode d = get("/deliveries/" + id);
        assertThat(d.path("id").asText()).isEqualTo(id);
        assertThat(d.path("status").asText()).isEqualTo("SENT");
        assertThat(d.path("account").asText()).isEqualTo("shop");
        assertError(api.json("GET", "/deliveries/nope", null), 404, "not_found", null);
    }

    @Test
    void anAccountIsAddedReadAndRemoved() throws Exception {
        WebFixture.Response added = api.json("POST", "/accounts", "{\"name\":\"shop-2\",\"kind\":\"recording\","
                + "\"settings\":{\"expectedNumber\":\"+4915112345678\"}}");
        assertThat(added.status()).as(added.raw().body()).isEqualTo(201);
        assertThat(added.json().path("name").asText()).isEqualTo("shop-2");
        assertThat(added.json().path("kind").asText()).isEqualTo("recording");
        JsonNode read = get("/accounts/shop-2");
        assertThat(read.path("status").asText()).isEqualTo("ACTIVE");
        assertThat(web.wasched.accounts().get("shop-2").settings()).containsEntry("expectedNumber", "+4915112345678");

        List<String> before = new ArrayList<>();
        get("/accounts").path("items").forEach(a -> before.add(a.path("name").asText() + " "
                + a.path("status").asText()));
        assertError(api.json("POST", "/accounts", "{\"kind\":\"recording\"}"), 400, "invalid", "name");
        assertError(api.json("POST", "/accounts", "{\"name\":\"shop 3\",\"kind\":\"recording\"}"), 400, "invalid",
                null);
        assertError(api.json("POST", "/accounts", "{\"name\":\"shop-3\",\"kind\":\"recording\",\"settings\":[1]}"), 400,
                "invalid", "settings");
        assertError(api.json("POST", "/accounts", "{\"name\":\"shop-2\",\"kind\":\"recording\"}"), 409, "conflict",
                null);
        List<String> after = new ArrayList<>();
        get("/accounts").path("items").forEach(a -> after.add(a.path("name").asText() + " "
                + a.path("status").asText()));
        assertThat(after).as("nothing stored").isEqualTo(before);

        WebFixture.Response removed = api.json("DELETE", "/accounts/shop-2", null);
        assertThat(removed.status()).isEqualTo(200);
        assertThat(removed.json().path("status").asText()).isEqualTo("REMOVED");
        assertThat(get("/accounts/shop-2").path("status").asText()).isEqualTo("REMOVED");
        assertError(api.json("DELETE", "/accounts/shop-2", null), 404, "not_found", null);
        assertError(api.json("DELETE", "/accounts/nobody", null), 404, "not_found", null);
        assertError(api.json("GET", "/accounts/nobody", null), 404, "not_found", null);
        assertThat(get("/accounts/shop").path("status").asText()).as("the other untouched").isEqualTo("ACTIVE");
    }

    @Test
    void sessionsAreListedPairedByCodeAndLoggedOut() throws Exception {
        web.wasched.start();
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> get("/sessions/shop").path("state").asText()
                .equals("READY"));
        JsonNode sessions = get("/sessions");
        assertThat(sessions.path("items")).singleElement().satisfies(s -> {
            assertThat(s.path("account").asText()).isEqualTo("shop");
            assertThat(s.path("state").asText()).isEqualTo("READY");
        });

        WebFixture.Response paired = api.json("POST", "/sessions/shop/pairing-code", "{\"phone\":\"0151 12345678\"}");
        assertThat(paired.status()).as(paired.raw().body()).isEqualTo(200);
        assertThat(paired.json().path("account").asText()).isEqualTo("shop");
        assertThat(paired.json().path("code").asText()).isEqualTo("ABCD-5678");
        assertError(api.json("POST", "/sessions/nobody/pairing-code", "{\"phone\":\"0151 12345678\"}"), 404,
                "not_found", null);

        assertError(api.json("POST", "/sessions/nobody/logout", null), 404, "not_found", null);
        assertThat(get("/sessions/shop").path("state").asText()).as("unchanged").isEqualTo("READY");
        WebFixture.Response out = api.json("POST", "/sessions/shop/logout", null);
        assertThat(out.status()).as(out.raw().body()).isEqualTo(200);
        assertThat(out.json().path("account").asText()).isEqualTo("shop");
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> get("/sessions/shop").path("state").asText()
                .equals("LOGGED_OUT"));
        assertThat(transport.state().name()).isEqualTo("LOGGED_OUT");
    }

    @Test
    void aPausedScheduleIsResumed() throws Exception {
        String id = api.json("POST", "/schedules", "{\"account\":\"shop\",\"to\":{\"group\":\"g\"},\"text\":\"x\","
                + "\"trigger\":{\"cron\":\"0 9 * * *\",\"zone\":\"UTC\"}}").json().path("id").asText();
        assertThat(api.json("POST", "/schedules/" + id + "/pause", null).json().path("paused").asBoolean()).isTrue();
        WebFixture.Response resumed = api.json("POST", "/schedules/" + id + "/resume", null);
        assertThat(resumed.status()).isEqualTo(200);
        assertThat(resumed.json().path("paused").asBoolean()).isFalse();
        assertThat(get("/schedules/" + id).path("paused").asBoolean()).isFalse();
        assertError(api.json("POST", "/schedules/nope/resume", null), 404, "not_found", null);
        assertThat(get("/schedules").path("items")).hasSize(1);
    }

    @Test
    void aWebhookEndpointIsReadAndReplaced() throws Exception {
        String id = api.json("POST", "/webhooks", "{\"url\":\"https://hooks.example.com/in\",\"secret\":\"s3\","
                + "\"events\":[\"DeliverySent\"]}").json().path("id").asText();
        JsonNode read = get("/webhooks/" + id);
        assertThat(read.path("url").asText()).isEqualTo("https://hooks.example.com/in");
        assertThat(read.has("secret")).isFalse();

        WebFixture.Response updated = api.json("PUT", "/webhooks/" + id, "{\"url\":\"https://hooks.example.com/v2\","
                + "\"secret\":\"s4\",\"events\":[\"DeliveryDead\"]}");
        assertThat(updated.status()).as(updated.raw().body()).isEqualTo(200);
        assertThat(updated.json().has("secret")).isFalse();
        JsonNode now = get("/webhooks/" + id);
        assertThat(now.path("url").asText()).isEqualTo("https://hooks.example.com/v2");
        assertThat(now.path("version").asLong()).isGreaterThan(read.path("version").asLong());
        assertThat(web.wasched.webhooks().find(id).orElseThrow().secret().reveal()).isEqualTo("s4");

        assertError(api.json("PUT", "/webhooks/" + id, "{\"url\":\"ftp://hooks.example.com/in\","
                + "\"secret\":\"s5\"}"), 400, "invalid", "url");
        assertError(api.json("PUT", "/webhooks/" + id, "{\"url\":\"https://hooks.example.com/v3\"}"), 400, "invalid",
                "secret");
        assertThat(get("/webhooks/" + id)).as("unchanged").isEqualTo(now);
        assertThat(web.wasched.webhooks().find(id).orElseThrow().secret().reveal()).isEqualTo("s4");
        assertError(api.json("GET", "/webhooks/nope", null), 404, "not_found", null);
        assertError(api.json("PUT", "/webhooks/nope", "{\"url\":\"https://hooks.example.com/in\","
                + "\"secret\":\"s\"}"), 404, "not_found", null);
        assertThat(get("/webhooks").path("items")).hasSize(1);
    }

    @Test
    void importsAreListedAndBadUploadsStartNothing() throws Exception {
        String csv = "name,phone\nAnn,0151 12345678\n";
        assertError(api.send("POST", "/contacts/imports?name=team.csv&merge=sometimes", csv, "text/csv", false), 400,
                "invalid", "merge");
        assertError(api.send("POST", "/contacts/imports", csv, "text/csv", false), 400, "invalid", "name");
        assertError(api.send("POST", "/contacts/imports?name=..", csv, "text/csv", false), 400, "invalid", "name");
        assertThat(get("/contacts/imports").path("items")).as("no job started").isEmpty();
        assertThat(web.wasched.contacts().importJobs()).isEmpty();
        assertThat(get("/contacts").path("items")).as("nothing imported").isEmpty();

        WebFixture.Response started = api.send("POST", "/contacts/imports?name=team.csv", csv, "text/csv", false);
        assertThat(started.status()).isEqualTo(202);
        String id = started.json().path("id").asText();
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> get("/contacts/imports/" + id).path("state")
                .asText().equals("COMPLETED"));
        JsonNode jobs = get("/contacts/imports");
        assertThat(jobs.path("items")).singleElement().satisfies(j -> {
            assertThat(j.path("id").asText()).isEqualTo(id);
            assertThat(j.path("state").asText()).isEqualTo("COMPLETED");
            assertThat(j.path("imported").asLong()).isEqualTo(1);
        });
        assertError(api.json("GET", "/contacts/imports/nope", null), 404, "not_found", null);
    }

    @Test
    void badMediaUploadsStoreNothing() throws Exception {
        byte[] file = "%PDF-1.4 a menu".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        String sha = java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                .digest(file));
        String body = new String(file, java.nio.charset.StandardCharsets.US_ASCII);
        assertError(api.send("POST", "/media", body, "application/pdf", false), 400, "invalid", "name");
        assertError(api.send("POST", "/media?name=..", body, "application/pdf", false), 400, "invalid", "name");
        assertError(api.send("POST", "/media?name=menu.pdf", body, "", false), 400, "invalid", "Content-Type");
        assertError(api.send("POST", "/media?name=empty.pdf", "", "application/pdf", false), 400, "invalid", "media");
        assertThat(web.store.media().get(sha)).as("nothing stored").isEmpty();
        WebFixture.Response stored = api.send("POST", "/media?name=menu.pdf", body, "application/pdf", false);
        assertThat(stored.status()).isEqualTo(201);
        assertThat(stored.json().path("sha256").asText()).isEqualTo(sha);
        assertThat(web.store.media().get(sha)).hasValue(file);
    }

    @Test
    void deliveryHistoryIsPagedToTheEndWithItsFilters() throws Exception {
        for (int i = 0; i < 7; i++) {
            api.json("POST", "/contacts", "{\"name\":\"C" + i + "\",\"phone\":\"0151 1234567" + i + "\","
                    + "\"tags\":[\"team\"]}");
        }
        String team = api.json("POST", "/schedules", "{\"account\":\"shop\",\"to\":{\"tag\":\"team\"},\"text\":\"hi\","
                + "\"trigger\":{\"once\":\"2026-06-01T08:00:00Z\"}}").json().path("id").asText();
        transport.failPermanentlyFor("dead-end");
        String other = api.json("POST", "/schedules", "{\"account\":\"shop\",\"to\":{\"group\":\"dead-end\"},"
                + "\"text\":\"x\",\"trigger\":{\"once\":\"2026-06-01T08:00:00Z\"}}").json().path("id").asText();
        web.wasched.runDue();
        web.wasched.runDue();

        List<JsonNode> sent = page("/deliveries?schedule=" + team + "&status=SENT", 3);
        assertThat(sent).hasSize(7);
        assertThat(sent).allSatisfy(d -> {
            assertThat(d.path("scheduleId").asText()).isEqualTo(team);
            assertThat(d.path("status").asText()).isEqualTo("SENT");
        });
        Set<String> ids = new HashSet<>();
        sent.forEach(d -> ids.add(d.path("id").asText()));
        assertThat(ids).as("no repeats").hasSize(7);
        assertThat(page("/deliveries?account=shop", 2)).hasSize(8);
        assertThat(page("/deliveries?status=DEAD", 2)).singleElement().satisfies(d ->
                assertThat(d.path("scheduleId").asText()).isEqualTo(other));
        String contactId = sent.get(0).path("contactId").asText();
        assertThat(page("/deliveries?contact=" + contactId, 1)).singleElement().satisfies(d ->
                assertThat(d.path("id").asText()).isEqualTo(sent.get(0).path("id").asText()));
        assertThat(page("/deliveries?schedule=" + team + "&status=DEAD", 3)).isEmpty();
        assertThat(page("/deliveries?replied=true", 3)).isEmpty();
        assertError(api.json("GET", "/deliveries?status=LOST", null), 400, "invalid", "status");
        assertError(api.json("GET", "/deliveries?limit=1001", null), 400, "invalid", "limit");
    }

    /** Every item of a listing, page after page of {@code limit} until it has no next cursor. */
    private List<JsonNode> page(String path, int limit) throws Exception {
        List<JsonNode> out = new ArrayList<>();
        String cursor = null;
        int pages = 0;
        do {
            JsonNode page = get(path + "&limit=" + limit + (cursor == null ? "" : "&cursor="
                    + java.net.URLEncoder.encode(cursor, java.nio.charset.StandardCharsets.UTF_8)));
            assertThat(page.path("items").size()).isLessThanOrEqualTo(limit);
            page.path("items").forEach(out::add);
            cursor = page.path("nextCursor").isNull() ? null : page.path("nextCursor").asText();
            assertThat(++pages).as("ends").isLessThan(50);
        } while (cursor != null);
        return out;
    }
}
