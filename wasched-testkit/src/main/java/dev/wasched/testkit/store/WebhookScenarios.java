package dev.wasched.testkit.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.wasched.Secret;
import dev.wasched.spi.store.DuplicateKeyException;
import dev.wasched.spi.store.WaschedStore;
import dev.wasched.spi.store.WebhookRepository;
import dev.wasched.webhook.OutboxEntry;
import dev.wasched.webhook.OutboxStatus;
import dev.wasched.webhook.WebhookEndpoint;
import dev.wasched.webhook.WebhookSpec;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * Webhook endpoints and their outbox ({@link WaschedStore#webhooks()}), as every store must keep them: endpoints
 * registered, listed, updated (compare-and-set) and removed with their rows; outbox rows claimed with a lease,
 * delivered, retried later or given up on; the claim's order per endpoint and subject; concurrent claimers; the
 * endpoint-wide back-off; the purge of delivered rows. Run by {@link StoreCompatibilityKit} on each store.
 */
public abstract class WebhookScenarios {
    private static final Instant T0 = Instant.parse("2026-05-04T10:15:30.123Z");
    private static final Instant LEASE = T0.plusSeconds(60);

    /** The store under test, empty at the start of each test. */
    protected abstract WaschedStore store();

    private WebhookRepository hooks() {
        return store().webhooks();
    }

    private WebhookEndpoint endpoint(String id, String... events) {
        WebhookEndpoint e = new WebhookEndpoint(id, WebhookSpec.of("https://hooks.example.com/" + id,
                Secret.of("secret-" + id), events), T0, T0, 0);
        hooks().insertEndpoint(e);
        return e;
    }

    private static OutboxEntry row(int event, String endpointId, String orderKey) {
        return OutboxEntry.pending(String.format("row-%05d-%s", event, endpointId), String.format("evt-%05d", event),
                endpointId, "DeliverySent", orderKey, "{\"id\":\"evt-" + event + "\",\"text\":\"Grüße\"}", T0);
    }

    private List<String> claimedEvents(Instant now, String owner, int limit) {
        return hooks().claimDue(now, owner, now.plusSeconds(60), limit).stream().map(OutboxEntry::eventId).toList();
    }

    @Test
    void endpointsAreRegisteredListedUpdatedAndRemovedWithTheirRows() {
        WebhookEndpoint all = endpoint("ep-1");
        WebhookEndpoint some = endpoint("ep-2", "DeliverySent", "DeliveryDead");
        assertThat(hooks().endpoints()).containsExactly(all, some);
        assertThat(hooks().findEndpoint("ep-2")).contains(some);
        assertThat(hooks().findEndpoint("ep-2").orElseThrow().secret().reveal()).isEqualTo("secret-ep-2");
        assertThat(hooks().findEndpoint("ep-2").orElseThrow().spec().events())
                .containsExactlyInAnyOrder("DeliverySent", "DeliveryDead");
        assertThatThrownBy(() -> hooks().insertEndpoint(all)).isInstanceOf(DuplicateKeyException.class);

        WebhookEndpoint edited = some.edited(WebhookSpec.of("http://other.example.com:8080/in", Secret.of("new")),
                T0.plusSeconds(5));
        assertThat(hooks().updateEndpoint(edited)).isTrue();
        assertThat(hooks().updateEndpoint(edited)).as("a stale version").isFalse();
        assertThat(hooks().findEndpoint("ep-2")).contains(edited);

        hooks().enqueue(List.of(row(1, "ep-1", "k"), row(1, "ep-2", "k")));
        assertThat(hooks().deleteEndpoint("ep-2")).isTrue();
        assertThat(hooks().deleteEndpoint("ep-2")).isFalse();
        assertThat(hooks().endpoints()).containsExactly(all);
        assertThat(hooks().claimDue(T0, "i1", LEASE, 10)).extracting(OutboxEntry::endpointId).containsExactly("ep-1");
    }

    @Test
    void aClaimedRowIsLeasedThenDeliveredRetriedOrGivenUp() {
        endpoint("ep");
        OutboxEntry written = row(1, "ep", "k1");
        hooks().enqueue(List.of(written, row(2, "ep", "k2"), row(3, "ep", "k3")));
        hooks().enqueue(List.of(written)); // a retried write adds nothing

        List<OutboxEntry> claimed = hooks().claimDue(T0, "i1", LEASE, 10);
        assertThat(claimed).extracting(OutboxEntry::eventId).containsExactly("evt-00001", "evt-00002", "evt-00003");
        OutboxEntry first = claimed.get(0);
        assertThat(first.payload()).isEqualTo(written.payload());
        assertThat(first.attempts()).isEqualTo(1);
        assertThat(first.leaseOwner()).isEqualTo("i1");
        assertThat(first.leaseUntil()).isEqualTo(LEASE);
        assertThat(hooks().claimDue(T0, "i2", LEASE, 10)).as("all leased").isEmpty();

        assertThat(hooks().delivered(first.id(), "i2", T0)).as("not the holder").isFalse();
        assertThat(hooks().delivered(first.id(), "i1", T0.plusSeconds(1))).isTrue();
        assertThat(hooks().entries("ep", OutboxStatus.DELIVERED, 10)).singleElement()
                .satisfies(e -> assertThat(e.doneAt()).isEqualTo(T0.plusSeconds(1)));

        assertThat(hooks().retryAt(claimed.get(1).id(), "i1", T0.plusSeconds(30), "HTTP 503")).isTrue();
        assertThat(claimedEvents(T0.plusSeconds(29), "i1", 10)).isEmpty();
        List<OutboxEntry> again = hooks().claimDue(T0.plusSeconds(30), "i2", LEASE.plusSeconds(30), 10);
        assertThat(again).singleElement().satisfies(e -> {
            assertThat(e.eventId()).isEqualTo("evt-00002");
            assertThat(e.attempts()).isEqualTo(2);
            assertThat(e.lastError()).isEqualTo("HTTP 503");
        });

        assertThat(hooks().giveUp(claimed.get(2).id(), "i1", T0.plusSeconds(2), "HTTP 410")).isTrue();
        assertThat(hooks().entries("ep", OutboxStatus.FAILED, 10)).singleElement().satisfies(e -> {
            assertThat(e.eventId()).isEqualTo("evt-00003");
            assertThat(e.lastError()).isEqualTo("HTTP 410");
            assertThat(e.leaseOwner()).isNull();
        });
    }

    @Test
    void anExpiredLeaseIsClaimedAgainAndTheOldHolderCanNoLongerFinish() {
        endpoint("ep");
        hooks().enqueue(List.of(row(1, "ep", "k")));
        OutboxEntry first = hooks().claimDue(T0, "dead", T0.plusSeconds(10), 1).get(0);
        assertThat(claimedEvents(T0.plusSeconds(9), "i2", 1)).isEmpty();
        OutboxEntry taken = hooks().claimDue(T0.plusSeconds(10), "i2", T0.plusSeconds(70), 1).get(0);
        assertThat(taken.attempts()).isEqualTo(2);
        assertThat(hooks().delivered(first.id(), "dead", T0.plusSeconds(11))).isFalse();
        assertThat(hooks().delivered(taken.id(), "i2", T0.plusSeconds(11))).isTrue();
    }

    @Test
    void eventsOfOneSubjectAreClaimedOneAtATimeInOrderPerEndpoint() {
        endpoint("a");
        endpoint("b");
        hooks().enqueue(List.of(row(3, "a", "delivery:1"), row(1, "a", "delivery:1"), row(2, "a", "delivery:1"),
                row(4, "a", "delivery:2"), row(1, "b", "delivery:1"), row(2, "b", "delivery:1")));

        List<OutboxEntry> claimed = hooks().claimDue(T0, "i1", LEASE, 10);
        assertThat(claimed).extracting(e -> e.endpointId() + "/" + e.eventId())
                .containsExactlyInAnyOrder("a/evt-00001", "a/evt-00004", "b/evt-00001");
        OutboxEntry a1 = claimed.stream().filter(e -> e.endpointId().equals("a") && e.eventId().equals("evt-00001"))
                .findFirst().orElseThrow();
        assertThat(claimedEvents(T0.plusSeconds(120), "i2", 10)).as("leases ended, nothing done: the same heads")
                .containsExactlyInAnyOrder("evt-00001", "evt-00004", "evt-00001");

        assertThat(hooks().delivered(a1.id(), "i2", T0.plusSeconds(121))).isTrue();
        List<OutboxEntry> next = hooks().claimDue(T0.plusSeconds(200), "i3", T0.plusSeconds(260), 10);
        assertThat(next).filteredOn(e -> e.endpointId().equals("a")).extracting(OutboxEntry::eventId)
                .containsExactlyInAnyOrder("evt-00002", "evt-00004");
        OutboxEntry a2 = next.stream().filter(e -> e.eventId().equals("evt-00002")).findFirst().orElseThrow();

        assertThat(hooks().retryAt(a2.id(), "i3", T0.plusSeconds(500), "timeout")).isTrue();
        assertThat(claimedEvents(T0.plusSeconds(400), "i4", 10)).as("3 waits behind 2, which is not due")
                .doesNotContain("evt-00003");
        OutboxEntry a2Again = hooks().claimDue(T0.plusSeconds(500), "i5", T0.plusSeconds(560), 10).stream()
                .filter(e -> e.endpointId().equals("a") && e.eventId().equals("evt-00002")).findFirst().orElseThrow();
        assertThat(hooks().giveUp(a2Again.id(), "i5", T0.plusSeconds(501), "HTTP 400")).isTrue();
        assertThat(hooks().claimDue(T0.plusSeconds(600), "i6", T0.plusSeconds(660), 10))
                .filteredOn(e -> e.endpointId().equals("a")).extracting(OutboxEntry::eventId)
                .as("a row given up on no longer holds the next").contains("evt-00003");
    }

    @Test
    void twoClaimersNeverGetTheSameRow() throws Exception {
        endpoint("ep");
        List<OutboxEntry> rows = new ArrayList<>();
        for (int i = 1; i <= 120; i++) {
            rows.add(row(i, "ep", "k" + i));
        }
        hooks().enqueue(rows);
        List<String> taken = Collections.synchronizedList(new ArrayList<>());
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            List<Future<Object>> done = new ArrayList<>();
            for (String owner : List.of("i1", "i2")) {
                done.add(pool.submit((Callable<Object>) () -> {
                    start.await();
                    List<OutboxEntry> got;
                    while (!(got = hooks().claimDue(T0, owner, LEASE, 7)).isEmpty()) {
                        got.forEach(e -> taken.add(e.id()));
                    }
                    return null;
                }));
            }
            start.countDown();
            for (Future<Object> f : done) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(taken).doesNotHaveDuplicates().hasSize(120);
    }

    @Test
    void postponingAnEndpointMovesOnlyItsWaitingRows() {
        endpoint("dead");
        endpoint("live");
        hooks().enqueue(List.of(row(1, "dead", "k1"), row(2, "dead", "k2"), row(3, "live", "k3")));
        OutboxEntry inFlight = hooks().claimDue(T0, "i1", LEASE, 1).get(0);
        assertThat(inFlight.eventId()).isEqualTo("evt-00001");
        Instant later = T0.plus(Duration.ofMinutes(5));
        assertThat(hooks().postpone("dead", later)).isEqualTo(1);
        assertThat(claimedEvents(T0, "i2", 10)).containsExactly("evt-00003");
        assertThat(hooks().delivered("row-00003-live", "i2", T0)).isTrue();
        assertThat(hooks().retryAt(inFlight.id(), "i1", later, "refused")).isTrue();
        assertThat(claimedEvents(later.minusMillis(1), "i2", 10)).isEmpty();
        assertThat(claimedEvents(later, "i2", 10)).containsExactly("evt-00001", "evt-00002");
    }

    @Test
    void purgeDeletesOnlyDeliveredRowsDoneBeforeTheCutoff() {
        endpoint("ep");
        hooks().enqueue(List.of(row(1, "ep", "k1"), row(2, "ep", "k2"), row(3, "ep", "k3"), row(4, "ep", "k4")));
        List<OutboxEntry> c = hooks().claimDue(T0, "i1", LEASE, 3);
        hooks().delivered(c.get(0).id(), "i1", T0.plusSeconds(1));
        hooks().delivered(c.get(1).id(), "i1", T0.plusSeconds(10));
        hooks().giveUp(c.get(2).id(), "i1", T0.plusSeconds(1), "gone");
        Instant cutoff = T0.plusSeconds(5).truncatedTo(ChronoUnit.SECONDS);
        assertThat(hooks().purgeDelivered(cutoff)).isEqualTo(1);
        assertThat(hooks().entries("ep", OutboxStatus.DELIVERED, 10)).extracting(OutboxEntry::eventId)
                .containsExactly("evt-00002");
        assertThat(hooks().entries("ep", OutboxStatus.FAILED, 10)).hasSize(1);
        assertThat(hooks().entries("ep", OutboxStatus.PENDING, 10)).extracting(OutboxEntry::eventId)
                .containsExactly("evt-00004");
        assertThat(Set.copyOf(hooks().endpoints().stream().map(WebhookEndpoint::id).toList())).containsExactly("ep");
    }
}
