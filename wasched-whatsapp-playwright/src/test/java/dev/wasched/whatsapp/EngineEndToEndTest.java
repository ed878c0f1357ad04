package dev.wasched.whatsapp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wasched.PageRequest;
import dev.wasched.Wasched;
import dev.wasched.contact.Contact;
import dev.wasched.contact.ContactSpec;
import dev.wasched.delivery.Delivery;
import dev.wasched.delivery.DeliveryQuery;
import dev.wasched.delivery.DeliveryStatus;
import dev.wasched.event.WaschedEvent;
import dev.wasched.memory.InMemoryStore;
import dev.wasched.message.MediaAttachment;
import dev.wasched.policy.PacingPolicy;
import dev.wasched.schedule.ScheduleSpec;
import dev.wasched.schedule.Target;
import dev.wasched.schedule.Trigger;
import dev.wasched.session.AccountState;
import dev.wasched.spi.store.SessionSnapshot;
import dev.wasched.testkit.whatsapp.LinkRejectedException;
import dev.wasched.testkit.whatsapp.ReceivedMessage;
import dev.wasched.testkit.whatsapp.WhatsAppWebSimulator;
import dev.wasched.whatsapp.internal.SessionCodec;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import dev.wasched.whatsapp.internal.BrowserProcesses;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The real engine with an in-memory store and this transport against the simulator: login by QR, scheduled sends to
 * a contact, a group and with media, acks, restarts without a QR code, and a corrupted session. What the simulator
 * received is the truth.
 */
@Tag("browser")
class EngineEndToEndTest extends BrowserTestBase {
    private static final String ACCOUNT = "shop";
    private final InMemoryStore store = new InMemoryStore();
    private final List<WaschedEvent> events = new CopyOnWriteArrayList<>();
    private final AtomicInteger instances = new AtomicInteger();

    private Wasched engine(WhatsAppWebSimulator sim) {
        return engine(sim, t -> { }, Duration.ofSeconds(10));
    }

    private Wasched engine(WhatsAppWebSimulator sim, Consumer<PlaywrightTransport> prepare, Duration heartbeat) {
        Wasched w = Wasched.builder()
                .store(store)
                .instanceId("e2e-" + instances.incrementAndGet())
                .transport(ACCOUNT, () -> {
                    PlaywrightTransport t = new PlaywrightTransport(TestSupport.config(ACCOUNT, sim.url(), workDir).build());
                    prepare.accept(t);
                    return t;
                })
                .pacing(PacingPolicy.unlimited())
                .fallbackPoll(Duration.ofMillis(500))
                .heartbeatInterval(heartbeat)
                .listener(events::add)
                .build();
        toClose.add(w);
        w.start();
        return w;
    }

    private void linkByQr(Wasched w, WhatsAppWebSimulator sim) {
        TestSupport.await("READY after scanning the QR code", () -> {
            if (state(w) == AccountState.READY) {
                return true;
            }
            Optional<String> qr = events(WaschedEvent.LoginQrCode.class).stream().map(WaschedEvent.LoginQrCode::payload)
                    .reduce((a, b) -> b);
            if (qr.isPresent() && state(w) == AccountState.QR) {
                try {
                    sim.scanQr(qr.get());
                } catch (LinkRejectedException e) {
                    // rotated meanwhile: the next event brings the new payload
                }
            }
            return false;
        });
    }

    private static AccountState state(Wasched w) {
        return w.sessions().status(ACCOUNT).state();
    }

    private <T extends WaschedEvent> List<T> events(Class<T> type) {
        return events.stream().filter(type::isInstance).map(type::cast).toList();
    }

    private static List<Delivery> deliveries(Wasched w, DeliveryStatus... statuses) {
        return w.deliveries().history(DeliveryQuery.status(statuses), PageRequest.first(100)).items();
    }

    private static void once(Wasched w, Target to, String text, MediaAttachment media) {
        w.schedules().create(ScheduleSpec.builder().account(ACCOUNT).to(to).text(text).media(media)
                .trigger(Trigger.once(Instant.now())).build());
    }

    @Test
    void linksByQrSendsScheduledMessagesWithAcksAndRestartsWithoutAQrCode() {
        WhatsAppWebSimulator sim = simulator();
        sim.createGroup("Bakery Team", ALICE, BOB);
        Wasched first = engine(sim);
        linkByQr(first, sim);
        assertThat(store.sessions().load(ACCOUNT)).as("session saved after login").isPresent();

        Contact ann = first.contacts().create(ContactSpec.builder().name("Ann").phone(ALICE).build());
        Contact bob = first.contacts().create(ContactSpec.builder().name("Bob").phone(BOB).build());
        byte[] jpeg = QrRendering.toPng("today's menu");
        MediaAttachment menu = first.media().store(jpeg, "image/png", "menu.png");
        once(first, Target.contacts(ann.id()), "Welcome, {{name}}!", null);
        once(first, Target.group("Bakery Team"), "Fresh bread at 8", null);
        once(first, Target.contacts(bob.id()), "Today's menu, {{name}}", menu);

        TestSupport.await("three deliveries read", () -> deliveries(first, DeliveryStatus.READ).size() == 3);
        assertThat(sim.received(ALICE)).extracting(ReceivedMessage::text).containsExactly("Welcome, Ann!");
        assertThat(sim.receivedInGroup("Bakery Team")).extracting(ReceivedMessage::text).containsExactly("Fresh bread at 8");
        assertThat(sim.received(BOB)).singleElement().satisfies(m -> {
            assertThat(m.caption()).isEqualTo("Today's menu, Bob");
            assertThat(m.media()).hasValueSatisfying(f -> assertThat(f.bytes()).isEqualTo(jpeg));
        });
        for (Delivery d : deliveries(first, DeliveryStatus.READ)) {
            assertThat(sim.receivedMessage(d.transportMessageId())).as("receipt id is the bubble's data-id").isPresent();
            assertThat(d.deliveredAt()).isNotNull();
        }
        assertThat(events(WaschedEvent.DeliveryAcknowledged.class)).isNotEmpty();

        // Ann answers the welcome: the engine hears it, with her contact and the message she answers.
        Delivery welcome = deliveries(first, DeliveryStatus.READ).stream()
                .filter(d -> ann.id().equals(d.recipient().contactId())).findFirst().orElseThrow();
        sim.receive(ALICE, "Thank you!", welcome.transportMessageId());
        TestSupport.await("the reply heard", () -> !events(WaschedEvent.MessageReceived.class).isEmpty());
        assertThat(events(WaschedEvent.MessageReceived.class)).singleElement().satisfies(e -> {
            assertThat(e.message().contactId()).isEqualTo(ann.id());
            assertThat(e.message().sender()).isEqualTo(ALICE);
            assertThat(e.message().text()).isEqualTo("Thank you!");
            assertThat(e.message().quotedMessageId()).isEqualTo(welcome.transportMessageId());
        });

        first.close();
        events.clear();

        Wasched second = engine(sim);
        TestSupport.await("READY from the stored session", () -> state(second) == AccountState.READY);
        assertThat(events(WaschedEvent.LoginQrCode.class)).as("no QR code after a restart").isEmpty();
        once(second, Target.contacts(ann.id()), "Back again, {{name}}", null);
        TestSupport.await("the fourth message", () -> deliveries(second, DeliveryStatus.SENT, DeliveryStatus.DELIVERED,
                DeliveryStatus.READ).size() == 4);
        assertThat(sim.received(ALICE)).extracting(ReceivedMessage::text)
                .containsExactly("Welcome, Ann!", "Back again, Ann");
        assertThat(sim.allReceived()).hasSize(4);
    }

    @Test
    void formattedTextWithEmojiAndA3000CharacterTextAreEachSentOnceAndRecordedWithTheirIds() {
        WhatsAppWebSimulator sim = simulator();
        Wasched w = engine(sim);
        linkByQr(w, sim);
        long loads = sim.pageLoads();
        Contact ann = w.contacts().create(ContactSpec.builder().name("Ann").phone(ALICE).build());
        String formatted = "*Sale* _today_ ~not~ tomorrow: ```CODE42``` \u2764\ufe0f \ud83d\udc4d\ud83c\udffd";
        StringBuilder b = new StringBuilder("A long one:");
        while (b.length() < 3_000) {
            b.append(" lorem ipsum dolor sit amet");
        }
        String longText = b.substring(0, 2_999) + "!"; // 3,000 characters, none of them trimmed away
        once(w, Target.contacts(ann.id()), formatted, null);
        once(w, Target.contacts(ann.id()), longText, null);

        TestSupport.await("both sent", () -> deliveries(w, DeliveryStatus.SENT, DeliveryStatus.DELIVERED,
                DeliveryStatus.READ).size() == 2);
        assertThat(sim.received(ALICE)).extracting(ReceivedMessage::text).containsExactlyInAnyOrder(formatted, longText);
        for (Delivery d : deliveries(w, DeliveryStatus.SENT, DeliveryStatus.DELIVERED, DeliveryStatus.READ)) {
            assertThat(sim.receivedMessage(d.transportMessageId())).as("recorded with the id of what was received")
                    .isPresent();
        }
        assertThat(deliveries(w, DeliveryStatus.UNCERTAIN, DeliveryStatus.PENDING, DeliveryStatus.FAILED,
                DeliveryStatus.DEAD)).isEmpty();
        assertThat(sim.pageLoads()).as("sent inside the loaded page").isEqualTo(loads);
    }

    @Test
    void aCorruptedStoredSessionIsQuarantinedAndTheTransportFallsBackToAQrLogin() {
        WhatsAppWebSimulator sim = simulator();
        Wasched first = engine(sim);
        linkByQr(first, sim);
        first.close();

        SessionSnapshot s = store.sessions().load(ACCOUNT).orElseThrow();
        byte[] bad = s.data().clone();
        bad[bad.length / 2] ^= 0x01;
        store.sessions().delete(ACCOUNT);
        store.sessions().replace(new SessionSnapshot(ACCOUNT, bad, s.sha256(), false, s.savedAt(), 1));
        events.clear();

        Wasched second = engine(sim);
        TestSupport.await("a QR code", () -> !events(WaschedEvent.LoginQrCode.class).isEmpty());
        assertThat(events(WaschedEvent.SessionQuarantined.class)).singleElement()
                .satisfies(e -> assertThat(e.reason()).contains("checksum"));
        assertThat(store.sessions().quarantinedCount(ACCOUNT)).isEqualTo(1);
        linkByQr(second, sim);
        Contact ann = second.contacts().create(ContactSpec.builder().name("Ann").phone(ALICE).build());
        once(second, Target.contacts(ann.id()), "linked anew", null);
        TestSupport.await("sent", () -> sim.received(ALICE).size() == 1);
        assertThat(store.sessions().load(ACCOUNT)).as("a fresh session was saved").isPresent();
    }

    @Test
    void aWellChecksummedSessionWithMalformedStorageStateIsQuarantinedAndTheTransportFallsBackToAQrLogin() {
        WhatsAppWebSimulator sim = simulator();
        byte[] malformed = SessionCodec.encode("{\"cookies\": [], \"origins\": [");
        store.sessions().replace(new SessionSnapshot(ACCOUNT, malformed, sha256(malformed), false, Instant.now(), 1));

        Wasched w = engine(sim);
        TestSupport.await("a QR code", () -> !events(WaschedEvent.LoginQrCode.class).isEmpty());
        TestSupport.await("the quarantine reported", () -> !events(WaschedEvent.SessionQuarantined.class).isEmpty());
        assertThat(events(WaschedEvent.SessionQuarantined.class)).singleElement()
                .satisfies(e -> assertThat(e.reason()).contains("not valid JSON"));
        assertThat(store.sessions().quarantinedCount(ACCOUNT)).isEqualTo(1);
        assertThat(store.sessions().load(ACCOUNT)).as("moved out of the way").isEmpty();
        linkByQr(w, sim);
        TestSupport.await("a fresh session saved", () -> store.sessions().load(ACCOUNT).isPresent());
        assertThat(events(WaschedEvent.AccountStateChanged.class)).noneMatch(e -> e.to() == AccountState.FAILED);
    }

    /**
     * The browser dies between the click and the tick, after WhatsApp's server got the message: the engine records the
     * delivery as UNCERTAIN and never sends it again; the chat has exactly one copy. The transport had reported the
     * message's id before it died, so a later lookup by the engine may settle the delivery, but only as SENT with that
     * very copy's id.
     */
    @Test
    void aBrowserKilledBetweenTheClickAndTheTickLeavesTheDeliveryUncertainWithOneCopy() {
        WhatsAppWebSimulator sim = simulator();
        sim.slowSends(Duration.ofSeconds(2));
        AtomicBoolean killed = new AtomicBoolean();
        Wasched w = engine(sim, t -> t.onSubmittedForTest(id -> {
            if (killed.compareAndSet(false, true)) {
                sim.awaitReceived(ALICE, 1, Duration.ofSeconds(20)); // the server has it; the transport saw no tick
                TestSupport.browsers(workDir).forEach(BrowserProcesses::killTree);
            }
        }), Duration.ofSeconds(1));
        linkByQr(w, sim);
        // The browser commits localStorage a few seconds after the page wrote it: wait until the snapshot has it, so
        // the crash below is followed by a login from the snapshot.
        TestSupport.awaitLoginStored(() -> store.sessions().load(ACCOUNT).map(SessionSnapshot::data).orElse(null),
                workDir);
        Contact ann = w.contacts().create(ContactSpec.builder().name("Ann").phone(ALICE).build());
        once(w, Target.contacts(ann.id()), "Exactly once, {{name}}", null);

        TestSupport.await("the delivery UNCERTAIN", () -> !events(WaschedEvent.DeliveryUncertain.class).isEmpty());
        assertThat(killed).isTrue();
        WaschedEvent.DeliveryUncertain uncertain = events(WaschedEvent.DeliveryUncertain.class).get(0);
        assertThat(uncertain.delivery().lastError()).contains("outcome unknown");
        List<ReceivedMessage> copies = sim.received(ALICE);
        assertThat(copies).hasSize(1);
        String copy = copies.get(0).id();
        // the id reported before the tick
        TestSupport.assertSameMessage(copy,
                store.deliveries().findById(uncertain.delivery().id()).orElseThrow().transportMessageId());

        sim.clearFaults();
        TestSupport.await("READY again after the crash", () -> state(w) == AccountState.READY);
        // Time for the dispatcher to run again: it must not pick the delivery up.
        long until = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        TestSupport.await("a few dispatch cycles", Duration.ofSeconds(10), () -> System.nanoTime() > until);
        Delivery after = store.deliveries().findById(uncertain.delivery().id()).orElseThrow();
        if (after.status() != DeliveryStatus.UNCERTAIN) {
            assertThat(after.status().isSent()).as("only ever settled as sent, by proof").isTrue();
            TestSupport.assertSameMessage(copy, after.transportMessageId());
        }
        assertThat(after.attempts()).as("one attempt").isEqualTo(1);
        assertThat(sim.received(ALICE)).as("no second copy").extracting(ReceivedMessage::id).containsExactly(copy);
        assertThat(events(WaschedEvent.DeliveryUncertain.class)).hasSize(1);
    }
}
