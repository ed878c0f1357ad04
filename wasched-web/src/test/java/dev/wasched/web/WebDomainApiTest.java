package dev.wasched.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.wasched.access.Role;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Contacts, templates, schedules, deliveries and webhook endpoints over the API, as an operator's machine uses it. */
class WebDomainApiTest extends AdminApiBase {
    private WebFixture.Response call(String method, String path, String body) throws Exception {
        return api.json(method, path, body);
    }

    private List<JsonNode> items(String path) throws Exception {
        List<JsonNode> out = new ArrayList<>();
        call("GET", path, null).json().get("items").forEach(out::add);
        return out;
    }

    private static String field(WebFixture.Response r) {
        return r.json().path("error").path("field").asText();
    }

    private static String message(WebFixture.Response r) {
        return r.json().path("error").path("message").asText();
    }

    @Test
    void contactsScheduleAndDeliveriesEndToEnd() throws Exception {
        WebFixture.Response created = call("POST", "/contacts",
                "{\"name\":\"Ann\",\"phone\":\"0151 12345678\",\"tags\":[\"VIP\"],\"fields\":{\"city\":\"Köln\"}}");
        assertThat(created.status()).isEqualTo(201);
        assertThat(created.json().get("phone").asText()).isEqualTo("+4915112345678");
        assertThat(created.json().get("tags").get(0).asText()).isEqualTo("vip");
        String id = created.json().get("id").asText();
        assertThat(call("GET", "/contacts/" + id, null).json().get("name").asText()).isEqualTo("Ann");
        assertThat(items("/contacts?tag=vip")).hasSize(1);
        assertThat(items("/contacts?q=ann")).hasSize(1);

        WebFixture.Response schedule = call("POST", "/schedules", "{\"account\":\"shop\",\"to\":{\"tag\":\"vip\"},"
                + "\"text\":\"Hi {{name}} from {{city}}\",\"trigger\":{\"once\":\"2026-06-01T08:00:00Z\"}}");
        assertThat(schedule.status()).isEqualTo(201);
        assertThat(schedule.json().get("trigger").get("type").asText()).isEqualTo("once");
        web.wasched.runDue();
        assertThat(transport.sent()).singleElement().satisfies(m -> assertThat(m.text()).isEqualTo("Hi Ann from Köln"));
        List<JsonNode> sent = items("/deliveries?status=sent");
        assertThat(sent).singleElement().satisfies(d -> assertThat(d.get("recipient").asText())
                .isEqualTo("+4915112345678"));
        String deliveryId = sent.get(0).get("id").asText();
        assertThat(call("POST", "/deliveries/" + deliveryId + "/requeue", null).status())
                .as("a SENT delivery cannot be requeued").isEqualTo(409);

        String scheduleId = schedule.json().get("id").asText();
        assertThat(call("POST", "/schedules/" + scheduleId + "/pause", null).json().get("paused").asBoolean())
                .isTrue();
        assertThat(call("DELETE", "/schedules/" + scheduleId, null).status()).isEqualTo(204);
        assertThat(call("GET", "/schedules/" + scheduleId, null).status()).isEqualTo(404);
        assertThat(call("POST", "/contacts/" + id + "/opt-out", null).json().get("optedOut").asBoolean()).isTrue();
        assertThat(call("POST", "/contacts/" + id + "/opt-in", null).json().get("optedOut").asBoolean()).isFalse();

        List<String> audited = new ArrayList<>();
        items("/audit?limit=20").forEach(e -> audited.add(e.get("action").asText() + " " + e.get("target").asText()));
        assertThat(audited).contains("contact.create " + id, "schedule.create " + scheduleId,
                "schedule.delete " + scheduleId, "contact.optIn " + id);
    }

    @Test
    void templatesAreSavedPreviewedForAContactAndUsed() throws Exception {
        String contact = call("POST", "/contacts", "{\"name\":\"Ann\",\"phone\":\"0151 12345678\","
                + "\"fields\":{\"city\":\"Köln\"}}").json().get("id").asText();
        WebFixture.Response saved = call("PUT", "/templates/welcome", "{\"body\":\"Hi {{name}} from {{city}}, {{offer}}\"}");
        assertThat(saved.status()).isEqualTo(200);
        assertThat(saved.json().get("variables")).extracting(JsonNode::asText).containsExactly("city", "name", "offer");
        WebFixture.Response preview = call("POST", "/templates/welcome/preview", "{\"contactId\":\"" + contact
                + "\",\"variables\":{\"offer\":\"10% off\"}}");
        assertThat(preview.json().get("text").asText()).isEqualTo("Hi Ann from Köln, 10% off");
        WebFixture.Response missing = call("POST", "/templates/welcome/preview", "{\"contactId\":\"" + contact + "\"}");
        assertThat(missing.status()).isEqualTo(400);
        assertThat(message(missing)).contains("offer");
        assertThat(call("PUT", "/templates/Bad%20Name", "{\"body\":\"x\"}").status()).isEqualTo(400);
        assertThat(items("/templates")).extracting(t -> t.get("name").asText()).containsExactly("welcome");
        assertThat(call("DELETE", "/templates/welcome", null).status()).isEqualTo(204);
        assertThat(call("DELETE", "/templates/welcome", null).status()).isEqualTo(404);
    }

    @Test
    void aCronScheduleShowsItsNextFireTimesAndATriggerCanBePreviewed() throws Exception {
        WebFixture.Response created = call("POST", "/schedules", "{\"account\":\"shop\",\"to\":{\"group\":\"team\"},"
                + "\"text\":\"standup\",\"trigger\":{\"cron\":\"0 9 * * MON-FRI\",\"zone\":\"Europe/Berlin\"}}");
        List<String> next = new ArrayList<>();
        call("GET", "/schedules/" + created.json().get("id").asText() + "/next", null).json().get("next")
                .forEach(t -> next.add(t.asText()));
        // Monday 1 June 2026, 09:00 in Berlin is 07:00 UTC, already past at 08:00 UTC.
        assertThat(next).containsExactly("2026-06-02T07:00:00Z", "2026-06-03T07:00:00Z", "2026-06-04T07:00:00Z",
                "2026-06-05T07:00:00Z", "2026-06-08T07:00:00Z");
        WebFixture.Response preview = call("POST", "/triggers/preview", "{\"trigger\":{\"every\":\"PT90M\","
                + "\"start\":\"2026-06-01T08:30:00Z\"}}");
        assertThat(preview.json().get("next").get(0).asText()).isEqualTo("2026-06-01T08:30:00Z");
        assertThat(preview.json().get("next")).hasSize(5);
        assertThat(field(call("POST", "/triggers/preview", "{\"trigger\":{\"cron\":\"61 * * * *\","
                + "\"zone\":\"UTC\"}}"))).isEqualTo("cron");
    }

    @Test
    void aQuartzCronScheduleKeepsItsDialect() throws Exception {
        // The last Friday of each month at 12:00 in Berlin.
        WebFixture.Response created = call("POST", "/schedules", "{\"account\":\"shop\",\"to\":{\"group\":\"team\"},"
                + "\"text\":\"report\",\"trigger\":{\"cron\":\"0 0 12 ? * 6L\",\"zone\":\"Europe/Berlin\","
                + "\"dialect\":\"quartz\"}}");
        assertThat(created.status()).isEqualTo(201);
        assertThat(created.json().get("trigger").get("dialect").asText()).isEqualTo("QUARTZ");
        JsonNode next = call("GET", "/schedules/" + created.json().get("id").asText() + "/next", null).json().get("next");
        assertThat(next.get(0).asText()).isEqualTo("2026-06-26T10:00:00Z");
        WebFixture.Response unix = call("POST", "/triggers/preview", "{\"trigger\":{\"cron\":\"0 0 12 ? * 6L\","
                + "\"zone\":\"UTC\"}}");
        assertThat(field(unix)).isEqualTo("cron");
        assertThat(message(unix)).contains("(read as Unix)");
        assertThat(field(call("POST", "/triggers/preview", "{\"trigger\":{\"cron\":\"@daily\",\"zone\":\"UTC\","
                + "\"dialect\":\"vixie\"}}"))).isEqualTo("trigger.dialect");
    }

    @Test
    void webhooksAreRegisteredListedAndRemovedWithoutShowingTheSecret() throws Exception {
        WebFixture.Response bad = call("POST", "/webhooks", "{\"url\":\"ftp://hooks.example.com/in\",\"secret\":\"s3\"}");
        assertThat(bad.status()).isEqualTo(400);
        assertThat(field(bad)).isEqualTo("url");
        assertThat(field(call("POST", "/webhooks", "{\"url\":\"https://hooks.example.com/in\",\"secret\":\"s3\","
                + "\"events\":[\"NoSuchEvent\"]}"))).isEqualTo("events");

        WebFixture.Response created = call("POST", "/webhooks", "{\"url\":\"https://hooks.example.com/in\","
                + "\"secret\":\"s3\",\"events\":[\"DeliverySent\",\"DeliveryDead\"]}");
        assertThat(created.status()).isEqualTo(201);
        assertThat(created.json().has("secret")).isFalse();
        String id = created.json().get("id").asText();
        assertThat(items("/webhooks")).singleElement()
                .satisfies(w -> assertThat(w.get("url").asText()).isEqualTo("https://hooks.example.com/in"));
        assertThat(web.wasched.webhooks().find(id).orElseThrow().secret().reveal()).isEqualTo("s3");
        assertThat(items("/webhooks/" + id + "/failed")).isEmpty();
        assertThat(call("DELETE", "/webhooks/" + id, null).status()).isEqualTo(204);
        assertThat(call("DELETE", "/webhooks/" + id, null).status()).isEqualTo(404);
        assertThat(items("/webhooks")).isEmpty();
        WebFixture.Caller operator = web.machine(Role.OPERATOR);
        assertThat(operator.call("GET", "/webhooks", null).status()).as("endpoints are for administrators")
                .isEqualTo(403);
    }

    @Test
    void aScheduleIsEditedAndDeliveriesCancelledAndDismissed() throws Exception {
        String body = "{\"account\":\"shop\",\"to\":{\"group\":\"g\"},\"text\":\"%s\","
                + "\"trigger\":{\"once\":\"2026-06-01T08:00:30Z\"}%s}";
        WebFixture.Response created = call("POST", "/schedules", String.format(body, "old words", ""));
        String id = created.json().get("id").asText();
        web.wasched.runDue(); // made ahead, due at 08:00:30: the fan-out wrote a new version of the schedule
        long version = call("GET", "/schedules/" + id, null).json().get("version").asLong();
        assertThat(version).isGreaterThan(created.json().get("version").asLong());
        assertThat(items("/deliveries?status=PENDING")).singleElement()
                .satisfies(d -> assertThat(d.get("fireAt").asText()).isEqualTo("2026-06-01T08:00:30Z"));

        WebFixture.Response edited = call("PUT", "/schedules/" + id, String.format(body, "new words",
                ",\"version\":" + version));
        assertThat(edited.status()).as(String.valueOf(edited.json())).isEqualTo(200);
        assertThat(edited.json().get("version").asLong()).isEqualTo(version + 1);
        assertThat(call("PUT", "/schedules/" + id, String.format(body, "stale", ",\"version\":" + version)).status())
                .isEqualTo(409);
        assertThat(call("PUT", "/schedules/nope", String.format(body, "x", "")).status()).isEqualTo(404);
        clock.advance(Duration.ofSeconds(30));
        web.wasched.runDue();
        assertThat(transport.sent()).singleElement().satisfies(m -> assertThat(m.text()).isEqualTo("new words"));

        call("POST", "/schedules", "{\"account\":\"shop\",\"to\":{\"group\":\"h\"},\"text\":\"x\","
                + "\"trigger\":{\"once\":\"2026-06-01T08:01:00Z\"}}");
        web.wasched.runDue();
        String pending = items("/deliveries?status=PENDING").get(0).get("id").asText();
        WebFixture.Response cancelled = call("POST", "/deliveries/" + pending + "/cancel", null);
        assertThat(cancelled.json().get("status").asText()).isEqualTo("CANCELLED");
        assertThat(call("POST", "/deliveries/" + pending + "/cancel", null).status()).isEqualTo(409);

        transport.failPermanentlyFor("dead-end");
        call("POST", "/schedules", "{\"account\":\"shop\",\"to\":{\"group\":\"dead-end\"},\"text\":\"x\","
                + "\"trigger\":{\"once\":\"2026-06-01T08:00:30Z\"}}");
        web.wasched.runDue();
        JsonNode dead = items("/deliveries?status=DEAD").get(0);
        String deadId = dead.get("id").asText();
        long deadVersion = dead.get("version").asLong();
        assertThat(call("POST", "/deliveries/" + deadId + "/dismiss?version=" + (deadVersion - 1), null).status())
                .isEqualTo(409);
        assertThat(call("POST", "/deliveries/" + deadId + "/dismiss?version=x", null).status()).isEqualTo(400);
        WebFixture.Response requeued = call("POST", "/deliveries/" + deadId + "/requeue?version=" + deadVersion, null);
        assertThat(requeued.json().get("status").asText()).as("the dead letter goes back in the queue")
                .isEqualTo("PENDING");
        assertThat(call("POST", "/deliveries/" + deadId + "/undo", null).status()).isEqualTo(404);
    }

    @Test
    void badRequestsNameTheProblemAndChangeNothing() throws Exception {
        WebFixture.Response phone = call("POST", "/contacts", "{\"name\":\"X\",\"phone\":\"12\"}");
        assertThat(phone.status()).isEqualTo(400);
        assertThat(field(phone)).isEqualTo("phone");
        assertThat(message(phone)).contains("'12'");
        assertThat(message(call("POST", "/contacts", "{not json"))).contains("not valid JSON");
        assertThat(call("POST", "/contacts", "[1,2]").status()).isEqualTo(400);
        assertThat(field(call("POST", "/contacts", "{\"phone\":5}"))).isEqualTo("phone");
        WebFixture.Response cron = call("POST", "/schedules", "{\"account\":\"shop\",\"to\":{\"group\":\"g\"},"
                + "\"text\":\"x\",\"trigger\":{\"cron\":\"61 * * * *\",\"zone\":\"UTC\"}}");
        assertThat(cron.status()).isEqualTo(400);
        assertThat(message(cron)).contains("'61 * * * *'");
        assertThat(message(call("POST", "/schedules", "{\"account\":\"shop\",\"to\":{\"group\":\"g\"},\"text\":\"x\","
                + "\"trigger\":{\"cron\":\"0 9 * * *\",\"zone\":\"Mars/Olympus\"}}"))).contains("Mars/Olympus");
        assertThat(call("POST", "/schedules", "{\"account\":\"shop\",\"to\":{\"contacts\":[\"nope\"]},\"text\":\"x\","
                + "\"trigger\":{\"once\":\"2026-06-01T09:00:00Z\"}}").status()).isEqualTo(404);
        assertThat(field(call("GET", "/contacts?limit=abc", null))).isEqualTo("limit");
        assertThat(message(call("GET", "/deliveries?status=LOST", null))).contains("LOST");
        assertThat(call("PUT", "/contacts", "{}").status()).isEqualTo(405);
        assertThat(call("POST", "/contacts", "{\"phone\":\"" + "1".repeat(dev.wasched.web.internal.ApiServlet.MAX_BODY)
                + "\"}").status()).isEqualTo(413);
        assertThat(items("/contacts")).isEmpty();
        assertThat(items("/schedules")).isEmpty();
        clock.advance(Duration.ofHours(2));
        assertThat(web.wasched.runDue()).isZero();
    }

    @Test
    void contactsArePagedToTheEndWithoutGapsOrRepeats() throws Exception {
        for (int i = 0; i < 7; i++) {
            assertThat(call("POST", "/contacts", "{\"name\":\"C" + i + "\",\"phone\":\"0151 1234567" + i + "\"}")
                    .status()).isEqualTo(201);
        }
        List<String> seen = new ArrayList<>();
        String cursor = null;
        int pages = 0;
        do {
            WebFixture.Response page = call("GET", "/contacts?limit=3" + (cursor == null ? "" : "&cursor=" + cursor),
                    null);
            seen.addAll(page.items("phone"));
            cursor = page.json().path("nextCursor").isNull() ? null : page.json().path("nextCursor").asText();
            pages++;
        } while (cursor != null);
        assertThat(pages).isEqualTo(3);
        assertThat(seen).hasSize(7).doesNotHaveDuplicates();
    }

    @Test
    void theOtherChangesRefuseBadInputNamingTheFieldAndStoreNothing() throws Exception {
        assertThat(field(call("POST", "/keys", "{\"name\":\"x\",\"role\":\"ROOT\"}"))).isEqualTo("role");
        assertThat(field(call("POST", "/keys", "{\"role\":\"VIEWER\"}"))).isEqualTo("name");
        assertThat(field(call("POST", "/accounts", "{\"name\":\"shop-2\"}"))).isEqualTo("kind");
        assertThat(call("POST", "/accounts", "{\"name\":\"shop\",\"kind\":\"code\"}").status())
                .as("the name is taken").isEqualTo(409);
        assertThat(field(call("POST", "/sessions/shop/pairing-code", "{}"))).isEqualTo("phone");
        assertThat(call("POST", "/sessions/shop/pairing-code", "{\"phone\":\"12\"}").status()).isEqualTo(400);
        assertThat(field(call("POST", "/schedules", "{\"account\":\"shop\",\"to\":{\"group\":\"g\"},"
                + "\"text\":\"x\",\"media\":\"menu.pdf\",\"trigger\":{\"once\":\"2026-06-01T09:00:00Z\"}}")))
                .isEqualTo("media");
        assertThat(field(call("PUT", "/templates/t", "{\"body\":5}"))).isEqualTo("body");
        assertThat(field(call("POST", "/webhooks", "{\"url\":\"https://hooks.example.com/in\"}"))).isEqualTo("secret");
        assertThat(items("/keys")).as("only the test's own key").hasSize(1);
        assertThat(items("/accounts")).extracting(a -> a.get("name").asText()).containsExactly("shop");
        assertThat(items("/templates")).isEmpty();
        assertThat(items("/schedules")).isEmpty();
        assertThat(items("/webhooks")).isEmpty();
    }

    @Test
    void aBirthdayScheduleIsCreatedShownAndSent() throws Exception {
        assertThat(call("POST", "/contacts", "{\"name\":\"Ann\",\"phone\":\"0151 12345678\",\"tags\":[\"friends\"],"
                + "\"fields\":{\"birthday\":\"1990-06-02\"}}").status()).isEqualTo(201);
        WebFixture.Response created = call("POST", "/schedules", "{\"account\":\"shop\",\"to\":{\"tag\":\"friends\"},"
                + "\"text\":\"Happy {{years}}th, {{name}}!\",\"trigger\":{\"yearlyOn\":\"birthday\",\"at\":\"09:00\"}}");
        assertThat(created.status()).as(String.valueOf(created.json())).isEqualTo(201);
        JsonNode trigger = call("GET", "/schedules/" + created.json().get("id").asText(), null).json().get("trigger");
        assertThat(trigger.get("type").asText()).isEqualTo("yearlyOn");
        assertThat(trigger.get("field").asText()).isEqualTo("birthday");
        clock.set(java.time.Instant.parse("2026-06-02T07:00:00Z")); // 09:00 in Berlin, Ann's zone by her number
        web.wasched.runDue();
        assertThat(transport.sent()).singleElement().satisfies(m -> assertThat(m.text()).isEqualTo("Happy 36th, Ann!"));

        WebFixture.Response group = call("POST", "/schedules", "{\"account\":\"shop\",\"to\":{\"group\":\"g\"},"
                + "\"text\":\"x\",\"trigger\":{\"yearlyOn\":\"birthday\",\"at\":\"09:00\"}}");
        assertThat(group.status()).isEqualTo(400);
        assertThat(message(group)).contains("group").contains("birthday");
    }
}
