package dev.wasched.internal.engine;

import dev.wasched.delivery.Delivery;
import dev.wasched.delivery.DeliveryStatus;
import dev.wasched.event.WaschedEvent;
import dev.wasched.internal.redact.ErrorText;
import dev.wasched.spi.store.DeliveryRepository;
import dev.wasched.spi.store.Lease;
import dev.wasched.spi.transport.SendReceipt;
import dev.wasched.spi.transport.TransportEvent;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every state change of one account's deliveries made by the engine: each method writes the transition and
 * publishes its event, counts its metric and logs it, so no path can store a change and forget the rest. Writes are
 * fenced by the account's session lease held at the time of the call.
 */
final class DeliveryLedger {
    private static final Logger log = LoggerFactory.getLogger(DeliveryLedger.class);

    private final String account;
    private final EngineContext ctx;
    private final DeliveryRepository deliveries;
    private final Supplier<Lease> fence;
    private final HeldAcks heldAcks;
    private final AtomicLong uncertainRecorded = new AtomicLong();

    DeliveryLedger(String account, EngineContext ctx, Supplier<Lease> fence) {
        this.account = account;
        this.ctx = ctx;
        this.deliveries = ctx.store().deliveries();
        this.fence = fence;
        this.heldAcks = new HeldAcks(ctx.clock());
    }

    /** How many deliveries this ledger has made UNCERTAIN: their settler looks for new ones when this grows. */
    long uncertainRecorded() {
        return uncertainRecorded.get();
    }

    // ---- claims ---------------------------------------------------------------------------------------------

    /** Marks a claimed delivery SENDING; empty (and the claim given back) when it is no longer ours to send. */
    Optional<Delivery> startSending(Delivery claimed, Instant now) {
        Delivery sending = claimed.startSending(now);
        if (fencedUpdate(sending)) {
            return Optional.of(sending);
        }
        giveBack(claimed.release(claimed.dueAt(), now)); // not ours to send any more: never left in our hands
        return Optional.empty();
    }

    /** Cancels a claimed delivery that must not go out; without the lease the claim is given back to the next owner. */
    void cancel(Delivery claimed, String reason, Instant now) {
        Delivery cancelled = claimed.cancel(reason, now);
        if (!fencedUpdate(cancelled)) {
            giveBack(claimed.release(claimed.dueAt(), now)); // the next owner decides
            return;
        }
        ctx.metrics().cancelled(account);
        ctx.events().publish(new WaschedEvent.DeliveryCancelled(cancelled, reason, now));
    }

    /** Gives a claim back to the queue, due at {@code due} when that is later than it was. */
    void release(Delivery claimed, Instant due, Instant now) {
        Delivery back = claimed.release(due != null && due.isAfter(claimed.dueAt()) ? due : claimed.dueAt(), now);
        if (!giveBack(back)) {
            log.debug("account {}: delivery {} changed before it could be released", account, claimed.id());
        }
    }

    /**
     * Takes back a claim or send nobody works on any more, under {@code lease}: a claim goes back to PENDING, a send
     * in flight becomes UNCERTAIN (never blindly resent). For this instance's own work ({@code own}) the write falls
     * back to the version alone, as {@link #giveBack} does: the lease may have lapsed while a broken batch was taken
     * back, and the heartbeat that takes it again leaves this instance's claims to its dispatcher; had another owner
     * taken the delivery over, its version no longer matches. Other instances' work is only ever taken under the lease.
     */
    boolean takeBack(Delivery d, String whyUncertain, Lease lease, boolean own) {
        Instant now = ctx.now();
        Delivery next = d.status() == DeliveryStatus.SENDING ? d.uncertain(whyUncertain, now) : d.release(d.dueAt(), now);
        if (!deliveries.update(next, lease) && !(own && deliveries.update(next))) {
            return false;
        }
        if (next.status() == DeliveryStatus.UNCERTAIN) {
            log.warn("delivery {} is UNCERTAIN: {}", d.id(), whyUncertain);
            uncertainRecorded.incrementAndGet();
            ctx.events().publish(new WaschedEvent.DeliveryUncertain(next, now));
        }
        return true;
    }

    // ---- outcomes of a send ---------------------------------------------------------------------------------

    /** Stores the send marker or the message id the transport reported before confirming; false when refused. */
    boolean recordEvidence(Delivery sending, String marker, String messageId) {
        return deliveries.recordEvidence(sending.id(), sending.version(), marker, messageId);
    }

    /** Records a confirmed send; the receipt is proof, so it is recorded by version when the lease was lost. */
    void sent(Delivery sending, SendReceipt receipt, Instant now) {
        Delivery done = sending.sent(receipt.messageId(), receipt.sentAt(), now);
        if (fencedUpdate(done)) {
            log.atDebug().addKeyValue("deliveryId", sending.id()).addKeyValue("scheduleId", sending.scheduleId())
                    .addKeyValue("account", account).addKeyValue("attempt", sending.attempts()).log("delivery sent");
            ctx.events().publish(new WaschedEvent.DeliverySent(done, now));
            applyHeldAck(receipt.messageId(), now);
        } else {
            settleAfterLostLease(sending, receipt, now);
        }
    }

    /**
     * The message went out but SENT could not be recorded under our lease (it lapsed, and the delivery may have been
     * taken back as UNCERTAIN): the receipt is proof, so it is recorded without the fence, by version.
     */
    private void settleAfterLostLease(Delivery sending, SendReceipt receipt, Instant now) {
        Optional<Delivery> current = deliveries.findById(sending.id());
        if (current.isPresent() && (current.get().status() == DeliveryStatus.UNCERTAIN
                || current.get().status() == DeliveryStatus.SENDING)) {
            Delivery d = current.get();
            Delivery settled = d.status() == DeliveryStatus.SENDING
                    ? d.sent(receipt.messageId(), receipt.sentAt(), now)
                    : d.settledAsSent(receipt.messageId(), receipt.sentAt(), now);
            if (deliveries.update(settled)) {
                ctx.events().publish(new WaschedEvent.DeliverySent(settled, now));
                applyHeldAck(receipt.messageId(), now);
                return;
            }
        }
        log.error("delivery {} was sent but its record had changed ({}); check it by hand", sending.id(),
                current.map(Delivery::status).orElse(null));
    }

    /** A send known not to have happened goes back to the queue, due now; false when that was not recorded. */
    boolean returnUnsent(Delivery sending, String reason, Instant now) {
        if (giveBack(sending.returnUnsent(reason, now, now))) {
            return true;
        }
        log.warn("delivery {} changed concurrently; its return to the queue was not recorded", sending.id());
        return false;
    }

    /** Records a failed attempt as a retry or as dead; returns which ("retry" or "dead"). */
    String failed(Delivery sending, String error, boolean permanent) {
        Instant now = ctx.now();
        String reason = error == null ? "unknown error" : error;
        if (!permanent && ctx.config().retry().hasAttemptsLeft(sending.attempts())) {
            Instant retryAt = now.plus(ctx.config().retry().delayAfter(sending.attempts(), ctx.random()));
            Delivery retry = sending.retryLater(reason, retryAt, now);
            if (giveBack(retry)) {
                log.atDebug().addKeyValue("deliveryId", sending.id()).addKeyValue("account", account)
                        .addKeyValue("attempt", sending.attempts()).addKeyValue("retryAt", retryAt)
                        .log("delivery failed, will retry: {}", retry.lastError());
                ctx.events().publish(new WaschedEvent.DeliveryRetryScheduled(retry, retry.lastError(), now));
            }
            return "retry";
        }
        String why = permanent ? reason : "gave up after " + sending.attempts() + " attempt(s): " + reason;
        Delivery dead = sending.dead(why, now);
        if (update(dead)) {
            log.atWarn().addKeyValue("deliveryId", sending.id()).addKeyValue("scheduleId", sending.scheduleId())
                    .addKeyValue("account", account).addKeyValue("attempt", sending.attempts())
                    .log("delivery moved to the dead-letter queue: {}", dead.lastError());
            ctx.events().publish(new WaschedEvent.DeliveryDead(dead, dead.lastError(), now));
        }
        return "dead";
    }

    /** A send whose outcome is unknown: UNCERTAIN, never tried again unless a lookup or a person settles it. */
    void uncertain(Delivery sending, String why) {
        Instant now = ctx.now();
        Delivery uncertain = sending.uncertain(why, now);
        if (update(uncertain)) {
            log.warn("account {}: delivery {} is UNCERTAIN ({}); it is not sent again unless a lookup or a person"
                    + " settles it", account, uncertain.id(), ErrorText.clean(why));
            uncertainRecorded.incrementAndGet();
            ctx.events().publish(new WaschedEvent.DeliveryUncertain(uncertain, now));
        }
    }

    /** An UNCERTAIN delivery the transport found in the chat: SENT. */
    void foundSent(Delivery uncertain, SendReceipt receipt) {
        Lease held = fence.get();
        if (held == null) {
            return;
        }
        Instant at = ctx.now();
        Delivery settled = uncertain.settledAsSent(receipt.messageId(), receipt.sentAt(), at);
        if (deliveries.update(settled, held)) {
            log.info("delivery {} was UNCERTAIN and is found in the chat: SENT", uncertain.id());
            ctx.events().publish(new WaschedEvent.DeliverySent(settled, at));
            applyHeldAck(receipt.messageId(), at);
        }
    }

    // ---- acks -----------------------------------------------------------------------------------------------

    void applyAck(TransportEvent.Ack ack, Instant now) {
        if (acknowledge(ack.messageId(), ack.level(), now)) {
            return;
        }
        // The dispatcher may not have stored SENT yet. Hold the ack, then look once more: the dispatcher takes held
        // acks only after storing SENT, so one of the two sees the other.
        heldAcks.hold(ack.messageId(), ack.level());
        log.debug("account {}: ack for message {} not known yet; held", account, ack.messageId());
        if (deliveries.findByTransportMessageId(account, ack.messageId())
                .filter(d -> d.status().isSent()).isPresent()) {
            applyHeldAck(ack.messageId(), now);
        }
    }

    /**
     * Applies the ack held for {@code messageId}, if any; called once a delivery with that id is stored as sent. A
     * failure here is logged, never mistaken for a failed send.
     */
    private void applyHeldAck(String messageId, Instant now) {
        try {
            heldAcks.take(messageId).ifPresent(level -> acknowledge(messageId, level, now));
        } catch (RuntimeException e) {
            log.warn("account {}: held ack for message {} not applied: {}", account, messageId, e.toString());
        }
    }

    /** Moves the sent delivery with this message id on to {@code level}; false when no delivery has the id. */
    private boolean acknowledge(String messageId, DeliveryStatus level, Instant now) {
        for (int i = 0; i < 5; i++) {
            Optional<Delivery> found = deliveries.findByTransportMessageId(account, messageId);
            if (found.isEmpty()) {
                return false;
            }
            Delivery d = found.get();
            if (!d.status().isSent()) {
                // Still SENDING with the id the transport reported early: the dispatcher stores SENT next, so the
                // ack is held for it. In any other state it is dropped.
                return d.status() != DeliveryStatus.SENDING;
            }
            Delivery acked = d.acknowledged(level, now);
            Lease held = fence.get();
            if (acked != d && held == null) {
                return true; // the transport is going away with the lease: the next owner's acks will do
            }
            if (acked == d || deliveries.update(acked, held)) {
                if (acked != d) {
                    ctx.events().publish(new WaschedEvent.DeliveryAcknowledged(acked, now));
                }
                return true;
            }
        }
        return true;
    }

    // ---- writes ---------------------------------------------------------------------------------------------

    /**
     * Writes a transition under the session lease held now. That is the lease the work was claimed under, or this
     * instance's own new epoch after a lapse nobody else used (then nothing else touched the account; had another
     * instance held it meanwhile, it took the work back and the version no longer matches).
     */
    private boolean fencedUpdate(Delivery d) {
        Lease held = fence.get();
        return held != null && deliveries.update(d, held);
    }

    /**
     * Records what became of this instance's own claim or send (given back unsent, retried, dead, UNCERTAIN): under
     * the lease, else by version alone. Claiming and starting a send need the lease; recording what already happened
     * does not: if the account's next owner has taken the delivery over, the version no longer matches and nothing
     * changes, and otherwise the record is the truth. Without this, work whose outcome arrived just as the lease lapsed
     * would stay in this instance's hands, or be marked UNCERTAIN although it is known not sent.
     */
    private boolean giveBack(Delivery d) {
        return fencedUpdate(d) || deliveries.update(d);
    }

    private boolean update(Delivery d) {
        boolean ok = giveBack(d);
        if (!ok) {
            log.warn("delivery {} changed concurrently or the session lease was lost; its {} was not recorded", d.id(),
                    d.status());
        }
        return ok;
    }
}
