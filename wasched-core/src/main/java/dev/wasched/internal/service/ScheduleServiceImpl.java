package dev.wasched.internal.service;

import dev.wasched.ConcurrentUpdateException;
import dev.wasched.NotFoundException;
import dev.wasched.Page;
import dev.wasched.PageRequest;
import dev.wasched.ValidationException;
import dev.wasched.contact.Contact;
import dev.wasched.delivery.Delivery;
import dev.wasched.internal.engine.ContactDates;
import dev.wasched.internal.engine.EngineContext;
import dev.wasched.internal.engine.FanOut;
import dev.wasched.internal.engine.MessageRenderer;
import dev.wasched.internal.engine.Wakeups;
import dev.wasched.schedule.Schedule;
import dev.wasched.schedule.ScheduleService;
import dev.wasched.schedule.ScheduleSpec;
import dev.wasched.schedule.Target;
import dev.wasched.schedule.Trigger;
import dev.wasched.spi.store.ScheduleRepository;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

public final class ScheduleServiceImpl implements ScheduleService {
    private static final Logger log = LoggerFactory.getLogger(ScheduleServiceImpl.class);
    /** Attempts of an edit that meets concurrent changes or a fan-out in progress (about two seconds in all). */
    private static final int EDIT_ROUNDS = 80;
    private static final long EDIT_PAUSE_MILLIS = 25;
    /** PENDING deliveries of a schedule read by an edit (the look-ahead makes at most an hour's worth). */
    private static final int EDIT_SCAN = 100_000;

    private final EngineContext ctx;
    private final ScheduleRepository repo;
    private final MessageRenderer renderer;
    private final DeliveryCancellation cancellation;
    private final Wakeups wakeups;
    private final FanOut fanOut;
    private final java.util.function.Predicate<String> accountRegistered;

    /** @param accountRegistered whether schedules may name an account (registered and not removed) */
    public ScheduleServiceImpl(EngineContext ctx, MessageRenderer renderer, DeliveryCancellation cancellation,
                               Wakeups wakeups, FanOut fanOut, java.util.function.Predicate<String> accountRegistered) {
        this.ctx = ctx;
        this.accountRegistered = accountRegistered;
        this.fanOut = fanOut;
        this.repo = ctx.store().schedules();
        this.renderer = renderer;
        this.cancellation = cancellation;
        this.wakeups = wakeups;
    }

    @Override
    public Schedule create(ScheduleSpec spec) {
        Instant now = ctx.now();
        Map<String, Contact> read = check(spec);
        Trigger trigger = spec.trigger() instanceof Trigger.Every every ? every.anchoredAt(now) : spec.trigger();
        Instant first = trigger.first(now).orElse(null);
        if (first == null || (spec.endAt() != null && first.isAfter(spec.endAt()))) {
            throw neverFires(spec);
        }
        Schedule s = Schedule.builder().id(ctx.ids().next()).name(spec.name()).account(spec.account())
                .target(spec.target()).message(spec.message()).trigger(trigger).misfire(spec.misfire())
                .endAt(spec.endAt()).maxRuns(spec.maxRuns()).nextFireAt(first).createdAt(now).updatedAt(now).version(1)
                .accounts(spec.accounts()).build();
        if (trigger instanceof Trigger.Once
                && (spec.target() instanceof Target.Contacts || spec.target() instanceof Target.Number)) {
            // Its recipients are known now: a message due soon need not wait for the scheduler's next turn.
            Map<String, Instant> due = fanOut.insert(s, read);
            due.forEach(wakeups::deliveriesDue);
            if (due.isEmpty()) {
                wakeups.schedulesChanged(); // not written whole: the scheduler fans it out
            }
        } else {
            repo.insert(s);
            wakeups.schedulesChanged();
        }
        ContactDates.reportUnreadable(ctx.store(), s);
        return s;
    }

    private static ValidationException neverFires(ScheduleSpec spec) {
        return new ValidationException("trigger", "never fires"
                + (spec.endAt() != null ? " before endAt " + spec.endAt() : ""));
    }

    /**
     * The checks of a new or edited schedule: the template and media exist, listed contacts exist and placeholders
     * resolve for them, or for the schedule's own values where recipients are known only at fire time.
     *
     * @return the listed contacts as read, by id
     */
    private Map<String, Contact> check(ScheduleSpec spec) {
        for (String account : spec.accounts()) {
            if (!accountRegistered.test(account)) {
                throw new dev.wasched.account.UnknownAccountException(account);
            }
        }
        String body = renderer.body(spec.message());
        if (spec.message().media() != null && ctx.store().media().get(spec.message().media().sha256()).isEmpty()) {
            throw new NotFoundException("media", spec.message().media().sha256());
        }
        Map<String, Contact> read = new HashMap<>();
        if (spec.target() instanceof Target.Contacts listed) {
            for (String id : listed.contactIds()) {
                Contact c = ctx.store().contacts().findById(id).orElseThrow(() -> new NotFoundException("contact", id));
                Map<String, String> vars = new HashMap<>(c.templateVariables());
                if (spec.trigger() instanceof Trigger.YearlyOn) {
                    vars.putIfAbsent("years", "0"); // known per occurrence, when the date has its year
                }
                renderer.render(spec.message(), body, vars);
                read.put(id, c);
            }
        } else if (spec.message().templateName() != null || spec.message().text() != null) {
            // Tag and group recipients are known only at fire time; at least the schedule's own values must resolve
            // every placeholder that is not a contact value.
            checkScheduleValues(spec, body);
        }
        return read;
    }

    private void checkScheduleValues(ScheduleSpec spec, String body) {
        Map<String, String> probe = new HashMap<>();
        for (String v : dev.wasched.message.Template.variables(body)) {
            probe.put(v, "");
        }
        spec.message().variables().keySet().forEach(probe::remove);
        if (spec.target() instanceof Target.Number) {
            probe.remove("phone");
        }
        // Whatever is left must come from the contact; group and number targets have no contact to supply it.
        if ((spec.target() instanceof Target.Group || spec.target() instanceof Target.Number) && !probe.isEmpty()) {
            throw new dev.wasched.message.MissingTemplateVariableException(
                    spec.message().templateName() != null ? spec.message().templateName() : "inline text",
                    probe.keySet().iterator().next());
        }
    }

    @Override
    public Schedule get(String id) {
        return Retries.orNotFound(id == null ? Optional.empty() : repo.findById(id), "schedule", id);
    }

    @Override
    public Schedule update(String id, ScheduleSpec spec) {
        check(spec);
        for (int round = 0; round < EDIT_ROUNDS; round++) {
            Schedule current = get(id);
            Optional<Schedule> edited = fanningOut(current) ? Optional.empty() : edit(current, spec);
            if (edited.isPresent()) {
                return edited.get();
            }
            if (!pause()) {
                break;
            }
        }
        throw new ConcurrentUpdateException("schedule", id);
    }

    @Override
    public Schedule update(String id, long expectedVersion, ScheduleSpec spec) {
        check(spec);
        Schedule current = get(id);
        if (current.version() != expectedVersion || fanningOut(current)) {
            throw new ConcurrentUpdateException("schedule", id);
        }
        return edit(current, spec).orElseThrow(() -> new ConcurrentUpdateException("schedule", id));
    }

    /**
     * Whether an engine holds the schedule's lease, so is making its deliveries right now. An edit waits for it: a
     * store without transactions inserts a fan-out's deliveries before it finds the schedule changed, and those would
     * keep the old text under keys the edit's own fan-out then skips.
     */
    private boolean fanningOut(Schedule s) {
        return s.leaseOwner() != null && s.leaseUntil() != null && s.leaseUntil().isAfter(ctx.now());
    }

    /** A short wait before the next attempt; false when the thread was interrupted (the edit then gives up). */
    private static boolean pause() {
        try {
            Thread.sleep(EDIT_PAUSE_MILLIS);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /**
     * One attempt at an edit of {@code current}: its PENDING deliveries of occurrences not yet due are replaced (the
     * scheduler makes them again from the edited schedule), and the runs they counted are given back.
     */
    private Optional<Schedule> edit(Schedule current, ScheduleSpec spec) {
        Instant now = ctx.now();
        List<Delivery> ahead = new ArrayList<>();
        for (Delivery d : ctx.store().deliveries().findPending(current.id(), null, EDIT_SCAN)) {
            if (d.fireAt().isAfter(now)) {
                ahead.add(d);
            }
        }
        TreeSet<Instant> replaced = new TreeSet<>();
        ahead.forEach(d -> replaced.add(d.fireAt()));
        long runs = Math.max(0, current.runs() - replaced.size());
        Trigger trigger = keptTrigger(current.trigger(), spec.trigger(), now);
        Instant next;
        if (trigger.equals(current.trigger())) {
            // The same occurrences: go on from the first one replaced, or from where the schedule was.
            next = replaced.isEmpty() ? current.nextFireAt() : replaced.first();
        } else if (runs == 0) {
            next = trigger.first(now).orElse(null);
        } else {
            next = trigger instanceof Trigger.Once ? null : trigger.nextAfter(now).orElse(null);
        }
        if (next != null && ((spec.endAt() != null && next.isAfter(spec.endAt()))
                || (spec.maxRuns() > 0 && runs >= spec.maxRuns()))) {
            next = null;
        }
        if (next == null && runs == 0 && (current.nextFireAt() != null || !replaced.isEmpty())) {
            throw neverFires(spec); // it would have fired, and the edit stops that: refused as on create
        }
        Schedule edited = current.edited(spec, trigger, next, runs, now);
        Optional<List<Delivery>> removed = ctx.store().editSchedule(edited, ahead);
        if (removed.isEmpty()) {
            return Optional.empty();
        }
        log.info("schedule {} edited: {} pending delivery(ies) of occurrences not yet due replaced", current.id(),
                removed.get().size());
        wakeups.schedulesChanged();
        ContactDates.reportUnreadable(ctx.store(), edited);
        return Optional.of(edited);
    }

    /**
     * The trigger to store: an {@code every(interval)} without a start keeps the schedule's start when the interval is
     * the same (else it counts from now, as on create); any other trigger as given.
     */
    private static Trigger keptTrigger(Trigger current, Trigger wanted, Instant now) {
        if (wanted instanceof Trigger.Every every && every.start() == null) {
            return current instanceof Trigger.Every was && was.interval().equals(every.interval())
                    ? was : every.anchoredAt(now);
        }
        return wanted;
    }

    @Override
    public Page<Schedule> list(PageRequest page) {
        return repo.list(page);
    }

    @Override
    public Schedule pause(String id) {
        Schedule s = Retries.casLoop("schedule", id, () -> get(id),
                x -> x.withPaused(true, x.nextFireAt(), ctx.now()), repo::update);
        // Deliveries made ahead for occurrences not yet due stay: resumed in time they go out; still paused at their
        // time, the dispatcher cancels them.
        cancellation.forSchedule(id, "schedule paused", ctx.now());
        return s;
    }

    @Override
    public Schedule resume(String id) {
        Schedule s = Retries.casLoop("schedule", id, () -> get(id), x -> {
            Instant now = ctx.now();
            Instant next;
            if (x.trigger() instanceof Trigger.Once) {
                next = x.runs() == 0 ? x.nextFireAt() : null;
            } else if (x.trigger() instanceof Trigger.YearlyOn && x.nextFireAt() != null
                    && !x.nextFireAt().isAfter(now)) {
                // Contact-date windows start anywhere: go on from now, not from the next hour.
                next = x.trigger().first(now).orElse(null);
            } else if (x.nextFireAt() != null && x.nextFireAt().isAfter(now)) {
                // Occurrences before it were fanned out ahead and kept through the pause: go on from here.
                next = x.nextFireAt();
            } else {
                next = x.nextOccurrenceAfter(now, x.runs());
            }
            return x.withPaused(false, next, now);
        }, repo::update);
        wakeups.schedulesChanged();
        return s;
    }

    @Override
    public void delete(String id) {
        get(id);
        cancellation.forSchedule(id, "schedule deleted");
        repo.delete(id);
    }
}
