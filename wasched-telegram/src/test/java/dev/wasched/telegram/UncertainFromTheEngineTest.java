package dev.wasched.telegram;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wasched.contact.PhoneNumber;
import dev.wasched.delivery.Delivery;
import dev.wasched.delivery.DeliveryStatus;
import dev.wasched.session.AccountState;
import dev.wasched.spi.transport.LookupResult;
import dev.wasched.spi.transport.MessageTransport;
import dev.wasched.spi.transport.OutcomeUnknownException;
import dev.wasched.spi.transport.OutgoingMessage;
import dev.wasched.spi.transport.SendReceipt;
import dev.wasched.spi.transport.TransportContext;
import dev.wasched.spi.transport.TransportEvent;
import dev.wasched.testkit.telegram.SentMessage;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The whole way through the engine: a transport that sees WhatsApp's id for the message and then loses the outcome;
 * the delivery becomes UNCERTAIN, the chat is told why (cleaned, without the message), {@code /uncertain} shows the
 * evidence the transport recorded, and only the confirmation sends it again.
 */
class UncertainFromTheEngineTest extends TelegramFixture {
    private static final String FLAKY = "flaky";

    /** Sees the message's id, then loses the connection before the send is confirmed; the next send succeeds. */
    static final class LosingTransport implements MessageTransport {
        final AtomicInteger sends = new AtomicInteger();
        private volatile TransportContext ctx;

        @Override
        public String account() {
            return FLAKY;
        }

        @Override
        public void start(TransportContext context) {
            this.ctx = context;
            context.emit(new TransportEvent.StateChanged(AccountState.READY, null));
        }

        @Override
        public AccountState state() {
            return AccountState.READY;
        }

        @Override
        public SendReceipt send(OutgoingMessage m) throws OutcomeUnknownException {
            if (sends.incrementAndGet() == 1) {
                ctx.sendMarker(m, "last-row:none");
                ctx.messageIdSeen(m, "true_4915112345678@c.us_3EB0FEED");
                throw new OutcomeUnknownException("connection lost after submitting at https://web.whatsapp.com/send"
                        + "?phone=4915112345678&text=" + m.content().text().replace(' ', '+'));
            }
            return new SendReceipt("msg-" + sends.get(), ctx.clock().instant());
        }

        @Override
        public LookupResult lookup(OutgoingMessage message) {
            return new LookupResult.Unknown("chat not readable");
        }

        @Override
        public boolean isRegistered(PhoneNumber number) {
            return true;
        }

        @Override
        public void logout() {
        }

        @Override
        public void close() {
        }
    }

    @Test
    void anUnknownOutcomeIsReportedListedAndResentOnlyAfterConfirming() {
        LosingTransport flaky = new LosingTransport();
        wasched(b -> b.transport(flaky));
        startAll(c -> c.account(ACCOUNT));

        ask(ME, "/send @flaky +4915112345678 Top secret offer", m -> m.text().startsWith("📤"));

        SentMessage told = telegram.awaitSentMessage(ME, m -> m.text().startsWith("❓"), WAIT);
        assertThat(told.text()).startsWith("❓ Unknown whether the message to +4915112345678 via flaky went out: "
                        + "outcome unknown: connection lost after submitting at <url>")
                .contains("not resent automatically", "/uncertain")
                .doesNotContain("secret", "Top", "phone=", "http");
        Delivery uncertain = deliveries(DeliveryStatus.UNCERTAIN).get(0);
        assertThat(uncertain.transportMessageId()).isNotNull();

        SentMessage list = ask(ME, "/uncertain", m -> m.text().startsWith("Uncertain deliveries"));
        assertThat(list.text()).contains("1. to +4915112345678 via flaky", "1 attempt(s) · WhatsApp id seen",
                "why: outcome unknown: connection lost after submitting at <url>").doesNotContain("secret", "3EB0");

        assertThat(press(ME, list, "↻ Requeue 1…")).startsWith("Check the evidence");
        SentMessage question = telegram.awaitSentMessage(ME, m -> m.text().startsWith("⚠ Requeue"), WAIT);
        assertThat(question.text()).contains("WhatsApp message id seen: yes", "may get it twice")
                .doesNotContain("secret", "3EB0");
        assertThat(flaky.sends.get()).isEqualTo(1);
        assertThat(wasched.deliveries().get(uncertain.id()).status()).isEqualTo(DeliveryStatus.UNCERTAIN);

        assertThat(press(ME, question, "✅ Yes, send again")).isEqualTo("Requeued: +4915112345678 is sent again");
        awaitTrue("sent again", () -> wasched.deliveries().get(uncertain.id()).status() == DeliveryStatus.SENT);
        assertThat(flaky.sends.get()).isEqualTo(2);
        assertThat(press(ME, question, "✅ Yes, send again")).startsWith("Already answered");
        assertThat(flaky.sends.get()).isEqualTo(2);
    }
}
