package dev.wasched.internal.verify;

import dev.wasched.Page;
import dev.wasched.PageRequest;
import dev.wasched.WaschedException;
import dev.wasched.contact.Contact;
import dev.wasched.contact.Registration;
import dev.wasched.contact.verify.ContactSelection;
import dev.wasched.contact.verify.VerifyFailure;
import dev.wasched.contact.verify.VerifyJob;
import dev.wasched.contact.verify.VerifyOptions;
import dev.wasched.contact.verify.VerifyProgress;
import dev.wasched.contact.verify.VerifyReport;
import dev.wasched.internal.engine.AccountSession;
import dev.wasched.internal.engine.EngineContext;
import dev.wasched.internal.jobs.BackgroundJob;
import dev.wasched.spi.store.ContactRepository;
import dev.wasched.spi.transport.SessionLostException;
import dev.wasched.spi.transport.TransportException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Checks the selected contacts' numbers through the account's transport, one at a time at the job's pace, and
 * records each answer on the contact with a compare-and-set update. Pacing waits follow wasched's clock, so a test
 * with a settable clock drives the job by moving the clock; waiting for the account to be ready is in real time.
 */
public final class VerifyJobImpl extends BackgroundJob<VerifyProgress, VerifyReport> implements VerifyJob {
    private static final Logger log = LoggerFactory.getLogger(VerifyJobImpl.class);
    private static final int PAGE = 200;
    private static final int MAX_FAILURES_KEPT = 1000;
    /** A broken account should not be asked thousands of times: this many failures in a row end the job. */
    private static final int MAX_FAILURES_IN_A_ROW = 10;
    private static final int SESSION_LOSSES_PER_CONTACT = 3;
    private static final Duration READY_POLL = Duration.ofMillis(50);

    private final VerifyOptions options;
    private final AccountSession session;
    private final EngineContext ctx;
    private final ContactRepository repo;
    private final VerifyPacer pacer;
    private final List<VerifyFailure> failures = new ArrayList<>();
    private volatile State state = State.QUEUED;
    private Instant startedAt;
    private long total = -1;
    private long done;
    private long checked;
    private long registered;
    private long notRegistered;
    private long skippedRecent;
    private long failed;
    private int failuresInARow;
    private Instant waitingUntil;

    /** The job ends early, FAILED, with this error. */
    private static final class Stop extends RuntimeException {
        final WaschedException error;

        Stop(WaschedException error) {
            super(error.getMessage(), null, false, false);
            this.error = error;
        }
    }

    public VerifyJobImpl(String id, VerifyOptions options, AccountSession session, EngineContext ctx) {
        super(id, new VerifyProgress(id, State.QUEUED, 0, -1, 0, 0, 0, 0, 0, null), options.onProgress());
        this.options = options;
        this.session = session;
        this.ctx = ctx;
        this.repo = ctx.store().contacts();
        this.pacer = new VerifyPacer(ctx.store().pacing(), session.account(), options.pacing(), ctx.random());
    }

    @Override
    public State state() {
        return state;
    }

    @Override
    protected void execute() {
        startedAt = ctx.now();
        state = State.RUNNING;
        log.atInfo().addKeyValue("jobId", id()).addKeyValue("account", session.account())
                .log("registration check started for {}", describe(options.selection()));
        try {
            total = count(options.selection());
            publishNow();
            forEachSelected(this::handle);
            end(cancelled() ? State.CANCELLED : State.COMPLETED, null);
        } catch (Stop s) {
            end(cancelled() ? State.CANCELLED : State.FAILED, cancelled() ? null : s.error);
        }
    }

    @Override
    protected void abort(String reason, Throwable cause) {
        boolean cancel = cause == null && cancelled();
        end(cancel ? State.CANCELLED : State.FAILED, cancel ? null : new WaschedException("registration check stopped: " + reason, cause));
    }

    // ---- selection ---------------------------------------------------------------------------------------------

    private interface ContactStep {
        /** @return false to stop */
        boolean accept(Contact c);
    }

    private long count(ContactSelection s) {
        return switch (s.kind()) {
            case ALL -> repo.count();
            case IDS -> s.ids().size();
            case TAG -> {
                long n = 0;
                String cursor = null;
                do {
                    Page<Contact> p = repo.findByTag(s.tag(), PageRequest.after(cursor, PageRequest.MAX_LIMIT));
                    n += p.items().size();
                    cursor = p.nextCursor().orElse(null);
                } while (cursor != null && !cancelled());
                yield n;
            }
        };
    }

    /** Walks the selection page by page (ids are stable cursors while contacts change). */
    private void forEachSelected(ContactStep step) {
        ContactSelection s = options.selection();
        if (s.kind() == ContactSelection.Kind.IDS) {
            for (String id : s.ids()) {
                if (cancelled()) {
                    return;
                }
                Optional<Contact> c = repo.findById(id);
                if (c.isEmpty()) {
                    fail(id, null, "no such contact");
                    done++;
                    publishNow();
                } else if (!step.accept(c.get())) {
                    return;
                }
            }
            return;
        }
        String cursor = null;
        do {
            PageRequest req = PageRequest.after(cursor, PAGE);
            Page<Contact> page = s.kind() == ContactSelection.Kind.TAG ? repo.findByTag(s.tag(), req) : repo.list(req);
            for (Contact c : page.items()) {
                if (cancelled() || !step.accept(c)) {
                    return;
                }
            }
            cursor = page.nextCursor().orElse(null);
        } while (cursor != null);
    }

    // ---- one contact ---------------------------------------------------------------------------------------------

    private boolean handle(Contact c) {
        Instant now = ctx.now();
        Registration reg = c.registration();
        if (!options.force() && reg.checkedAt() != null
                && reg.checkedAt().isAfter(now.minus(options.recheckAfter()))) {
            skippedRecent++;
            done++;
            publishNow();
            return true;
        }
        for (Optional<Instant> wait = pacer.reserve(now); wait.isPresent(); wait = pacer.reserve(ctx.now())) {
            waitingUntil = wait.get();
            publishNow();
            boolean goOn = sleepUntil(ctx.clock(), wait.get());
            waitingUntil = null;
            if (!goOn) {
                return false;
            }
        }
        for (int losses = 0; ; losses++) {
            if (!awaitReady()) {
                return false;
            }
            try {
                boolean on = session.withTransport(t -> t.isRegistered(c.phone()));
                record(c, on);
                failuresInARow = 0;
                break;
            } catch (SessionLostException e) {
                if (losses + 1 >= SESSION_LOSSES_PER_CONTACT) {
                        failCheck(c, "session lost: " + e.getMessage());
                    break;
                }
                // wait for the account to come back, then ask again
            } catch (TransportException e) {
                failCheck(c, e.getMessage());
                break;
            } catch (RuntimeException e) {
                failCheck(c, "unexpected " + e.getClass().getSimpleName() + ": " + e.getMessage());
                break;
            }
        }
        done++;
        publishNow();
        return true;
    }

    private void failCheck(Contact c, String reason) {
        fail(c.id(), c.phone().e164(), reason);
        if (++failuresInARow >= MAX_FAILURES_IN_A_ROW) {
            done++; // this contact is handled: the report's counts still add up
            throw new Stop(new WaschedException(MAX_FAILURES_IN_A_ROW + " checks in a row failed on account '"
                    + session.account() + "'; last: " + reason));
        }
    }

    /** Waits (real time) until the account can be used here; false when cancelled. */
    private boolean awaitReady() {
        long deadline = System.nanoTime() + options.readyTimeout().toNanos();
        while (!session.ready()) {
            if (cancelled()) {
                return false;
            }
            if (System.nanoTime() - deadline >= 0) {
                var status = session.status();
                throw new Stop(new WaschedException("account '" + session.account() + "' was not ready on this instance "
                        + "within " + options.readyTimeout() + " (state " + status.state()
                        + (status.owner() != null ? ", owner " + status.owner() : ", no owner")
                        + (session.owned() ? "" : "; the check must run on the instance that owns the account") + ")"));
            }
            if (!pause(READY_POLL)) {
                return false;
            }
        }
        return true;
    }

    /** Stores the answer on the contact (compare-and-set), unless its number changed or it was deleted meanwhile. */
    private void record(Contact checkedContact, boolean on) {
        for (int round = 0; round < 10; round++) {
            Optional<Contact> current = repo.findById(checkedContact.id());
            if (current.isEmpty()) {
                fail(checkedContact.id(), checkedContact.phone().e164(), "the contact was deleted during the check");
                return;
            }
            Contact c = current.get();
            if (!c.phone().equals(checkedContact.phone())) {
                fail(c.id(), checkedContact.phone().e164(), "the contact's number changed during the check");
                return;
            }
            Instant now = ctx.now();
            if (repo.update(c.withRegistration(Registration.checked(on, now), now))) {
                checked++;
                if (on) {
                    registered++;
                } else {
                    notRegistered++;
                }
                return;
            }
        }
        fail(checkedContact.id(), checkedContact.phone().e164(), "the contact kept changing concurrently");
    }

    private void fail(String contactId, String phone, String reason) {
        failed++;
        synchronized (failures) {
            if (failures.size() < MAX_FAILURES_KEPT) {
                failures.add(new VerifyFailure(contactId, phone, reason));
            }
        }
    }

    // ---- reporting -----------------------------------------------------------------------------------------------

    private void publishNow() {
        publish(new VerifyProgress(id(), state, done, total, checked, registered, notRegistered, skippedRecent, failed,
                waitingUntil));
    }

    private synchronized void end(State end, WaschedException error) {
        if (finished()) {
            return;
        }
        state = end;
        waitingUntil = null;
        publishNow();
        Instant now = ctx.now();
        List<VerifyFailure> kept;
        synchronized (failures) {
            kept = List.copyOf(failures);
        }
        VerifyReport report = new VerifyReport(id(), session.account(), end, startedAt == null ? now : startedAt, now,
                done, checked, registered, notRegistered, skippedRecent, failed, kept, error);
        log.atInfo().addKeyValue("jobId", id()).addKeyValue("account", session.account())
                .log("registration check {}", report.summary());
        finish(report);
    }

    private static String describe(ContactSelection s) {
        return switch (s.kind()) {
            case ALL -> "all contacts";
            case TAG -> "contacts tagged '" + s.tag() + "'";
            case IDS -> s.ids().size() + " contact(s)";
        };
    }

    @Override
    public String toString() {
        return "VerifyJob[" + id() + ", " + state + "]";
    }
}
