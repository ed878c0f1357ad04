package dev.wasched.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.wasched.PageRequest;
import dev.wasched.Secret;
import dev.wasched.Wasched;
import dev.wasched.contact.Contact;
import dev.wasched.contact.ContactSpec;
import dev.wasched.delivery.Delivery;
import dev.wasched.delivery.DeliveryQuery;
import dev.wasched.delivery.DeliveryStatus;
import dev.wasched.delivery.Recipient;
import dev.wasched.event.WaschedEvent;
import dev.wasched.inbound.InboundMessage;
import dev.wasched.inbound.ReplyKeywords;
import dev.wasched.policy.PacingPolicy;
import dev.wasched.schedule.Schedule;
import dev.wasched.schedule.ScheduleSpec;
import dev.wasched.schedule.Target;
import dev.wasched.schedule.Trigger;
import dev.wasched.session.AccountState;
import dev.wasched.store.jdbc.JdbcStore;
import dev.wasched.telegram.Notification;
import dev.wasched.telegram.TelegramController;
import dev.wasched.telegram.TelegramControllerConfig;
import dev.wasched.testkit.telegram.FakeTelegramBotApi;
import dev.wasched.testkit.telegram.SentMessage;
import dev.wasched.testkit.whatsapp.InPageModules;
import dev.wasched.testkit.whatsapp.LinkRejectedException;
import dev.wasched.testkit.whatsapp.ReceivedMessage;
import dev.wasched.testkit.whatsapp.WhatsAppWebSimulator;
import dev.wasched.whatsapp.PlaywrightTransport;
import dev.wasched.whatsapp.PlaywrightTransportConfig;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Replies as a host application wires them: the JDBC store on PostgreSQL, the WhatsApp Web transport in Chromium
 * against the simulator (linked by its QR code), the Telegram controller against the fake Bot API. Ann answers a
 * scheduled message, the answer is linked and forwarded to Telegram, a reply there reaches her on WhatsApp, and her
 * STOP opts her out, cancels what is pending for her and is confirmed once. Bob, who never writes, keeps what is
 * pending for him and is sent nothing else.
 */
@Tag("browser")
class RepliesEndToEndTest {
    private static final String ACCOUNT = "shop";
    private static final String ANN = "+491701234567";
    private static final String BOB = "+491707654321";
    private static final long CHAT = 42;
    private static final String CONFIRMATION = "You will receive no more messages.";
    private static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    @RegisterExtension
    final Resources resources = new Resources();
    private final List<WaschedEvent> events = new CopyOnWriteArrayList<>();
    private Wasched wasched;

    @Test
    void aReplyIsLinkedForwardedAndAnsweredAndStopOptsOutWithOneConfirmation() throws Exception {
        EmbeddedPostgres postgres = resources.add(EmbeddedPostgres.builder().start());
        HikariConfig pool = new HikariConfig();
        pool.setDataSource(postgres.getPostgresDatabase());
        pool.setMaximumPoolSize(4);
        JdbcStore store = resources.add(JdbcStore.builder(resources.add(new HikariDataSource(pool))).autoMigrate(true)
                .build());

        // A page that boots in 100 ms and registers its in-page modules within 200 ms of the chat list.
        WhatsAppWebSimulator sim = resources.add(WhatsAppWebSimulator.builder().loadingScreen(Duration.ofMillis(100))
                .pollInterval(Duration.ofMillis(100))
                .inPageModules(InPageModules.standard().withRegistrationSpread(Duration.ofMillis(200)))
                .build().start());
        sim.registerNumber(ANN, "Ann");
        sim.registerNumber(BOB);
        FakeTelegramBotApi telegram = resources.add(FakeTelegramBotApi.builder().start());

        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        wasched = resources.add(Wasched.builder()
                .store(store)
                .instanceId("replies-e2e")
                .transport(ACCOUNT, () -> new PlaywrightTransport(transportConfig(sim)))
                .sessionKey(Secret.of(Base64.getEncoder().encodeToString(key)))
                .pacing(PacingPolicy.unlimited())
                .replyKeywords(ReplyKeywords.DEFAULT.withOptOutConfirmation(CONFIRMATION))
                .fanOutLookAhead(Duration.ofHours(1)) // the later schedule below becomes a PENDING delivery at once
                .listener(events::add)
                .build());
        wasched.start();
        TelegramController controller = resources.add(new TelegramController(wasched, TelegramControllerConfig.builder()
                .token(Secret.of(telegram.token()))
                .baseUrl(telegram.baseUrl())
                .allowChat(CHAT)
                .notify(CHAT, Notification.REPLY)
                .perChatInterval(Duration.ofMillis(20))
                .pollTimeout(Duration.ofSeconds(1))
                .shutdownTimeout(Duration.ofSeconds(2))
                .build()));
        controller.start();
        linkByQr(sim);

        Contact ann = wasched.contacts().create(ContactSpec.builder().name("Ann").phone(ANN).build());
        Contact bob = wasched.contacts().create(ContactSpec.builder().name("Bob").phone(BOB).build());

        // 1. A one-time message to Ann arrives once; its delivery is sent.
        Schedule booking = wasched.schedules().create(ScheduleSpec.builder().account(ACCOUNT)
                .to(Target.contacts(ann.id())).text("Your table is booked for 8 pm")
                .trigger(Trigger.once(Instant.now())).build());
        Delivery sent = await().atMost(WAIT).until(() -> deliveryTo(booking, ann),
                d -> d != null && d.status().isSent());
        assertThat(sim.awaitReceived(ANN, 1, WAIT)).extracting(ReceivedMessage::text)
                .containsExactly("Your table is booked for 8 pm");
        assertThat(sent.transportMessageId()).isNotBlank();
        assertThat(sent.sentAt()).isNotNull();

        // 2. Ann answers it, quoting it: heard, stored, linked to the delivery and forwarded to Telegram.
        String recordedId = sim.receive(ANN, "Yes, see you then", sent.transportMessageId());
        WaschedEvent.MessageReceived heard = await().atMost(WAIT)
                .until(() -> received("Yes, see you then"), Optional::isPresent).orElseThrow();
        InboundMessage reply = heard.message();
        String answerId = reply.messageId(); // in the form the transport gives its own messages' ids: the key
        assertThat(recordedId).endsWith("_" + answerId);
        assertThat(reply.account()).isEqualTo(ACCOUNT);
        assertThat(reply.sender()).isEqualTo(ANN);
        assertThat(reply.contactId()).isEqualTo(ann.id());
        assertThat(reply.quotedMessageId()).isEqualTo(sent.transportMessageId());
        assertThat(reply.repliedDeliveryId()).isEqualTo(sent.id());
        assertThat(wasched.inbound().list(ACCOUNT, ann.id(), PageRequest.first(10)).items())
                .extracting(InboundMessage::messageId, InboundMessage::text, InboundMessage::repliedDeliveryId)
                .containsExactly(tuple(answerId, "Yes, see you then", sent.id()));
        assertThat(wasched.inbound().find(ACCOUNT, answerId)).hasValue(reply);
        assertThat(wasched.deliveries().get(sent.id()).repliedAt()).isNotNull();
        assertThat(wasched.deliveries().repliedCount(ACCOUNT)).isEqualTo(1);
        assertThat(wasched.deliveries().history(DeliveryQuery.all().replied(), PageRequest.first(10)).items())
                .extracting(Delivery::id).containsExactly(sent.id());
        SentMessage forward = telegram.awaitSentMessage(CHAT, m -> m.text().contains("Yes, see you then"), WAIT);
        assertThat(forward.text()).contains("Ann (" + ANN + ") via " + ACCOUNT)
                .contains("↪ answers: Your table is booked for 8 pm").endsWith("ref " + ACCOUNT + "/" + answerId);

        // 3. Answering the forward in Telegram sends the answer to Ann on WhatsApp, once.
        int pushed = telegram.pushReply(CHAT, forward.messageId(), "Wonderful, thank you!");
        assertThat(telegram.awaitSentMessage(CHAT, m -> m.messageId() > pushed, WAIT).text())
                .startsWith("📤 Answering Ann (" + ANN + ") via " + ACCOUNT);
        assertThat(sim.awaitReceived(ANN, 2, WAIT)).extracting(ReceivedMessage::text)
                .containsExactly("Your table is booked for 8 pm", "Wonderful, thank you!");

        // 4. With a message still pending for her (and Bob), Ann writes STOP: opted out, her pending one cancelled,
        // confirmed once.
        Schedule later = wasched.schedules().create(ScheduleSpec.builder().account(ACCOUNT)
                .to(Target.contacts(ann.id(), bob.id())).text("See you tonight!")
                .trigger(Trigger.once(Instant.now().plus(Duration.ofMinutes(30)))).build());
        Delivery pending = await().atMost(WAIT).until(() -> deliveryTo(later, ann),
                d -> d != null && d.status() == DeliveryStatus.PENDING);
        Delivery bobsPending = await().atMost(WAIT).until(() -> deliveryTo(later, bob),
                d -> d != null && d.status() == DeliveryStatus.PENDING);
        Instant beforeStop = Instant.now().minusMillis(1);
        sim.receive(ANN, "stop");
        assertThat(await().atMost(WAIT).until(() -> received("stop"), Optional::isPresent).orElseThrow().message()
                .contactId()).isEqualTo(ann.id());
        Contact optedOut = await().atMost(WAIT).until(() -> wasched.contacts().get(ann.id()), Contact::optedOut);
        assertThat(optedOut.updatedAt()).isAfterOrEqualTo(beforeStop.truncatedTo(ChronoUnit.MILLIS));
        Delivery cancelled = await().atMost(WAIT).until(() -> wasched.deliveries().get(pending.id()),
                d -> d.status() == DeliveryStatus.CANCELLED);
        assertThat(cancelled.lastError()).isEqualTo("contact opted out by a reply keyword to " + ACCOUNT);
        assertThat(events).filteredOn(WaschedEvent.DeliveryCancelled.class::isInstance)
                .map(e -> ((WaschedEvent.DeliveryCancelled) e).delivery().id()).containsExactly(pending.id());
        assertThat(sim.awaitReceived(ANN, 3, WAIT)).extracting(ReceivedMessage::text)
                .containsExactly("Your table is booked for 8 pm", "Wonderful, thank you!", CONFIRMATION);
        // Written to her number, not to the contact; once sent, nothing but Bob's message is left to send.
        Delivery confirmation = await().atMost(WAIT).until(() -> only(confirmations()),
                d -> d != null && d.status().isSent());
        assertThat(confirmation.recipient().address()).isEqualTo(ANN);
        assertThat(confirmation.content().text()).isEqualTo(CONFIRMATION);
        await().atMost(WAIT).until(() -> wasched.deliveries().history(DeliveryQuery.status(DeliveryStatus.PENDING,
                DeliveryStatus.SENDING), PageRequest.first(10)).items().equals(List.of(bobsPending)));
        await().during(Duration.ofMillis(1500)).atMost(Duration.ofSeconds(3))
                .until(() -> sim.received(ANN).size() == 3);

        // A second STOP is heard, but she is opted out already: no second confirmation.
        sim.receive(ANN, "STOP");
        await().atMost(WAIT).until(() -> received("STOP").isPresent());
        await().during(Duration.ofMillis(1500)).atMost(Duration.ofSeconds(3))
                .until(() -> sim.received(ANN).size() == 3);
        assertThat(confirmations()).extracting(Delivery::id).containsExactly(confirmation.id());
        assertThat(wasched.schedules().list(PageRequest.first(100)).items()).extracting(Schedule::name)
                .filteredOn(n -> n != null && n.startsWith("Opt-out confirmation")).hasSize(1);
        assertThat(wasched.contacts().get(ann.id()).optedOut()).isTrue();

        // 5. Bob never wrote: his pending message stays as it was, nothing else was made or sent for him.
        assertThat(sim.received(BOB)).isEmpty();
        assertThat(wasched.deliveries().history(DeliveryQuery.all().forContact(bob.id()), PageRequest.first(10))
                .items()).containsExactly(bobsPending);
        assertThat(wasched.contacts().get(bob.id())).satisfies(b -> {
            assertThat(b.optedOut()).isFalse();
            assertThat(b.version()).isEqualTo(bob.version());
        });
        assertThat(wasched.inbound().list(ACCOUNT, bob.id(), PageRequest.first(10)).items()).isEmpty();
    }

    /** The transport's settings for a local simulator: short timeouts, a quick poll. */
    private PlaywrightTransportConfig transportConfig(WhatsAppWebSimulator sim) {
        return SimulatorTransport.config(ACCOUNT, sim, dir.resolve("browser"))
                .moduleSettle(Duration.ofMillis(250)) // the simulator registers its modules within 200 ms
                .build();
    }

    /** Scans the newest QR code the engine reported until the account is READY. */
    private void linkByQr(WhatsAppWebSimulator sim) {
        await().atMost(WAIT).pollInterval(Duration.ofMillis(50)).until(() -> {
            AccountState state = wasched.sessions().status(ACCOUNT).state();
            if (state == AccountState.QR) {
                events.stream().filter(WaschedEvent.LoginQrCode.class::isInstance)
                        .map(e -> ((WaschedEvent.LoginQrCode) e).payload()).reduce((a, b) -> b).ifPresent(qr -> {
                            try {
                                sim.scanQr(qr);
                            } catch (LinkRejectedException e) {
                                // rotated meanwhile: the next event brings the new code
                            }
                        });
            }
            return state == AccountState.READY;
        });
    }

    private Optional<WaschedEvent.MessageReceived> received(String text) {
        return events.stream().filter(WaschedEvent.MessageReceived.class::isInstance)
                .map(WaschedEvent.MessageReceived.class::cast).filter(e -> e.message().text().equals(text))
                .findFirst();
    }

    /** The delivery of {@code schedule} to {@code contact}, or null while there is none. */
    private Delivery deliveryTo(Schedule schedule, Contact contact) {
        return only(wasched.deliveries().history(DeliveryQuery.all().forSchedule(schedule.id())
                .forContact(contact.id()), PageRequest.first(10)).items());
    }

    /** The deliveries written to a number rather than a contact: here, only opt-out confirmations. */
    private List<Delivery> confirmations() {
        return wasched.deliveries().history(DeliveryQuery.all(), PageRequest.first(100)).items().stream()
                .filter(d -> d.recipient().kind() == Recipient.Kind.NUMBER).toList();
    }

    private static Delivery only(List<Delivery> deliveries) {
        assertThat(deliveries).hasSizeLessThanOrEqualTo(1);
        return deliveries.isEmpty() ? null : deliveries.get(0);
    }
}
