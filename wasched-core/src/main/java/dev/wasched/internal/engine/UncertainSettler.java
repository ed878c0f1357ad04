package dev.wasched.internal.engine;

import dev.wasched.Page;
import dev.wasched.PageRequest;
import dev.wasched.delivery.Delivery;
import dev.wasched.delivery.DeliveryQuery;
import dev.wasched.delivery.DeliveryStatus;
import dev.wasched.spi.store.WaschedStore;
import dev.wasched.spi.transport.LookupResult;
import dev.wasched.spi.transport.OutgoingMessage;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Settles one account's UNCERTAIN deliveries with proof from the transport: a message found in the chat makes its
 * delivery SENT; anything else waits for a person. Runs on the account's dispatch thread, so lookups never hold up
 * lease renewal.
 */
final class UncertainSettler {
    private static final Logger log = LoggerFactory.getLogger(UncertainSettler.class);
    private static final int LOOKUPS_PER_PASS = 20;
    private static final int READ_PER_PASS = 100;

    private final String account;
    private final EngineContext ctx;
    private final WaschedStore store;
    private final AccountSession session;
    private final DeliveryLedger ledger;
    private final UncertainLookups lookups = new UncertainLookups();
    private Instant nextPassAt = Instant.EPOCH;
    /** Whether the last pass saw UNCERTAIN deliveries, which later passes may settle. */
    private boolean sawAny = true;
    /** {@link DeliveryLedger#uncertainRecorded()} at the last pass. */
    private long recordedAtLastPass = -1;

    UncertainSettler(String account, EngineContext ctx, AccountSession session, DeliveryLedger ledger) {
        this.account = account;
        this.ctx = ctx;
        this.store = ctx.store();
        this.session = session;
        this.ledger = ledger;
    }

    /**
     * Asks the transport whether UNCERTAIN deliveries went out, at most once per heartbeat interval. Each pass reads
     * one page of them (going on where the last pass stopped) and makes a bounded number of lookups. A delivery is
     * asked about once when the transport answers; when it cannot tell, again after a growing pause.
     */
    void settleIfDue() {
        Instant now = ctx.now();
        if (now.isBefore(nextPassAt) || !session.ready() || session.transport() == null) {
            return;
        }
        nextPassAt = now.plus(ctx.config().heartbeatInterval());
        recordedAtLastPass = ledger.uncertainRecorded();
        DeliveryQuery q = DeliveryQuery.status(DeliveryStatus.UNCERTAIN).forAccount(account);
        Page<Delivery> page = store.deliveries().history(q, new PageRequest(lookups.cursor(), READ_PER_PASS));
        sawAny = !page.items().isEmpty() || lookups.cursor() != null;
        int made = 0;
        for (Delivery d : page.items()) {
            if (made == LOOKUPS_PER_PASS || !session.ready()) {
                return; // the cursor points at the last delivery seen: the next pass goes on from there
            }
            if (lookups.due(d, now)) {
                made++;
                lookUp(d);
            }
            lookups.continueAfter(d.id());
        }
        page.nextCursor().ifPresentOrElse(lookups::continueAfter, lookups::startOver);
    }

    /**
     * When the next pass has something to do: null when the last pass saw no UNCERTAIN delivery and none was recorded
     * since, so an idle account is not woken for nothing.
     */
    Instant nextPassWanted() {
        return sawAny || ledger.uncertainRecorded() != recordedAtLastPass ? nextPassAt : null;
    }

    /** A found message proves this delivery only when no other delivery of the account already has its id. */
    private boolean provenFor(Delivery d, String messageId) {
        return store.deliveries().findByTransportMessageId(account, messageId)
                .map(other -> other.id().equals(d.id())).orElse(true);
    }

    private void lookUp(Delivery d) {
        if (session.lease() == null) {
            return;
        }
        try {
            byte[] media = d.content().hasMedia() ? store.media().get(d.content().media().sha256()).orElse(null) : null;
            if (d.content().hasMedia() && media == null) {
                log.info("delivery {} is UNCERTAIN and its media is missing from the store: not looked up", d.id());
                lookups.answered(d);
                return;
            }
            OutgoingMessage probe = new OutgoingMessage(d.id(), account, d.recipient(), d.content(), media, false,
                    d.transportMessageId(), d.sendMarker());
            LookupResult result = session.withTransport(tr -> tr.lookup(probe));
            if (result instanceof LookupResult.Found found && !provenFor(d, found.receipt().messageId())) {
                result = new LookupResult.Unknown("the message found belongs to another delivery");
            }
            if (result instanceof LookupResult.Unknown unknown) {
                Instant retryAt = lookups.unanswered(d, ctx.now());
                log.debug("lookup of delivery {} could not tell ({}); asking again at {}", d.id(), unknown.reason(), retryAt);
                return;
            }
            lookups.answered(d);
            if (result instanceof LookupResult.Found found) {
                ledger.foundSent(d, found.receipt());
            } else {
                log.info("delivery {} is UNCERTAIN and not in the chat; it waits for a requeue or to be left", d.id());
            }
        } catch (Exception e) {
            Instant retryAt = lookups.unanswered(d, ctx.now());
            log.debug("lookup of delivery {} failed ({}); asking again at {}", d.id(), e.toString(), retryAt);
        }
    }
}
