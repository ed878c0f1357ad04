package dev.wasched.internal.engine;

import dev.wasched.PageRequest;
import dev.wasched.Page;
import dev.wasched.WaschedException;
import dev.wasched.contact.Contact;
import dev.wasched.delivery.Delivery;
import dev.wasched.delivery.Recipient;
import dev.wasched.event.WaschedEvent;
import dev.wasched.schedule.MisfirePolicy;
import dev.wasched.schedule.Schedule;
import dev.wasched.schedule.Target;
import dev.wasched.schedule.Trigger;
import dev.wasched.spi.store.ScheduleRepository;
import dev.wasched.spi.store.StoreChange;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns due schedules into deliveries: claims them (lease), decides which occurrences fire under the misfire
 * policy, creates one delivery per occurrence and recipient, and advances the schedule, all through
 * {@link ScheduleRepository#fanOutAll} so the store makes it atomic or idempotent, one batch of schedules at a time.
 *
 * <p>Occurrences due within the configured look-ahead are fanned out before they are due: their deliveries are due
 * at the occurrence, so they go out on time, and they carry when they expire (see {@link Expiry}) so the misfire
 * policy still decides for them if no engine runs when they are due.
 */
public final class FanOut {
    private static final Logger log = LoggerFactory.getLogger(FanOut.class);
    /** Occurrences looked at for one schedule in one round; more (an every-second schedule down for a day) are skipped. */
    static final int MAX_OCCURRENCES = 10_000;
    private static final int MAX_SKIP_EVENTS = 100;
    private static final int CONTACT_PAGE = 500;
    /** Windows of a contact-date schedule fanned out in one round: a day of them after an outage. */
    private static final int WINDOWS_PER_ROUND = 24;
    /** Pending deliveries of a schedule read to count its backlog of occurrences. */
    private static final int BACKLOG_SCAN = 10_000;

    private final EngineContext ctx;
    private final MessageRenderer renderer;
    /** An account's status in the registry as this instance last read it, or null when not registered. */
    private volatile java.util.function.Function<String, dev.wasched.account.Account.Status> accountStatus =
            account -> null;

    public FanOut(EngineContext ctx, MessageRenderer renderer) {
        this.ctx = ctx;
        this.renderer = renderer;
    }

    /**
     * Where the registry's view comes from: deliveries for a removed account are made CANCELLED (nobody would ever
     * send them), and a campaign over several accounts gives a paused one's share to the others.
     */
    public void accountStatusFrom(java.util.function.Function<String, dev.wasched.account.Account.Status> status) {
        this.accountStatus = status;
    }

    /**
     * The registry's view of each account, looked up once per fan-out of one occurrence rather than once per
     * delivery: a campaign to thousands of contacts names a handful of accounts.
     */
    private final class Statuses {
        private final Map<String, Optional<dev.wasched.account.Account.Status>> seen = new java.util.HashMap<>();

        dev.wasched.account.Account.Status of(String account) {
            return seen.computeIfAbsent(account, a -> Optional.ofNullable(accountStatus.apply(a))).orElse(null);
        }

        boolean usable(String account) {
            dev.wasched.account.Account.Status st = of(account);
            return st == null || st == dev.wasched.account.Account.Status.ACTIVE;
        }
    }

    /**
     * Handles every schedule due at {@code now} or within the look-ahead; returns the accounts with new deliveries,
     * each with the earliest due time among them.
     */
    public Map<String, Instant> runDue(Instant now) {
        Map<String, Instant> accounts = new LinkedHashMap<>();
        int batch = ctx.config().claimBatchSize();
        while (true) {
            List<Schedule> claimed = ctx.store().schedules().claimDue(now, horizon(now), ctx.instanceId(),
                    ctx.leaseUntil(now), batch);
            fire(claimed, now).forEach((account, due) -> accounts.merge(account, due, FanOut::earlier));
            if (claimed.size() < batch) {
                return accounts;
            }
        }
    }

    private static Instant earlier(Instant a, Instant b) {
        return a.isBefore(b) ? a : b;
    }

    /** The latest fire time fanned out at {@code now}. */
    public Instant horizon(Instant now) {
        return now.plus(ctx.config().fanOutLookAhead());
    }

    /**
     * Inserts a new schedule, fanned out at once if its first occurrence is within the look-ahead: a one-time message
     * to listed contacts is written with its deliveries in one store call ({@code WaschedStore.insertSchedule})
     * instead of waiting for the scheduler's next turn. Without a look-ahead it is only inserted.
     *
     * @param known the target's contacts as the caller read them a moment ago, by id (not read again)
     * @return the accounts that received new deliveries, each with the earliest due time among them
     */
    public Map<String, Instant> insert(Schedule created, Map<String, Contact> known) {
        Instant now = ctx.now();
        if (ctx.config().fanOutLookAhead().isZero() || created.nextFireAt() == null
                || created.nextFireAt().isAfter(horizon(now))) {
            ctx.store().schedules().insert(created);
            return Map.of();
        }
        Plan p;
        try {
            p = plan(created, now, known);
        } catch (WaschedException e) {
            log.warn("schedule {} is fanned out by the scheduler: {}", created.id(), e.getMessage());
            ctx.store().schedules().insert(created);
            return Map.of();
        }
        ctx.store().insertSchedule(p.advanced(), p.deliveries());
        report(p, new ScheduleRepository.FanOutResult(p.deliveries().size(), true), now);
        return StoreChange.earliestDue(p.deliveries());
    }

    /**
     * Fans out claimed schedules in one store call; returns the accounts that received new deliveries, each with the
     * earliest due time among them.
     */
    Map<String, Instant> fire(List<Schedule> schedules, Instant now) {
        List<Plan> plans = new ArrayList<>();
        for (Schedule s : schedules) {
            try {
                plans.add(plan(s, now));
            } catch (WaschedException e) {
                log.error("schedule {} could not fan out: {}", s.id(), e.getMessage(), e);
            }
        }
        if (plans.isEmpty()) {
            return Map.of();
        }
        List<ScheduleRepository.FanOutResult> results;
        try {
            results = ctx.store().schedules().fanOutAll(plans.stream()
                    .map(p -> new ScheduleRepository.FanOutItem(p.advanced(), p.deliveries())).toList());
        } catch (WaschedException e) {
            log.error("{} schedule(s) could not fan out: {}", plans.size(), e.getMessage(), e);
            return Map.of();
        }
        List<Delivery> written = new ArrayList<>();
        for (int i = 0; i < plans.size(); i++) {
            Plan p = plans.get(i);
            ScheduleRepository.FanOutResult result = results.get(i);
            if (result.scheduleUpdated()) {
                report(p, result, now);
            } else {
                log.warn("schedule {} changed while it fanned out; it will be looked at again", p.schedule().id());
            }
            if (result.inserted() > 0) {
                written.addAll(p.deliveries());
            }
        }
        return StoreChange.earliestDue(written);
    }

    /**
     * One schedule's fan-out, worked out before anything is written.
     *
     * @param considered every occurrence looked at, in order
     * @param fired      the occurrences that get deliveries
     * @param heldBack   occurrences skipped because earlier ones still wait to be sent
     */
    private record Plan(Schedule schedule, Schedule advanced, List<Delivery> deliveries, List<Instant> considered,
                        List<Instant> fired, List<Instant> heldBack) {
    }

    /**
     * Works out one claimed schedule's fan-out. Occurrences already due are decided now under the misfire policy, as
     * ever; occurrences within the look-ahead are on time by definition and fire, their deliveries expiring when the
     * policy would no longer have fired them.
     */
    private Plan plan(Schedule s, Instant now) {
        return plan(s, now, Map.of());
    }

    /** @param known contacts read a moment ago by the caller, by id: not read again */
    private Plan plan(Schedule s, Instant now, Map<String, Contact> known) {
        if (s.trigger() instanceof Trigger.YearlyOn yearly) {
            return planContactDates(s, yearly, now);
        }
        Instant horizon = horizon(now);
        List<Instant> due = new ArrayList<>();
        List<Instant> ahead = new ArrayList<>();
        for (Instant t = s.nextFireAt(); t != null && !t.isAfter(horizon) && due.size() + ahead.size() < MAX_OCCURRENCES;
             t = s.nextOccurrenceAfter(t, 0)) {
            (t.isAfter(now) ? ahead : due).add(t);
        }
        List<Instant> considered = new ArrayList<>(due);
        considered.addAll(ahead);
        List<Instant> chosen = new ArrayList<>(chooseFired(s.misfire(), due, now));
        chosen.addAll(ahead);
        long runs = s.runs() + chosen.size();
        if (s.maxRuns() > 0 && runs > s.maxRuns()) {
            chosen = chosen.subList(0, (int) (s.maxRuns() - s.runs()));
            runs = s.maxRuns();
        }
        int room = backlogRoom(s, chosen.size(), now);
        List<Instant> heldBack = chosen.subList(0, chosen.size() - room);
        if (room < chosen.size()) {
            log.warn("schedule {}: {} occurrence(s) skipped, earlier ones still wait to be sent (backlog limit {})",
                    s.id(), chosen.size() - room, ctx.config().maxBacklogOccurrences());
            chosen = chosen.subList(chosen.size() - room, chosen.size());
            runs = s.runs() + chosen.size();
        }
        List<Instant> fired = chosen;
        long skipped = considered.size() - fired.size();
        Instant last = considered.isEmpty() ? now : considered.get(considered.size() - 1);
        Instant next = s.nextOccurrenceAfter(max(horizon, last), runs);

        List<Delivery> deliveries = new ArrayList<>();
        for (int i = 0; i < fired.size(); i++) {
            Instant fireAt = fired.get(i);
            Instant expiresAt = fireAt.isAfter(now)
                    ? Expiry.expiresAt(s, fireAt, s.runs() + i + 1, ctx.config().misfireThreshold()) : null;
            for (Delivery d : deliveriesFor(s, fireAt, now, known)) {
                deliveries.add(expiresAt == null ? d : d.expiringAt(expiresAt));
            }
        }
        Schedule advanced = s.advanced(next, runs, s.skippedRuns() + skipped, now);
        return new Plan(s, advanced, deliveries, considered, fired, heldBack);
    }

    /**
     * A contact-date schedule's fan-out: its windows from {@code nextFireAt} up to the look-ahead (at most a day of
     * them), and a delivery for each contact due in them at the contact's own time. The misfire policy decides for
     * each contact's time as for an occurrence; the backlog limit does not apply (each contact gets one a year).
     * Occurrences are the distinct times of the contacts, so runs count those.
     */
    private Plan planContactDates(Schedule s, Trigger.YearlyOn trigger, Instant now) {
        Instant last = s.nextFireAt();
        Instant end = trigger.nextAfter(last).orElseThrow();
        for (int windows = 1; windows < WINDOWS_PER_ROUND && !end.isAfter(horizon(now)); windows++) {
            last = end;
            end = trigger.nextAfter(last).orElseThrow();
        }
        Instant until = s.endAt() != null && end.isAfter(s.endAt()) ? s.endAt().plusMillis(1) : end;
        ZoneId fallback = trigger.zone() != null ? trigger.zone() : ctx.config().defaultZone();
        String body = body(s);
        java.util.TreeSet<Instant> considered = new java.util.TreeSet<>();
        java.util.TreeSet<Instant> fired = new java.util.TreeSet<>();
        List<Delivery> deliveries = new ArrayList<>();
        Statuses statuses = new Statuses();
        for (ContactDates.Due due : ContactDates.dueIn(ctx.store(), s, trigger, s.nextFireAt(), until, fallback)) {
            Contact c = due.contact();
            Instant fireAt = due.fireAt();
            if (c.optedOut() || ContactDates.alreadyHas(ctx.store(), s, c, fireAt)) {
                continue;
            }
            considered.add(fireAt);
            boolean ahead = fireAt.isAfter(now);
            if (!ahead && chooseFired(s.misfire(), List.of(fireAt), now).isEmpty()) {
                continue;
            }
            fired.add(fireAt);
            Recipient r = Recipient.contact(c.id(), c.phone().e164(), c.effectiveZone().orElse(fallback));
            Delivery d = build(s, fireAt, r, body, due.vars(), now, statuses);
            deliveries.add(ahead ? d.expiringAt(Expiry.expiresAt(s, fireAt, 0, ctx.config().misfireThreshold())) : d);
        }
        considered.removeAll(fired); // a time some contact fired at counts as fired
        List<Instant> consideredAll = new ArrayList<>(fired);
        consideredAll.addAll(considered);
        consideredAll.sort(null);
        Schedule advanced = s.advanced(s.nextOccurrenceAfter(last, 0), s.runs() + fired.size(),
                s.skippedRuns() + considered.size(), now);
        return new Plan(s, advanced, deliveries, consideredAll, List.copyOf(fired), List.of());
    }

    /** The schedule's message body, or null (with a warning) when its template is gone. */
    private String body(Schedule s) {
        try {
            return renderer.body(s.message());
        } catch (WaschedException e) {
            log.warn("schedule {}: {}", s.id(), e.getMessage());
            return null;
        }
    }

    /** Events, metrics and logs of a fan-out the store has written. */
    private void report(Plan p, ScheduleRepository.FanOutResult result, Instant now) {
        Schedule s = p.schedule();
        for (Instant fireAt : p.fired()) {
            Duration lateness = Duration.between(fireAt, now);
            ctx.metrics().occurrenceFired(lateness.isNegative() ? Duration.ZERO : lateness);
            int n = (int) p.deliveries().stream().filter(d -> d.fireAt().equals(fireAt)).count();
            ctx.events().publish(new WaschedEvent.ScheduleFired(s.id(), fireAt, n, now));
        }
        p.considered().stream().filter(t -> !p.fired().contains(t)).limit(MAX_SKIP_EVENTS).forEach(t ->
                ctx.events().publish(new WaschedEvent.OccurrenceSkipped(s.id(), t, p.heldBack().contains(t)
                        ? "earlier occurrences still wait to be sent (backlog limit "
                                + ctx.config().maxBacklogOccurrences() + ")"
                        : "misfire policy " + s.misfire().kind() + ", late by " + Duration.between(t, now), now)));
        long skipped = p.considered().size() - p.fired().size();
        if (skipped > 0) {
            log.info("schedule {} skipped {} missed occurrence(s) under {}", s.id(), skipped, s.misfire().kind());
        }
        log.atDebug().addKeyValue("scheduleId", s.id()).addKeyValue("account", s.account())
                .addKeyValue("occurrences", p.fired().size()).addKeyValue("deliveries", result.inserted())
                .addKeyValue("nextFireAt", p.advanced().nextFireAt()).log("schedule fired");
    }

    /**
     * How many of {@code wanted} new occurrences a repeating schedule may add: none while more earlier occurrences
     * than the backlog limit are due and still have PENDING deliveries (sending slower than the schedule fires must
     * not pile up an endless queue), else all. One-time schedules are never limited.
     */
    private int backlogRoom(Schedule s, int wanted, Instant now) {
        if (wanted == 0 || s.trigger() instanceof Trigger.Once) {
            return wanted;
        }
        // Occurrences made ahead are not waiting while they are not due (early, not behind), nor once they expired
        // in an outage (they will be cancelled, not sent).
        List<Delivery> due = ctx.store().deliveries().findPending(s.id(), null, BACKLOG_SCAN).stream()
                .filter(d -> !d.fireAt().isAfter(now)).toList();
        Instant runningSince = due.stream().anyMatch(d -> Expiry.pastExpiry(d, now))
                ? Expiry.runningSince(ctx, now) : null;
        long waiting = due.stream().filter(d -> !Expiry.expired(d, now, runningSince))
                .map(Delivery::fireAt).distinct().count();
        return waiting > ctx.config().maxBacklogOccurrences() ? 0 : wanted;
    }

    private static Instant max(Instant a, Instant b) {
        return a.isAfter(b) ? a : b;
    }

    /** Applies the misfire policy: on-time occurrences fire; late ones as the policy says, never past maxLateness. */
    List<Instant> chooseFired(MisfirePolicy policy, List<Instant> due, Instant now) {
        Duration threshold = ctx.config().misfireThreshold();
        List<Instant> onTime = new ArrayList<>();
        List<Instant> late = new ArrayList<>();
        for (Instant t : due) {
            Duration lateness = Duration.between(t, now);
            if (lateness.compareTo(threshold) <= 0) {
                onTime.add(t);
            } else if (lateness.compareTo(policy.maxLateness()) <= 0) {
                late.add(t);
            }
        }
        List<Instant> fired = new ArrayList<>();
        switch (policy.kind()) {
            case SKIP -> { }
            case FIRE_ONCE -> {
                if (onTime.isEmpty() && !late.isEmpty()) {
                    fired.add(late.get(late.size() - 1));
                }
            }
            case FIRE_ALL -> fired.addAll(late.subList(Math.max(0, late.size() - policy.fireAllLimit()), late.size()));
        }
        fired.addAll(onTime);
        return fired;
    }

    private List<Delivery> deliveriesFor(Schedule s, Instant fireAt, Instant now, Map<String, Contact> known) {
        ZoneId scheduleZone = s.trigger() instanceof Trigger.Cron c ? c.zone() : ctx.config().defaultZone();
        List<Delivery> out = new ArrayList<>();
        Statuses statuses = new Statuses();
        String body;
        try {
            body = renderer.body(s.message());
        } catch (WaschedException e) {
            body = null;
            log.warn("schedule {}: {}", s.id(), e.getMessage());
        }
        if (s.target() instanceof Target.Group g) {
            out.add(build(s, fireAt, Recipient.group(g.name(), scheduleZone), body, Map.of(), now, statuses));
        } else if (s.target() instanceof Target.Number n) {
            // No contact, so no opt-out to skip it for: that is what a number target is for (see Target.Number).
            String e164 = n.phone().e164();
            out.add(build(s, fireAt, Recipient.number(e164, n.phone().zone().orElse(scheduleZone)), body,
                    Map.of("phone", e164), now, statuses));
        } else if (s.target() instanceof Target.Contacts listed) {
            for (String id : listed.contactIds()) {
                Optional<Contact> c = known.containsKey(id) ? Optional.of(known.get(id))
                        : ctx.store().contacts().findById(id);
                if (c.isEmpty()) {
                    log.warn("schedule {}: contact {} no longer exists", s.id(), id);
                } else if (!c.get().optedOut()) {
                    out.add(forContact(s, fireAt, c.get(), scheduleZone, body, now, statuses));
                }
            }
        } else if (s.target() instanceof Target.Tag tag) {
            PageRequest page = PageRequest.first(CONTACT_PAGE);
            while (true) {
                Page<Contact> contacts = ctx.store().contacts().findByTag(tag.tag(), page);
                for (Contact c : contacts.items()) {
                    if (!c.optedOut()) {
                        out.add(forContact(s, fireAt, c, scheduleZone, body, now, statuses));
                    }
                }
                if (contacts.nextCursor().isEmpty()) {
                    break;
                }
                page = PageRequest.after(contacts.nextCursor().get(), CONTACT_PAGE);
            }
        }
        return out;
    }

    private Delivery forContact(Schedule s, Instant fireAt, Contact c, ZoneId fallbackZone, String body, Instant now,
                                Statuses statuses) {
        Recipient r = Recipient.contact(c.id(), c.phone().e164(), c.effectiveZone().orElse(fallbackZone));
        return build(s, fireAt, r, body, c.templateVariables(), now, statuses);
    }

    private Delivery build(Schedule s, Instant fireAt, Recipient r, String body, java.util.Map<String, String> values,
                           Instant now, Statuses statuses) {
        String id = ctx.ids().next();
        String account = AccountChoice.of(s, r, statuses::usable);
        if (body == null) {
            return Delivery.deadOnArrival(id, s.id(), fireAt, r, account,
                    "template '" + s.message().templateName() + "' no longer exists", now);
        }
        try {
            Delivery d = Delivery.pending(id, s.id(), fireAt, r, account, renderer.render(s.message(), body, values),
                    now);
            return statuses.of(account) == dev.wasched.account.Account.Status.REMOVED
                    ? d.cancel("account " + account + " was removed", now) : d;
        } catch (WaschedException e) {
            return Delivery.deadOnArrival(id, s.id(), fireAt, r, account, e.getMessage(), now);
        }
    }
}
