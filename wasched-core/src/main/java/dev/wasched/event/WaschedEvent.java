package dev.wasched.event;

import dev.wasched.delivery.Delivery;
import dev.wasched.session.AccountState;
import java.time.Instant;

/**
 * Something that happened in the engine. Listeners receive events on an engine-owned thread, so a slow listener
 * never holds up sending; a throwing listener is logged and the others still get the event.
 */
public sealed interface WaschedEvent {
    Instant at();

    /** An event about one delivery, carrying the delivery as it stands after it. */
    sealed interface DeliveryEvent extends WaschedEvent {
        Delivery delivery();
    }

    /** A delivery reached WhatsApp. */
    record DeliverySent(Delivery delivery, Instant at) implements DeliveryEvent {
    }

    /** A retryable failure; the delivery is due again at {@code delivery.dueAt()}. */
    record DeliveryRetryScheduled(Delivery delivery, String error, Instant at) implements DeliveryEvent {
    }

    /** The delivery is in the dead-letter queue. */
    record DeliveryDead(Delivery delivery, String reason, Instant at) implements DeliveryEvent {
    }

    /** Its owner died while sending; whether it went out is unknown and it is not resent automatically. */
    record DeliveryUncertain(Delivery delivery, Instant at) implements DeliveryEvent {
    }

    /** WhatsApp reported the message delivered or read. */
    record DeliveryAcknowledged(Delivery delivery, Instant at) implements DeliveryEvent {
    }

    record DeliveryCancelled(Delivery delivery, String reason, Instant at) implements DeliveryEvent {
    }

    /** A person closed a DEAD or UNCERTAIN delivery without sending it again (status DISMISSED). */
    record DeliveryDismissed(Delivery delivery, Instant at) implements DeliveryEvent {
    }

    /** An occurrence of a schedule fanned out into deliveries. */
    record ScheduleFired(String scheduleId, Instant fireAt, int deliveries, Instant at) implements WaschedEvent {
    }

    /** An occurrence the misfire policy skipped. */
    record OccurrenceSkipped(String scheduleId, Instant fireAt, String reason, Instant at) implements WaschedEvent {
    }

    record AccountStateChanged(String account, AccountState from, AccountState to, String detail, Instant at)
            implements WaschedEvent {
    }

    /** The account needs linking: show this payload as a QR code to scan with the phone. */
    record LoginQrCode(String account, String payload, Instant at) implements WaschedEvent {
    }

    /** The account needs linking: type this code on the phone. */
    record LoginPairingCode(String account, String code, Instant at) implements WaschedEvent {
    }

    /** Someone wrote to one of the accounts; heard once per message id while the engine runs. */
    record MessageReceived(dev.wasched.inbound.InboundMessage message, Instant at) implements WaschedEvent {
    }

    /** A stored session failed its checksum or decryption; it was set aside and a fresh login is needed. */
    record SessionQuarantined(String account, String reason, Instant at) implements WaschedEvent {
    }
}
