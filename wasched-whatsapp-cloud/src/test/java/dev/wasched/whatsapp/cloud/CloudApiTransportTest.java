package dev.wasched.whatsapp.cloud;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.wasched.Secret;
import dev.wasched.delivery.DeliveryStatus;
import dev.wasched.delivery.Recipient;
import dev.wasched.message.MediaAttachment;
import dev.wasched.message.MessageContent;
import dev.wasched.session.AccountState;
import dev.wasched.spi.transport.LookupResult;
import dev.wasched.spi.transport.OutcomeUnknownException;
import dev.wasched.spi.transport.OutgoingMessage;
import dev.wasched.spi.transport.PermanentTransportException;
import dev.wasched.spi.transport.RetryableTransportException;
import dev.wasched.spi.transport.SendReceipt;
import dev.wasched.spi.transport.SessionLostException;
import dev.wasched.spi.transport.TransportEvent;
import dev.wasched.testkit.cloud.CloudFault;
import dev.wasched.testkit.cloud.CloudMessage;
import dev.wasched.testkit.cloud.CloudStatus;
import dev.wasched.testkit.cloud.TemplateStatus;
import dev.wasched.testkit.transport.RecordingTransportContext;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The Cloud API transport's own behaviour, against the fake Cloud API over HTTP with its webhooks. */
class CloudApiTransportTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private CloudFixture fixture;
    private CloudApiTransport transport;
    private RecordingTransportContext ctx;

    @BeforeEach
    void start() {
        fixture = new CloudFixture();
        fixture.api.template("order_shipped", "en_US", "Your order {{1}} ships on {{2}}.", TemplateStatus.APPROVED);
        fixture.api.template("promo", "en_US", "Sale: {{1}}", TemplateStatus.PENDING);
        transport = new CloudApiTransport(fixture.config("shop")
                .template("order_shipped", "en_US", "Your order {{order}} ships on {{day}}.")
                .template("promo", "en_US", "Sale: {{what}}")
                .build());
        ctx = new RecordingTransportContext("shop");
        transport.start(ctx);
        await().atMost(WAIT).until(() -> transport.state() == AccountState.READY);
    }

    @AfterEach
    void stop() {
        transport.close();
        fixture.close();
    }

    private static OutgoingMessage text(String to, String text) {
        return new OutgoingMessage(UUID.randomUUID().toString(), "shop", Recipient.contact("c", to, null),
                MessageContent.text(text), null, false);
    }

    @Test
    void aTextInsideTheWindowGoesAsFreeFormAndItsStatusesBecomeAcks() throws Exception {
        fixture.customerWrote(CloudFixture.ANN);
        SendReceipt r = transport.send(text(CloudFixture.ANN, "Your table is ready"));
        assertThat(fixture.api.receivedBy(CloudFixture.ANN)).singleElement().satisfies(m -> {
            assertThat(m.type()).isEqualTo("text");
            assertThat(m.text()).isEqualTo("Your table is ready");
            assertThat(m.id()).isEqualTo(r.messageId());
        });
        fixture.api.status(r.messageId(), CloudStatus.READ);
        await().atMost(WAIT).until(() -> ctx.events.contains(new TransportEvent.Ack(r.messageId(), DeliveryStatus.READ)));
        assertThat(ctx.events).contains(new TransportEvent.Ack(r.messageId(), DeliveryStatus.DELIVERED));
    }

    @Test
    void outsideTheWindowAMatchingTextGoesAsItsApprovedTemplateWithItsParameters() throws Exception {
        transport.send(text(CloudFixture.BOB, "Your order A-17 ships on Monday."));
        CloudMessage m = fixture.api.receivedBy(CloudFixture.BOB).get(0);
        assertThat(m.templateName()).isEqualTo("order_shipped");
        assertThat(m.templateLanguage()).isEqualTo("en_US");
        assertThat(m.templateParameters()).containsExactly("A-17", "Monday");
        assertThat(m.text()).isEqualTo("Your order A-17 ships on Monday.");
    }

    @Test
    void outsideTheWindowAFreeTextIsRefusedBeforeAnythingIsSent() {
        assertThatThrownBy(() -> transport.send(text(CloudFixture.BOB, "Hi Bob")))
                .isInstanceOf(PermanentTransportException.class)
                .hasMessageContaining("outside the 24-hour customer-service window");
        assertThat(fixture.api.sendRequests()).isZero();
        assertThat(ctx.evidence).isEmpty();
    }

    @Test
    void aTemplateNotYetApprovedIsAPermanentFailureNamingIt() {
        assertThatThrownBy(() -> transport.send(text(CloudFixture.BOB, "Sale: shoes")))
                .isInstanceOf(PermanentTransportException.class).hasMessageContaining("132001")
                .hasMessageContaining("PENDING");
    }

    @Test
    void mediaIsUploadedThenSentByItsIdWithTheCaption() throws Exception {
        fixture.customerWrote(CloudFixture.ANN);
        byte[] png = {(byte) 0x89, 'P', 'N', 'G', 1, 2, 3};
        String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(png));
        MediaAttachment media = new MediaAttachment(sha, "image/png", "menu.png", png.length);
        transport.send(new OutgoingMessage("d-media", "shop", Recipient.contact("c", CloudFixture.ANN, null),
                MessageContent.media(media, "Today's menu"), png, false));
        CloudMessage m = fixture.api.receivedBy(CloudFixture.ANN).get(0);
        assertThat(m.type()).isEqualTo("image");
        assertThat(m.text()).isEqualTo("Today's menu");
        assertThat(fixture.api.upload(m.mediaId()).bytes()).isEqualTo(png);
        assertThat(fixture.api.upload(m.mediaId()).mimeType()).isEqualTo("image/png");

        MediaAttachment pdf = new MediaAttachment(sha, "application/pdf", "invoice.pdf", png.length);
        transport.send(new OutgoingMessage("d-doc", "shop", Recipient.contact("c", CloudFixture.ANN, null),
                MessageContent.media(pdf, "Invoice"), png, false));
        assertThat(fixture.api.receivedBy(CloudFixture.ANN).get(1).type()).isEqualTo("document");
    }

    @Test
    void audioWithACaptionIsRefusedClearly() throws Exception {
        fixture.customerWrote(CloudFixture.ANN);
        byte[] ogg = {1, 2, 3};
        String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(ogg));
        MediaAttachment audio = new MediaAttachment(sha, "audio/ogg", "note.ogg", ogg.length);
        assertThatThrownBy(() -> transport.send(new OutgoingMessage("d-a", "shop",
                Recipient.contact("c", CloudFixture.ANN, null), MessageContent.media(audio, "listen"), ogg, false)))
                .isInstanceOf(PermanentTransportException.class).hasMessageContaining("audio without a caption");
    }

    @Test
    void rateLimitsAreRetryableAndHoldFurtherSendsBack() throws Exception {
        fixture.customerWrote(CloudFixture.ANN);
        fixture.customerWrote(CloudFixture.BOB);
        fixture.api.failNext(CloudFault.pairRateLimit());
        assertThatThrownBy(() -> transport.send(text(CloudFixture.ANN, "one")))
                .isInstanceOf(RetryableTransportException.class).hasMessageContaining("131056");
        long requests = fixture.api.sendRequests();
        assertThatThrownBy(() -> transport.send(text(CloudFixture.ANN, "two")))
                .as("held back for this customer without asking the API").isInstanceOf(RetryableTransportException.class);
        assertThat(fixture.api.sendRequests()).isEqualTo(requests);
        transport.send(text(CloudFixture.BOB, "another customer is not held back"));

        fixture.api.failNext(CloudFault.throughputLimit());
        assertThatThrownBy(() -> transport.send(text(CloudFixture.BOB, "three")))
                .isInstanceOf(RetryableTransportException.class).hasMessageContaining("130429");
        assertThat(fixture.api.receivedBy(CloudFixture.ANN)).isEmpty();
    }

    @Test
    void serverErrorsAreRetryableWhenNothingWasProcessedAndUncertainOtherwise() throws Exception {
        fixture.customerWrote(CloudFixture.ANN);
        fixture.api.failNext(CloudFault.serviceUnavailable());
        assertThatThrownBy(() -> transport.send(text(CloudFixture.ANN, "a")))
                .isInstanceOf(RetryableTransportException.class);
        fixture.api.failNext(CloudFault.internalError());
        assertThatThrownBy(() -> transport.send(text(CloudFixture.ANN, "b")))
                .isInstanceOf(OutcomeUnknownException.class);
        fixture.api.failNext(CloudFault.badGateway());
        assertThatThrownBy(() -> transport.send(text(CloudFixture.ANN, "c")))
                .isInstanceOf(OutcomeUnknownException.class);
    }

    @Test
    void anExpiredTokenLosesTheSessionWithAClearState() {
        fixture.customerWrote(CloudFixture.ANN);
        fixture.api.expireToken();
        assertThatThrownBy(() -> transport.send(text(CloudFixture.ANN, "x")))
                .isInstanceOf(SessionLostException.class).hasMessageContaining("190");
        assertThat(transport.state()).isEqualTo(AccountState.LOGGED_OUT);
        assertThat(ctx.events).anySatisfy(e -> assertThat(e).isInstanceOfSatisfying(TransportEvent.StateChanged.class,
                s -> assertThat(s.detail()).contains("access token was refused").contains("new token")));
    }

    @Test
    void aStartWithARefusedTokenEndsLoggedOut() {
        CloudApiTransport wrong = new CloudApiTransport(fixture.config("other").phoneNumberId(fixture.api.phoneNumberId())
                .accessToken(Secret.of("not-the-token")).webhook(null).build());
        try {
            wrong.start(new RecordingTransportContext("other"));
            await().atMost(WAIT).until(() -> wrong.state() == AccountState.LOGGED_OUT);
        } finally {
            wrong.close();
        }
    }

    @Test
    void aDroppedAnswerIsOfUnknownOutcomeAndTheStatusWebhookProvesItWasSent() throws Exception {
        fixture.customerWrote(CloudFixture.ANN);
        fixture.api.dropNextResponses(1);
        OutgoingMessage m = text(CloudFixture.ANN, "did it go?");
        assertThatThrownBy(() -> transport.send(m)).isInstanceOf(OutcomeUnknownException.class);
        String marker = ctx.lastSendMarker(m.deliveryId());
        OutgoingMessage probe = new OutgoingMessage(m.deliveryId(), "shop", m.recipient(), m.content(), null, false,
                null, marker);
        String id = fixture.api.receivedBy(CloudFixture.ANN).get(0).id();
        await().atMost(WAIT).until(() -> transport.lookup(probe) instanceof LookupResult.Found);
        assertThat(transport.lookup(probe).foundReceipt()).hasValueSatisfying(r -> assertThat(r.messageId()).isEqualTo(id));
        OutgoingMessage other = new OutgoingMessage("another", "shop", m.recipient(), m.content(), null, false,
                null, "wasched:another:marker");
        assertThat(transport.lookup(other)).isInstanceOf(LookupResult.Unknown.class);
        assertThat(fixture.api.receivedBy(CloudFixture.ANN)).hasSize(1);
    }

    @Test
    void aMessageIdMeansMetaAcceptedItSoItIsFoundEvenBeforeAnyStatus() throws Exception {
        fixture.customerWrote(CloudFixture.ANN);
        fixture.api.holdWebhooks(true);
        OutgoingMessage m = text(CloudFixture.ANN, "accepted");
        SendReceipt r = transport.send(m);
        OutgoingMessage probe = new OutgoingMessage(m.deliveryId(), "shop", m.recipient(), m.content(), null, false,
                r.messageId(), null);
        assertThat(transport.lookup(probe).foundReceipt()).hasValueSatisfying(f -> assertThat(f.messageId())
                .isEqualTo(r.messageId()));
        fixture.api.holdWebhooks(false);
    }

    @Test
    void aFailedStatusMeansTheMessageIsNotInTheChat() throws Exception {
        fixture.customerWrote(CloudFixture.ANN);
        OutgoingMessage m = text(CloudFixture.ANN, "will fail");
        SendReceipt r = transport.send(m);
        fixture.api.fail(r.messageId(), 131026, "Message undeliverable");
        OutgoingMessage probe = new OutgoingMessage(m.deliveryId(), "shop", m.recipient(), m.content(), null, false,
                r.messageId(), ctx.lastSendMarker(m.deliveryId()));
        await().atMost(WAIT).until(() -> transport.lookup(probe) instanceof LookupResult.NotFound);
        await().atMost(WAIT).until(() -> ctx.events.stream().anyMatch(e -> e instanceof TransportEvent.Undelivered u
                && u.messageId().equals(r.messageId()) && u.error().contains("131026")));
    }

    @Test
    void customerMessagesBecomeInboundEventsOnce() {
        String quoted = "wamid.quoted";
        String id = fixture.api.injectIncoming(CloudFixture.ANN, "Can I bring a dog?", quoted);
        await().atMost(WAIT).until(() -> ctx.events.stream().anyMatch(e -> e instanceof TransportEvent.MessageReceived));
        List<TransportEvent.MessageReceived> received = ctx.events.stream()
                .filter(e -> e instanceof TransportEvent.MessageReceived).map(e -> (TransportEvent.MessageReceived) e)
                .toList();
        assertThat(received).singleElement().satisfies(e -> {
            assertThat(e.messageId()).isEqualTo(id);
            assertThat(e.sender()).isEqualTo(CloudFixture.ANN);
            assertThat(e.chat()).isEqualTo(CloudFixture.ANN);
            assertThat(e.text()).isEqualTo("Can I bring a dog?");
            assertThat(e.mediaKind()).isNull();
            assertThat(e.quotedMessageId()).isEqualTo(quoted);
        });
        assertThat(fixture.api.redeliverLastNotification()).isEqualTo(200);
        assertThat(ctx.events).filteredOn(e -> e instanceof TransportEvent.MessageReceived).hasSize(1);
        assertThat(fixture.webhook.duplicateEvents()).isEqualTo(1);
    }

    @Test
    void sendsStartNoFasterThanTheNumbersThroughput() throws Exception {
        fixture.customerWrote(CloudFixture.ANN);
        CloudApiTransport slow = new CloudApiTransport(fixture.config("slow").phoneNumberId(fixture.api.phoneNumberId())
                .webhook(null).serviceWindow(ServiceWindowPolicy.LEAVE_TO_API).messagesPerSecond(20).build());
        try {
            slow.start(new RecordingTransportContext("slow"));
            await().atMost(WAIT).until(() -> slow.state() == AccountState.READY);
            long t0 = System.nanoTime();
            for (int i = 0; i < 6; i++) {
                slow.send(text(CloudFixture.ANN, "paced " + i));
            }
            // Six starts at 20 per second are at least five intervals of 50 ms apart.
            assertThat(Duration.ofNanos(System.nanoTime() - t0)).isGreaterThanOrEqualTo(Duration.ofMillis(250));
        } finally {
            slow.close();
        }
    }

    @Test
    void aCustomerMessageSentWhileTheNumberWasNotStartedArrivesOnceItIs() {
        transport.close();
        String id = fixture.api.injectIncoming(CloudFixture.BOB, "anyone there?");
        await().atMost(WAIT).until(() -> fixture.api.webhookAnswers().contains(503));
        CloudApiTransport again = new CloudApiTransport(fixture.config("shop").build());
        RecordingTransportContext second = new RecordingTransportContext("shop");
        try {
            again.start(second);
            await().atMost(WAIT).until(() -> second.events.stream().anyMatch(
                    e -> e instanceof TransportEvent.MessageReceived r && r.messageId().equals(id)));
        } finally {
            again.close();
        }
    }

    @Test
    void aStoredSessionOfAnotherNumberIsQuarantined() {
        AtomicReference<byte[]> session = new AtomicReference<>(
                "{\"phoneNumberId\":\"999999999\"}".getBytes(StandardCharsets.UTF_8));
        RecordingTransportContext restored = new RecordingTransportContext("other", session);
        CloudApiTransport other = new CloudApiTransport(fixture.config("other").webhook(null).build());
        try {
            other.start(restored);
            await().atMost(WAIT).until(() -> other.state() == AccountState.READY);
            assertThat(restored.quarantined).singleElement().asString().contains("999999999");
        } finally {
            other.close();
        }
    }

    @Test
    void aGroupRecipientIsRefused() {
        assertThatThrownBy(() -> transport.send(new OutgoingMessage("g", "shop", Recipient.group("Team", null),
                MessageContent.text("hi"), null, false))).isInstanceOf(PermanentTransportException.class)
                .hasMessageContaining("group");
    }
}
