package dev.wasched.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.wasched.Wasched;
import dev.wasched.delivery.Delivery;
import dev.wasched.delivery.DeliveryStatus;
import dev.wasched.event.WaschedEvent;
import dev.wasched.policy.PacingPolicy;
import dev.wasched.schedule.ScheduleSpec;
import dev.wasched.schedule.Target;
import dev.wasched.schedule.Trigger;
import dev.wasched.spi.store.Lease;
import dev.wasched.spi.store.SessionSnapshot;
import dev.wasched.spi.transport.LookupResult;
import dev.wasched.spi.transport.OutcomeUnknownException;
import dev.wasched.spi.transport.OutgoingMessage;
import dev.wasched.spi.transport.RetryableTransportException;
import dev.wasched.spi.transport.SendReceipt;
import dev.wasched.spi.transport.TransportContext;
import dev.wasched.spi.transport.TransportException;
import dev.wasched.testkit.transport.ForwardingTransport;
import dev.wasched.testkit.transport.RecordingTransport;
import java.time.Duration;
import java.time.ZoneId;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * Only "known not sent" is ever tried again: an unknown outcome ends UNCERTAIN and is settled by proof only; every
 * write an account's owner makes is fenced by its session lease.
 */
class ExactlyOnceTest extends EngineFixture {
    /** A transport whose sends follow a script; start, state and close are a recording transport's. */
    static final class ScriptedTransport extends ForwardingTransport {
        interface Send {
            SendReceipt send(OutgoingMessage m, TransportContext ctx) throws TransportException;
        }

        final RecordingTransport inner;
        final AtomicInteger sends = new AtomicInteger();
        final List<OutgoingMessage> lookedUp = new CopyOnWriteArrayList<>();
        volatile TransportContext ctx;
        volatile Send script;
        volatile Function<OutgoingMessage, LookupResult> lookups = m -> new LookupResult.Unknown("not scripted");

        ScriptedTransport(RecordingTransport inner) {
            super(inner);
            this.inner = inner;
        }

        @Override
        public void start(TransportContext context) {
            ctx = context;
            super.start(context);
        }

        @Override
        public SendReceipt send(OutgoingMessage m) throws TransportException {
            sends.incrementAndGet();
            return script.send(m, ctx);
        }

        @Override
        public LookupResult lookup(OutgoingMessage m) {
            lookedUp.add(m);
            return lookups.apply(m);
        }
    }

    private ScriptedTransport scripted;

    private Wasched buildScripted(ScriptedTransport.Send script) {
        scripted = new ScriptedTransport(new RecordingTransport(ACCOUNT, log));
        scripted.script = script;
        wasched = Wasched.builder().store(store).clock(clock).instanceId("scripted").transport(scripted)
                .pacing(PacingPolicy.unlimited()).defaultZone(ZoneId.of("UTC")).listener(events::add).build();
        return wasched;
    }

    private Delivery scheduleOne(String text) {
        wasched.schedules().create(ScheduleSpec.builder().account(ACCOUNT).to(Target.group("family")).text(text)
                .trigger(Trigger.once(clock.instant())).build());
        wasched.runDue();
        return deliveries().get(0);
    }

    @Test
    void anUnknownOutcomeIsUncertainAndNeverSentAgain() {
        buildScripted((m, ctx) -> {
            throw new OutcomeUnknownException("the browser went away after the message was submitted");
        });
        Delivery d = scheduleOne("hello");
        assertThat(d.status()).isEqualTo(DeliveryStatus.UNCERTAIN);
        assertThat(d.lastError()).contains("outcome unknown");
        assertThat(events(WaschedEvent.DeliveryUncertain.class)).hasSize(1);
        for (int i = 0; i < 10; i++) {
            runAfter(Duration.ofMinutes(10));
        }
        assertThat(scripted.sends).as("no second attempt, whatever the retry policy").hasValue(1);
        assertThat(wasched.deliveries().get(d.id()).status()).isEqualTo(DeliveryStatus.UNCERTAIN);
    }

    @Test
    void aPersonsRequeueIsBoundToTheDeliveryTheyWereShown() {
        buildScripted((m, ctx) -> {
            ctx.messageIdSeen(m, "wamid.SEEN");
            throw new OutcomeUnknownException("gone");
        });
        Delivery shown = scheduleOne("hello");
        scripted.lookups = m -> new LookupResult.Found(new SendReceipt("wamid.SEEN", clock.instant()));
        runAfter(Duration.ofSeconds(10)); // settled as SENT while the person was reading the evidence
        assertThatThrownBy(() -> wasched.deliveries().requeue(shown.id(), shown.version()))
                .isInstanceOf(dev.wasched.ConcurrentUpdateException.class);
        assertThat(wasched.deliveries().get(shown.id()).status()).isEqualTo(DeliveryStatus.SENT);
        assertThat(scripted.sends).hasValue(1);
    }

    @Test
    void aTransportThatBreaksTheContractAfterTheHandOverIsNotRetriedEither() {
        buildScripted((m, ctx) -> {
            throw new IllegalStateException("page crashed");
        });
        Delivery d = scheduleOne("hello");
        assertThat(d.status()).isEqualTo(DeliveryStatus.UNCERTAIN);
        runAfter(Duration.ofHours(1));
        assertThat(scripted.sends).hasValue(1);
    }

    @Test
    void knownNotSentIsRetried() {
        AtomicInteger calls = new AtomicInteger();
        buildScripted((m, ctx) -> {
            if (calls.incrementAndGet() == 1) {
                throw new RetryableTransportException("the chat did not open");
            }
            return new SendReceipt("wamid.1", clock.instant());
        });
        Delivery d = scheduleOne("hello");
        assertThat(d.status()).isEqualTo(DeliveryStatus.PENDING);
        runAfter(Duration.ofMinutes(10));
        assertThat(wasched.deliveries().get(d.id()).status()).isEqualTo(DeliveryStatus.SENT);
        assertThat(scripted.sends).hasValue(2);
    }

    @Test
    void theIdSeenBeforeConfirmationIsStoredAndIsWhatTheLookupAsksFor() {
        buildScripted((m, ctx) -> {
            ctx.sendMarker(m, "after:wamid.OLD");
            ctx.messageIdSeen(m, "wamid.NEW");
            Delivery mid = store.deliveries().findById(m.deliveryId()).orElseThrow();
            assertThat(mid.status()).isEqualTo(DeliveryStatus.SENDING);
            assertThat(mid.transportMessageId()).as("stored before confirmation").isEqualTo("wamid.NEW");
            assertThat(mid.sendMarker()).isEqualTo("after:wamid.OLD");
            throw new OutcomeUnknownException("logged out while confirming");
        });
        Delivery d = scheduleOne("hello");
        assertThat(d.status()).isEqualTo(DeliveryStatus.UNCERTAIN);
        assertThat(d.transportMessageId()).isEqualTo("wamid.NEW");
        assertThat(d.sendMarker()).isEqualTo("after:wamid.OLD");
        scripted.lookups = m -> "wamid.NEW".equals(m.knownMessageId())
                ? new LookupResult.Found(new SendReceipt("wamid.NEW", clock.instant()))
                : new LookupResult.Unknown("no id");
        runAfter(Duration.ofSeconds(10));
        assertThat(scripted.lookedUp).singleElement().satisfies(m -> {
            assertThat(m.knownMessageId()).isEqualTo("wamid.NEW");
            assertThat(m.sendMarker()).isEqualTo("after:wamid.OLD");
        });
        assertThat(wasched.deliveries().get(d.id()).status()).isEqualTo(DeliveryStatus.SENT);
        assertThat(scripted.sends).hasValue(1);
    }

    @Test
    void aMarkerThatCannotBeStoredStopsTheSendBeforeAnythingLeaves() {
        AtomicInteger delivered = new AtomicInteger();
        buildScripted((m, ctx) -> {
            Delivery current = store.deliveries().findById(m.deliveryId()).orElseThrow();
            // Someone else changed the delivery (an operator cancelled it): the marker is refused.
            store.deliveries().update(current.uncertain("changed elsewhere", clock.instant()));
            ctx.sendMarker(m, "after:none");
            delivered.incrementAndGet();
            return new SendReceipt("wamid.X", clock.instant());
        });
        scheduleOne("hello");
        assertThat(delivered).as("the transport never reached its send action").hasValue(0);
    }

    @Test
    void aSendStoppedByAStoreThatRefusedTheMarkerIsRetriedNotUncertain() {
        AtomicInteger calls = new AtomicInteger();
        buildScripted((m, ctx) -> {
            if (calls.incrementAndGet() == 1) {
                // The marker is refused (here: reported for a delivery that is not being sent); the exception
                // ends the send before its action, as the contract says.
                ctx.sendMarker(new OutgoingMessage("another-delivery", m.account(), m.recipient(), m.content(),
                        null, false), "after:none");
            }
            ctx.sendMarker(m, "after:none");
            return new SendReceipt("wamid.OK", clock.instant());
        });
        Delivery d = scheduleOne("hello");
        assertThat(d.status()).as("known not sent: retried later").isEqualTo(DeliveryStatus.PENDING);
        runAfter(Duration.ofMinutes(10));
        assertThat(wasched.deliveries().get(d.id()).status()).isEqualTo(DeliveryStatus.SENT);
    }

    @Test
    void aMessageFoundThatBelongsToAnotherDeliveryIsNoProof() {
        buildScripted((m, ctx) -> {
            if (m.content().text().equals("first")) {
                return new SendReceipt("wamid.FIRST", clock.instant());
            }
            throw new OutcomeUnknownException("gone");
        });
        scheduleOne("first");
        wasched.schedules().create(ScheduleSpec.builder().account(ACCOUNT).to(Target.group("family")).text("second")
                .trigger(Trigger.once(clock.instant())).build());
        wasched.runDue();
        Delivery uncertain = deliveries(DeliveryStatus.UNCERTAIN).get(0);
        // A careless lookup offers the newest outgoing message, which is the first delivery's.
        scripted.lookups = m -> new LookupResult.Found(new SendReceipt("wamid.FIRST", clock.instant()));
        runAfter(Duration.ofSeconds(10));
        assertThat(wasched.deliveries().get(uncertain.id()).status()).isEqualTo(DeliveryStatus.UNCERTAIN);
    }

    @Test
    void aFormerOwnerCanNeitherWriteDeliveriesNorOverwriteTheSession() {
        buildScripted((m, ctx) -> new SendReceipt("wamid.former-" + m.deliveryId(), clock.instant()));
        wasched.runDue();
        Lease first = store.leases().current("session:" + ACCOUNT).orElseThrow();
        assertThat(first.owner()).isEqualTo("scripted");
        // The first instance stalls; its lease expires on the store's clock and another instance takes the account.
        clock.advance(Duration.ofSeconds(25));
        RecordingTransport second = new RecordingTransport(ACCOUNT, log);
        try (Wasched other = Wasched.builder().store(store).clock(clock).instanceId("second").transport(second)
                .pacing(PacingPolicy.unlimited()).defaultZone(ZoneId.of("UTC")).build()) {
            other.runDue();
            Lease taken = store.leases().current("session:" + ACCOUNT).orElseThrow();
            assertThat(taken.owner()).isEqualTo("second");
            assertThat(taken.epoch()).isGreaterThan(first.epoch());
            store.sessions().replace(new SessionSnapshot(ACCOUNT, new byte[]{2}, "sha-new", false, clock.instant(),
                    store.sessions().load(ACCOUNT).map(SessionSnapshot::version).orElse(0L) + 1), taken);
            SessionSnapshot newOwners = store.sessions().load(ACCOUNT).orElseThrow();

            // The former owner wakes up: its session save is refused, and it stops its transport.
            scripted.ctx.sessionStorage().save(new byte[]{1});
            assertThat(store.sessions().load(ACCOUNT)).contains(newOwners);
            wasched.runDue();
            assertThat(wasched.sessions().status(ACCOUNT).owner()).isEqualTo("second");
            // The lost transport is closed on a thread of its own (a browser may take seconds to close).
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (scripted.inner.closes() == 0 && System.nanoTime() < deadline) {
                Thread.onSpinWait();
            }
            assertThat(scripted.inner.closes()).isEqualTo(1);
            other.schedules().create(ScheduleSpec.builder().account(ACCOUNT).to(Target.group("g")).text("x")
                    .trigger(Trigger.once(clock.instant())).build());
            wasched.runDue();
            other.runDue();
            assertThat(scripted.sends).as("the former owner sends nothing").hasValue(0);
            assertThat(second.sent()).hasSize(1);
        }
    }

    @Test
    void aRepeatingScheduleDoesNotPileUpABacklog() {
        build();
        wasched.runDue();
        transport.disconnect(); // nothing can be sent: every occurrence waits
        contact("Ann", "+4915100000001", "club");
        wasched.schedules().create(ScheduleSpec.builder().account(ACCOUNT).to(Target.tag("club")).text("tick")
                .trigger(Trigger.every(Duration.ofMinutes(1))).build());
        for (int i = 0; i < 5; i++) {
            runAfter(Duration.ofMinutes(1));
        }
        assertThat(deliveries(DeliveryStatus.PENDING).stream().map(Delivery::fireAt).distinct())
                .as("one pending occurrence plus one more, then no further ones").hasSize(2);
        assertThat(events(WaschedEvent.OccurrenceSkipped.class)).isNotEmpty()
                .allSatisfy(e -> assertThat(e.reason()).contains("backlog"));
        transport.reconnect();
        runAfter(Duration.ofSeconds(1));
        assertThat(log.size()).isEqualTo(2);
    }
}
