package dev.wasched.spi.transport;

import dev.wasched.delivery.DeliveryStatus;
import dev.wasched.session.AccountState;

/** What a transport reports to the engine through {@link TransportContext#emit(TransportEvent)}. */
public sealed interface TransportEvent {
    record StateChanged(AccountState state, String detail) implements TransportEvent {
    }

    /** A new QR payload to scan (re-emitted on every rotation). */
    record QrCode(String payload) implements TransportEvent {
    }

    record PairingCode(String code) implements TransportEvent {
    }

    /** A sent message was delivered ({@link DeliveryStatus#DELIVERED}) or read ({@link DeliveryStatus#READ}). */
    record Ack(String messageId, DeliveryStatus level) implements TransportEvent {
        public Ack {
            if (level != DeliveryStatus.DELIVERED && level != DeliveryStatus.READ) {
                throw new IllegalArgumentException("an ack is DELIVERED or READ, not " + level);
            }
        }
    }
}
