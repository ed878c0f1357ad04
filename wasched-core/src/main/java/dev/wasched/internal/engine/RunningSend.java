package dev.wasched.internal.engine;

import dev.wasched.delivery.Delivery;
import dev.wasched.spi.transport.OutgoingMessage;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The deliveries whose sends are running on an account's transport (one, or up to the transport's concurrency), each
 * kept up to date with the evidence the transport reports while it sends (send marker, early message id), so its
 * outcome is stored on the right version.
 */
final class RunningSend {
    private static final Logger log = LoggerFactory.getLogger(RunningSend.class);

    private final String account;
    private final DeliveryLedger ledger;
    private final Map<String, Delivery> running = new ConcurrentHashMap<>();
    /** Sends whose marker could not be stored: the transport then sends nothing. */
    private final Set<String> markerRefused = ConcurrentHashMap.newKeySet();

    RunningSend(String account, DeliveryLedger ledger) {
        this.account = account;
        this.ledger = ledger;
    }

    void begin(Delivery sending) {
        running.put(sending.id(), sending);
        markerRefused.remove(sending.id());
    }

    /** The running delivery as last stored. */
    Delivery current(String deliveryId) {
        return running.get(deliveryId);
    }

    void end(String deliveryId) {
        running.remove(deliveryId);
        markerRefused.remove(deliveryId);
    }

    boolean markerRefused(String deliveryId) {
        return markerRefused.contains(deliveryId);
    }

    /**
     * Stores the transport's send marker before its send action; throws when it cannot, and then the transport
     * must send nothing.
     */
    void recordMarker(OutgoingMessage message, String marker, boolean leaseValid) {
        String id = message.deliveryId();
        Delivery d = running.get(id);
        if (d == null) {
            // A marker for a delivery that is not being sent. With one send running it can only come from that send,
            // which then sends nothing; with several it cannot be told whose it is, and none is taken as unsent.
            Set<String> ids = running.keySet();
            if (ids.size() == 1) {
                markerRefused.addAll(ids);
            }
            throw new IllegalStateException("delivery " + id + " is not being sent");
        }
        // Whatever goes wrong from here, the transport must send nothing: remember that nothing was sent.
        markerRefused.add(id);
        if (!leaseValid) {
            // The last gate before the send action: a slow chat opening may have outlasted the lease.
            throw new IllegalStateException("the session lease of account " + account + " ended before the send");
        }
        if (!ledger.recordEvidence(d, marker, null)) {
            throw new IllegalStateException("delivery " + id + " changed before its send marker was stored");
        }
        running.put(id, d.withEvidence(marker, null));
        markerRefused.remove(id);
    }

    /** Stores the message id the transport saw before confirming; a failure is only logged. */
    void recordMessageId(OutgoingMessage message, String messageId) {
        Delivery d = running.get(message.deliveryId());
        if (d == null || messageId == null) {
            return;
        }
        try {
            if (ledger.recordEvidence(d, null, messageId)) {
                running.put(d.id(), d.withEvidence(null, messageId));
            }
        } catch (RuntimeException e) {
            log.warn("account {}: message id of delivery {} not stored before confirmation: {}", account, d.id(),
                    e.toString());
        }
    }
}
