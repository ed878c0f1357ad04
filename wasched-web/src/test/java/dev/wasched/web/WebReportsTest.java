package dev.wasched.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.wasched.access.Role;
import dev.wasched.delivery.Delivery;
import dev.wasched.delivery.DeliveryStatus;
import dev.wasched.delivery.Recipient;
import dev.wasched.memory.InMemoryStore;
import dev.wasched.message.MessageContent;
import dev.wasched.account.AccountSpec;
import dev.wasched.spi.store.DeliveryRepository;
import dev.wasched.spi.store.StoreException;
import dev.wasched.spi.store.WaschedStore;
import dev.wasched.testkit.SettableClock;
import java.lang.reflect.Proxy;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A schedule's report and the CSV export of thousands of deliveries, streamed, over the API. */
class WebReportsTest {
    private static final Instant FIRE = Instant.parse("2026-05-04T08:00:00Z");
    private static final int ROWS = 3_000;
    private final InMemoryStore store = new InMemoryStore();
    private final List<String> ids = new ArrayList<>();
    /** The history's third page fails when set: a database that goes away halfway through an export. */
    private volatile boolean failThirdPage;
    private final AtomicInteger pages = new AtomicInteger();
    private WebFixture web;
    private WebFixture.Caller api;
    private String scheduleId;

    private WaschedStore flaky() {
        DeliveryRepository failing = (DeliveryRepository) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[]{DeliveryRepository.class}, (proxy, method, args) -> {
                    if (failThirdPage && method.getName().equals("history") && pages.incrementAndGet() == 3) {
                        throw new StoreException("the database went away", null);
                    }
                    return method.invoke(store.deliveries(), args);
                });
        return (WaschedStore) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[]{WaschedStore.class},
                (proxy, method, args) -> method.getName().equals("deliveries") ? failing
                        : method.invoke(store, args));
    }

    @BeforeEach
    void start() throws Exception {
        web = new WebFixture(flaky(), SettableClock.at("2026-05-04T07:00:00Z"), b -> b.defaultRegion("DE"));
        web.wasched.accounts().add(AccountSpec.builder("shop").kind("whatsapp-web").build());
        api = web.machine(Role.VIEWER);
        WebFixture.Caller operator = web.machine(Role.OPERATOR);
        WebFixture.Response created = operator.send("POST", "/schedules", "{\"account\":\"shop\",\"to\":{\"group\":"
                + "\"family\"},\"text\":\"hi\",\"trigger\":{\"cron\":\"0 9 * * MON-FRI\",\"zone\":\"Europe/Berlin\"}}",
                "application/json", false);
        assertThat(created.status()).as(created.raw().body()).isEqualTo(201);
        scheduleId = created.json().get("id").asText();
        Instant now = Instant.parse("2026-05-04T07:00:00Z");
        List<Delivery> many = new ArrayList<>();
        for (int i = 0; i < ROWS; i++) {
            String id = String.format("0190bbbb-0000-7000-8000-%012d", i);
            ids.add(id);
            many.add(Delivery.pending(id, scheduleId, FIRE, Recipient.number(String.format("+4915%09d", i),
                    ZoneOffset.UTC), "shop", MessageContent.text("hi"), now));
        }
        store.deliveries().insertAll(many);
        Delivery first = many.get(0).claimForSending("i1", now);
        store.deliveries().update(first);
        Delivery sent = first.sent("wamid.1", now, now);
        store.deliveries().update(sent);
        store.deliveries().update(sent.acknowledged(DeliveryStatus.READ, now));
        store.deliveries().markReplied(first.id(), now);
        Delivery second = many.get(1).claimForSending("i1", now);
        store.deliveries().update(second);
        store.deliveries().update(second.sent("wamid.2", now, now));
    }

    @AfterEach
    void stop() throws Exception {
        web.close();
    }

    @Test
    void aSchedulesReportHasItsOccurrencesTotalsAndRates() throws Exception {
        WebFixture.Response r = api.call("GET", "/schedules/" + scheduleId + "/report", null);
        assertThat(r.status()).as(r.raw().body()).isEqualTo(200);
        JsonNode totals = r.json().get("totals");
        assertThat(totals.get("total").asLong()).isEqualTo(ROWS);
        assertThat(totals.get("sent").asLong()).isEqualTo(2);
        assertThat(totals.get("read").asLong()).isEqualTo(1);
        assertThat(totals.get("replied").asLong()).isEqualTo(1);
        assertThat(totals.get("readRate").asDouble()).isEqualTo(0.5);
        assertThat(totals.get("byStatus").get("PENDING").asLong()).isEqualTo(ROWS - 2);
        assertThat(r.json().get("occurrences").get(0).get("fireAt").asText()).isEqualTo("2026-05-04T08:00:00Z");

        JsonNode later = api.call("GET", "/schedules/" + scheduleId + "/report?fireAt=2026-05-05T08:00:00Z", null)
                .json();
        assertThat(later.get("total").asLong()).isZero();
        assertThat(later.get("readRate").isNull()).as("no rate while nothing was sent").isTrue();
        assertThat(api.call("GET", "/schedules/no-such/report", null).status()).isEqualTo(404);
        assertThat(api.call("GET", "/schedules/" + scheduleId + "/report?fireAt=tomorrow", null).status())
                .isEqualTo(400);
        assertThat(web.caller().call("GET", "/schedules/" + scheduleId + "/report", null).status()).isEqualTo(401);
    }

    @Test
    void theCsvExportIsStreamedWithEveryRowOnce() throws Exception {
        WebFixture.Response r = api.send("GET", "/deliveries.csv?schedule=" + scheduleId, null, null, false);
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.raw().headers().firstValue("Content-Type")).hasValueSatisfying(t ->
                assertThat(t.toLowerCase(java.util.Locale.ROOT).replace(" ", "")).isEqualTo("text/csv;charset=utf-8"));
        assertThat(r.raw().headers().firstValue("Content-Length")).as("streamed, length unknown").isEmpty();
        String[] lines = r.raw().body().split("\r\n");
        assertThat(lines[0]).startsWith("id,schedule_id,fire_at,");
        assertThat(lines).hasSize(ROWS + 1);
        Set<String> seen = new HashSet<>();
        for (int i = 1; i < lines.length; i++) {
            assertThat(seen.add(lines[i].substring(0, lines[i].indexOf(',')))).isTrue();
        }
        assertThat(seen).containsExactlyInAnyOrderElementsOf(ids);

        String read = api.send("GET", "/deliveries.csv?status=read&replied=true", null, null, false).raw().body();
        assertThat(read.split("\r\n")).hasSize(2);
        assertThat(read).contains(ids.get(0) + "," + scheduleId).contains(",'+4915000000000,");
        WebFixture.Response bad = api.send("GET", "/deliveries.csv?status=LOST", null, null, false);
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.json().path("error").path("field").asText()).isEqualTo("status");
        assertThat(api.send("POST", "/deliveries.csv", "{}", "application/json", false).status()).isEqualTo(405);
    }

    @Test
    void aStoreThatFailsHalfwayLeavesTheAnswerVisiblyIncomplete() {
        failThirdPage = true;
        assertThatThrownBy(() -> api.send("GET", "/deliveries.csv", null, null, false))
                .as("no proper end: the client cannot take the first pages for the whole file")
                .isInstanceOf(java.io.IOException.class);
        assertThat(pages.get()).isEqualTo(3);
    }
}
