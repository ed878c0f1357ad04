package dev.wasched.internal.engine;

import dev.wasched.contact.Contact;
import dev.wasched.event.WaschedEvent;
import dev.wasched.inbound.InboundMessage;
import dev.wasched.inbound.ReplyKeywords;
import dev.wasched.spi.transport.TransportEvent;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Turns one account's received messages into {@link WaschedEvent.MessageReceived}: the sender's contact looked up by
 * number, each message id published once (a transport may report a message again after a reload), and a reply
 * keyword ({@link dev.wasched.inbound.ReplyKeywords}) from a contact applied to it. Transport-event thread only.
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
        if (seen.put(m.messageId(), Boolean.TRUE) != null) {
            return;
        }
        Contact contact = m.sender().startsWith("+") ? ctx.store().contacts().findByPhone(m.sender()).orElse(null)
                : null;
        InboundMessage in = new InboundMessage(account, m.messageId(), m.sender(), m.chat(),
                contact == null ? null : contact.id(), m.text(), m.mediaKind(), m.quotedMessageId(), m.sentAt(), now);
        ctx.events().publish(new WaschedEvent.MessageReceived(in, now));
        if (contact == null || m.mediaKind() != null) {
            return;
        }
        ReplyKeywords keywords = ctx.config().replyKeywords();
        if (keywords.optsOut(m.text()) && !contact.optedOut()) {
            replies.optOut(contact.id(), "contact opted out by a reply keyword to " + account);
        } else if (keywords.optsIn(m.text()) && contact.optedOut()) {
            replies.optIn(contact.id());
        }
    }
}
