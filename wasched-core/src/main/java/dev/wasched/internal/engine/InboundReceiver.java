package dev.wasched.internal.engine;

import dev.wasched.PageRequest;
import dev.wasched.contact.Contact;
import dev.wasched.delivery.Delivery;
import dev.wasched.delivery.DeliveryQuery;
import dev.wasched.delivery.DeliveryStatus;
import dev.wasched.event.WaschedEvent;
import dev.wasched.inbound.InboundMessage;
import dev.wasched.inbound.ReplyKeywords;
import dev.wasched.schedule.ScheduleSpec;
import dev.wasched.schedule.Target;
import dev.wasched.schedule.Trigger;
import dev.wasched.spi.transport.TransportEvent;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Turns one account's received messages into stored {@link InboundMessage}s and {@link WaschedEvent.MessageReceived}:
 * the sender's contact looked up by number, the delivery it answers linked (and marked replied), each message stored
 * and published once (a transport may report a message again after a reload; the store's key decides across starts
 * and instances), and a reply keyword ({@link dev.wasched.inbound.ReplyKeywords}) from a contact applied to it, with
 * its confirmation sent back. Transport-event thread only.
 */
final class InboundReceiver {
    /** How many message ids are remembered against repeats. */
    private static final int REMEMBERED = 10_000;

    private final String account;
    private final EngineContext ctx;
    private final ReplyActions replies;
    private final Map<String, Boolean> seen = new LinkedHashMap<>(16, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
            return size() > REMEMBERED;
        }
    };

    InboundReceiver(String account, EngineContext ctx, ReplyActions replies) {
        this.account = account;
        this.ctx = ctx;
        this.replies = replies;
    }

    void receive(TransportEvent.MessageReceived m, Instant now) {
        if (seen.containsKey(m.messageId())) {
            return;
        }
        Contact contact = m.sender().startsWith("+") ? ctx.store().contacts().findByPhone(m.sender()).orElse(null)
                : null;
        InboundMessage in = new InboundMessage(ctx.ids().next(), account, m.messageId(), m.sender(), m.chat(),
                contact == null ? null : contact.id(), m.text(), m.mediaKind(), m.quotedMessageId(), m.sentAt(), now,
                answered(m, contact));
        boolean stored = ctx.store().inbound().insert(in); // a store failure leaves it unseen, to be heard again
        seen.put(m.messageId(), Boolean.TRUE);
        if (!stored) {
            return; // heard before (an earlier start, or the page reported it again)
        }
        if (in.repliedDeliveryId() != null) {
            ctx.store().deliveries().markReplied(in.repliedDeliveryId(), now); // a later reply leaves the first's time
        }
        ctx.events().publish(new WaschedEvent.MessageReceived(in, now));
        if (contact == null || m.mediaKind() != null) {
            return;
        }
        ReplyKeywords keywords = ctx.config().replyKeywords();
        if (keywords.optsOut(m.text()) && !contact.optedOut()) {
            replies.optOut(contact.id(), "contact opted out by a reply keyword to " + account);
            confirm(contact, keywords.optOutConfirmation(), "Opt-out", m.messageId(), now);
        } else if (keywords.optsIn(m.text()) && contact.optedOut()) {
            replies.optIn(contact.id());
            confirm(contact, keywords.optInConfirmation(), "Opt-in", m.messageId(), now);
        }
    }

    /**
     * Sends {@code text} (if any) back as a one-time message from this account, due now: paced and tracked like every
     * other. Written to the contact's number, not to the contact, so the opt-out it confirms neither cancels nor
     * holds it back. The keyword's message is acted on once (the store keeps it once), so it is confirmed once; the
     * schedule's name tells which message it answers.
     */
    private void confirm(Contact contact, String text, String what, String messageId, Instant now) {
        if (text == null) {
            return;
        }
        String name = what + " confirmation, answering " + account + "/" + messageId;
        replies.schedule(ScheduleSpec.builder().name(name.length() > 200 ? name.substring(0, 200) : name)
                .account(account).to(new Target.Number(contact.phone())).text(text).trigger(Trigger.once(now))
                .build());
    }

    /** The delivery whose message {@code m} quotes, else the newest one that reached the contact from this account. */
    private String answered(TransportEvent.MessageReceived m, Contact contact) {
        if (m.quotedMessageId() != null) {
            Optional<Delivery> quoted = ctx.store().deliveries().findByTransportMessageId(account, m.quotedMessageId());
            if (quoted.isPresent()) {
                return quoted.get().id();
            }
        }
        if (contact == null) {
            return null;
        }
        DeliveryQuery reached = DeliveryQuery.status(DeliveryStatus.SENT, DeliveryStatus.DELIVERED, DeliveryStatus.READ)
                .forContact(contact.id()).forAccount(account);
        return ctx.store().deliveries().history(reached, PageRequest.first(1)).items().stream().findFirst()
                .map(Delivery::id).orElse(null);
    }
}
