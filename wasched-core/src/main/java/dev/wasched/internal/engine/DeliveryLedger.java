package dev.wasched.internal.engine;

import dev.wasched.delivery.Delivery;
import dev.wasched.delivery.DeliveryStatus;
import dev.wasched.event.WaschedEvent;
import dev.wasched.internal.redact.ErrorText;
import dev.wasched.spi.store.DeliveryRepository;
import dev.wasched.spi.store.Lease;
import dev.wasched.spi.transport.SendReceipt;
import dev.wasched.spi.transport.TransportEvent;
import dev.wasched.spi.store.DispatchCycle;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every state change of one account's deliveries made by the engine: each method writes the transition and
 * publishes its event, counts its metric and logs it, so no path can store a change and forget the rest.
 *
 * <p>The outcomes of the dispatcher's own sends (sent, retry, dead, UNCERTAIN, not started) are queued, not written
 * at once: the next dispatch cycle writes them together with its claim, in one round trip ({@link #outcomes()},
 * {@link #written}); their event, log and metric follow the write. Everything else is written at once, fenced by the
 * account's session lease held at the time of the call.
 */
final class DeliveryLedger {
    private static final Logger log = LoggerFactory.getLogger(DeliveryLedger.class);

    private final String account;
    private final EngineContext ctx;
    private final DeliveryRepository deliveries;
    private final Supplier<Lease> fence;
    private final HeldAcks heldAcks;
    private final AtomicLong uncertainRecorded = new AtomicLong();
    /** Outcomes waiting for the next dispatch cycle, oldest first; guarded by itself. */
    private final List<Queued> queued = new ArrayList<>();

    /** An outcome to write, what follows once it is written, and what to do should its version have moved on. */
    private record Queued(Delivery next, Consumer<Instant> onWritten, Consumer<Instant> onRefused) {
    }

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

    /** Publishes a due delivery a dispatch cycle cancelled instead of claiming it. */
    void cancelled(Delivery cancelled, Instant now) {
        ctx.metrics().cancelled(account);
        ctx.events().publish(new WaschedEvent.DeliveryCancelled(cancelled, cancelled.lastError(), now));
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

    /**
     * Queues a confirmed send. The receipt is proof: should the delivery have been taken back meanwhile (UNCERTAIN
     * after a lapsed lease), it is settled as SENT.
     */
    void sent(Delivery sending, SendReceipt receipt, Instant now) {
        Delivery done = sending.sent(receipt.messageId(), receipt.sentAt(), now);
        queue(done, at -> {
            log.atDebug().addKeyValue("deliveryId", sending.id()).addKeyValue("scheduleId", sending.scheduleId())
                    .addKeyValue("account", account).addKeyValue("attempt", sending.attempts()).log("delivery sent");
            ctx.events().publish(new WaschedEvent.DeliverySent(done, at));
            applyHeldAck(receipt.messageId(), at);
        }, at -> settleAfterLostLease(sending, receipt, at));
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

    /** Queues a send known not to have happened (the session was not usable): back to the queue, due now. */
    void returnUnsent(Delivery sending, String reason, Instant now) {
        queue(sending.returnUnsent(reason, now, now), at -> { }, at -> log.warn(
                "delivery {} changed concurrently; its return to the queue was not recorded", sending.id()));
    }

    /**
     * Returns a send known not to have happened (the store failed while its failure was recorded) at once, under the
     * lease or by version; false when that was not recorded.
     */
    boolean returnUnsentNow(Delivery sending, String reason, Instant now) {
        return giveBack(sending.returnUnsent(reason, now, now));
    }

    /**
     * Queues a delivery claimed into SENDING that was never handed to the transport (quiet hours, a cap, the circuit,
     * pacing, shutdown): back to PENDING without using up an attempt, due at {@code due} when that is later.
     */
    void notStarted(Delivery sending, Instant due, Instant now) {
        Instant at = due != null && due.isAfter(sending.dueAt()) ? due : sending.dueAt();
        queue(sending.notStarted(at, now), t -> { }, t -> log.debug(
                "account {}: delivery {} changed before it could be given back", account, sending.id()));
    }

    /** Queues the cancellation of a claim never handed to the transport whose occurrence expired. */
    void expired(Delivery sending, String reason, Instant now) {
        Delivery cancelled = sending.cancelUnstarted(reason, now);
        queue(cancelled, at -> cancelled(cancelled, at), at -> notRecorded(cancelled));
    }

    /** Queues a failed attempt as a retry or as dead; returns which ("retry" or "dead"). */
    String failed(Delivery sending, String error, boolean permanent) {
        Instant now = ctx.now();
        String reason = error == null ? "unknown error" : error;
        if (!permanent && ctx.config().retry().hasAttemptsLeft(sending.attempts())) {
            Instant retryAt = now.plus(ctx.config().retry().delayAfter(sending.attempts(), ctx.random()));
            Delivery retry = sending.retryLater(reason, retryAt, now);
            queue(retry, at -> {
                log.atDebug().addKeyValue("deliveryId", sending.id()).addKeyValue("account", account)
                        .addKeyValue("attempt", sending.attempts()).addKeyValue("retryAt", retryAt)
                        .log("delivery failed, will retry: {}", retry.lastError());
                ctx.events().publish(new WaschedEvent.DeliveryRetryScheduled(retry, retry.lastError(), at));
            }, at -> notRecorded(retry));
            return "retry";
        }
        String why = permanent ? reason : "gave up after " + sending.attempts() + " attempt(s): " + reason;
        Delivery dead = sending.dead(why, now);
        queue(dead, at -> {
            log.atWarn().addKeyValue("deliveryId", sending.id()).addKeyValue("scheduleId", sending.scheduleId())
                    .addKeyValue("account", account).addKeyValue("attempt", sending.attempts())
                    .log("delivery moved to the dead-letter queue: {}", dead.lastError());
            ctx.events().publish(new WaschedEvent.DeliveryDead(dead, dead.lastError(), at));
        }, at -> notRecorded(dead));
        return "dead";
    }

    /** Queues a send whose outcome is unknown: UNCERTAIN, never tried again unless a lookup or a person settles it. */
    void uncertain(Delivery sending, String why) {
        Delivery uncertain = sending.uncertain(why, ctx.now());
        queue(uncertain, at -> {
            log.warn("account {}: delivery {} is UNCERTAIN ({}); it is not sent again unless a lookup or a person"
                    + " settles it", account, uncertain.id(), ErrorText.clean(why));
            uncertainRecorded.incrementAndGet();
            ctx.events().publish(new WaschedEvent.DeliveryUncertain(uncertain, at));
        }, at -> notRecorded(uncertain));
    }

    // ---- the queue of outcomes ------------------------------------------------------------------------------

    private void queue(Delivery next, Consumer<Instant> onWritten, Consumer<Instant> onRefused) {
        synchronized (queued) {
            queued.add(new Queued(next, onWritten, onRefused));
        }
    }

    /** The outcomes waiting to be written, oldest first. */
    List<Delivery> outcomes() {
        synchronized (queued) {
            return queued.stream().map(Queued::next).toList();
        }
    }

    boolean hasOutcomes() {
        synchronized (queued) {
            return !queued.isEmpty();
        }
    }

    /** Whether an outcome of this delivery waits to be written. */
    boolean isQueued(String deliveryId) {
        synchronized (queued) {
            return queued.stream().anyMatch(q -> q.next().id().equals(deliveryId));
        }
    }

    /**
     * Takes note of a dispatch cycle's writes: each written outcome leaves the queue and is published; a refused one
     * leaves it too, unless it turns out stored after all (the answer to an earlier cycle was lost after its commit),
     * and is then handled as written.
     */
    void written(DispatchCycle.Result result, Instant now) {
        for (Delivery d : result.recorded()) {
            take(d).ifPresent(q -> q.onWritten().accept(now));
        }
        for (Delivery d : result.notRecorded()) {
            Optional<Queued> q = take(d);
            if (q.isEmpty()) {
                continue;
            }
            boolean storedAlready = deliveries.findById(d.id())
                    .filter(s -> s.version() == d.version() && s.status() == d.status()).isPresent();
            (storedAlready ? q.get().onWritten() : q.get().onRefused()).accept(now);
        }
        for (Delivery c : result.cancelled()) {
            cancelled(c, now);
        }
    }

    private Optional<Queued> take(Delivery d) {
        synchronized (queued) {
            for (Iterator<Queued> it = queued.iterator(); it.hasNext(); ) {
                Queued q = it.next();
                if (q.next().id().equals(d.id()) && q.next().version() == d.version()) {
                    it.remove();
                    return Optional.of(q);
                }
            }
        }
        return Optional.empty();
    }

    private void notRecorded(Delivery d) {
        log.warn("delivery {} changed concurrently or was taken over; its {} was not recorded", d.id(), d.status());
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
     * A message the network accepted and later gave up on: its SENT delivery becomes DEAD, with the network's error.
     * One already delivered or read stays as it is; one not stored as SENT yet is left to the transport's lookups.
     */
    void applyUndelivered(TransportEvent.Undelivered event, Instant now) {
        for (int i = 0; i < 5; i++) {
            Optional<Delivery> found = deliveries.findByTransportMessageId(account, event.messageId());
            if (found.isEmpty() || found.get().status() != DeliveryStatus.SENT) {
                log.info("account {}: message {} reported undelivered ({}); its delivery is {}", account,
                        event.messageId(), event.error(), found.map(d -> d.status().name()).orElse("not known"));
                return;
            }
            Delivery dead = found.get().undelivered(event.error(), now);
            Lease held = fence.get();
            if (held == null) {
                return; // the transport is going away with the lease
            }
            if (deliveries.update(dead, held)) {
                log.warn("account {}: delivery {} was accepted and then not delivered: {}", account, dead.id(),
                        event.error());
                ctx.events().publish(new WaschedEvent.DeliveryDead(dead, event.error(), now));
                return;
            }
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

}
