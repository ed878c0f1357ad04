package dev.wasched.internal.engine;

import dev.wasched.delivery.Delivery;
import dev.wasched.spi.transport.OutgoingMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The delivery whose send is running on an account's transport, kept up to date with the evidence the transport
 * reports while it sends (send marker, early message id), so the outcome is stored on the right version.
 */
final class RunningSend {
    private static final Logger log = LoggerFactory.getLogger(RunningSend.class);

    private final String account;
    private final DeliveryLedger ledger;
    private volatile Delivery current;
    /** Set when the running send's marker could not be stored: the transport then sends nothing. */
    private volatile boolean markerRefused;

    RunningSend(String account, DeliveryLedger ledger) {
        this.account = account;
        this.ledger = ledger;
    }

    void begin(Delivery sending) {
        current = sending;
        markerRefused = false;
    }

    /** The running delivery as last stored. */
    Delivery current() {
        return current;
    }

    void end() {
        current = null;
    }

    boolean markerRefused() {
        return markerRefused;
    }

    /**
     * Stores the transport's send marker before its send action; throws when it cannot, and then the transport
     * must send nothing.
     */
    void recordMarker(OutgoingMessage message, String marker, boolean leaseValid) {
        // Whatever goes wrong here, the transport must send nothing: remember that nothing was sent.
        markerRefused = true;
        Delivery d = current;
        if (d == null || !d.id().equals(message.deliveryId())) {
            throw new IllegalStateException("delivery " + message.deliveryId() + " is not being sent");
        }
        if (!leaseValid) {
            // The last gate before the send action: a slow chat opening may have outlasted the lease.
            throw new IllegalStateException("the session lease of account " + account + " ended before the send");
        }
        if (!ledger.recordEvidence(d, marker, null)) {
            throw new IllegalStateException("delivery " + d.id() + " changed before its send marker was stored");
        }
        current = d.withEvidence(marker, null);
        markerRefused = false;
    }

    /** Stores the message id the transport saw before confirming; a failure is only logged. */
    void recordMessageId(OutgoingMessage message, String messageId) {
        Delivery d = current;
        if (d == null || !d.id().equals(message.deliveryId()) || messageId == null) {
            return;
        }
        try {
            if (ledger.recordEvidence(d, null, messageId)) {
                current = d.withEvidence(null, messageId);
            }
        } catch (RuntimeException e) {
            log.warn("account {}: message id of delivery {} not stored before confirmation: {}", account, d.id(),
                    e.toString());
        }
    }
}
