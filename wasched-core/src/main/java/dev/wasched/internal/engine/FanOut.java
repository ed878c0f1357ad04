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
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns due schedules into deliveries: claims them (lease), decides which occurrences fire under the misfire
 * policy, creates one delivery per occurrence and recipient, and advances the schedule, all through
 * {@link ScheduleRepository#fanOut} so the store makes it atomic or idempotent.
 */
public final class FanOut {
    private static final Logger log = LoggerFactory.getLogger(FanOut.class);
    /** Occurrences looked at for one schedule in one round; more (an every-second schedule down for a day) are skipped. */
    static final int MAX_OCCURRENCES = 10_000;
    private static final int MAX_SKIP_EVENTS = 100;
    private static final int CONTACT_PAGE = 500;
    /** Pending deliveries of a schedule read to count its backlog of occurrences. */
    private static final int BACKLOG_SCAN = 10_000;

    private final EngineContext ctx;
    private final MessageRenderer renderer;

    public FanOut(EngineContext ctx, MessageRenderer renderer) {
        this.ctx = ctx;
        this.renderer = renderer;
    }

    /** Handles every schedule due at {@code now}; returns the accounts that received new deliveries. */
    public List<String> runDue(Instant now) {
        List<String> accounts = new ArrayList<>();
        int batch = ctx.config().claimBatchSize();
        while (true) {
            List<Schedule> claimed = ctx.store().schedules().claimDue(now, ctx.instanceId(), ctx.leaseUntil(now), batch);
            for (Schedule s : claimed) {
                try {
                    if (fire(s, now) > 0 && !accounts.contains(s.account())) {
                        accounts.add(s.account());
                    }
                } catch (WaschedException e) {
                    log.error("schedule {} could not fan out: {}", s.id(), e.getMessage(), e);
                }
            }
            if (claimed.size() < batch) {
                return accounts;
            }
        }
    }

    /** Fans out one claimed schedule; returns how many deliveries were inserted. */
    int fire(Schedule s, Instant now) {
        List<Instant> due = new ArrayList<>();
        for (Instant t = s.nextFireAt(); t != null && !t.isAfter(now) && due.size() < MAX_OCCURRENCES;
             t = s.nextOccurrenceAfter(t, 0)) {
            due.add(t);
        }
        List<Instant> chosen = chooseFired(s.misfire(), due, now);
        long runs = s.runs() + chosen.size();
        if (s.maxRuns() > 0 && runs > s.maxRuns()) {
            chosen = chosen.subList(0, (int) (s.maxRuns() - s.runs()));
            runs = s.maxRuns();
        }
        int room = backlogRoom(s, chosen.size());
        List<Instant> heldBack = chosen.subList(0, chosen.size() - room);
        if (room < chosen.size()) {
            log.warn("schedule {}: {} occurrence(s) skipped, earlier ones still wait to be sent (backlog limit {})",
                    s.id(), chosen.size() - room, ctx.config().maxBacklogOccurrences());
            chosen = chosen.subList(chosen.size() - room, chosen.size());
            runs = s.runs() + chosen.size();
        }
        List<Instant> fired = chosen;
        long skipped = due.size() - fired.size();
        Instant next = s.nextOccurrenceAfter(due.isEmpty() ? now : max(now, due.get(due.size() - 1)), runs);

        List<Delivery> deliveries = new ArrayList<>();
        for (Instant fireAt : fired) {
            deliveries.addAll(deliveriesFor(s, fireAt, now));
        }
        Schedule advanced = s.advanced(next, runs, s.skippedRuns() + skipped, now);
        ScheduleRepository.FanOutResult result = ctx.store().schedules().fanOut(advanced, deliveries);
        if (!result.scheduleUpdated()) {
            log.warn("schedule {} changed while it fanned out; it will be looked at again", s.id());
            return result.inserted();
        }
        for (Instant fireAt : fired) {
            ctx.metrics().occurrenceFired(Duration.between(fireAt, now));
            int n = (int) deliveries.stream().filter(d -> d.fireAt().equals(fireAt)).count();
            ctx.events().publish(new WaschedEvent.ScheduleFired(s.id(), fireAt, n, now));
        }
        due.stream().filter(t -> !fired.contains(t)).limit(MAX_SKIP_EVENTS).forEach(t ->
                ctx.events().publish(new WaschedEvent.OccurrenceSkipped(s.id(), t, heldBack.contains(t)
                        ? "earlier occurrences still wait to be sent (backlog limit "
                                + ctx.config().maxBacklogOccurrences() + ")"
                        : "misfire policy " + s.misfire().kind() + ", late by " + Duration.between(t, now), now)));
        if (skipped > 0) {
            log.info("schedule {} skipped {} missed occurrence(s) under {}", s.id(), skipped, s.misfire().kind());
        }
        log.atDebug().addKeyValue("scheduleId", s.id()).addKeyValue("account", s.account())
                .addKeyValue("occurrences", fired.size()).addKeyValue("deliveries", result.inserted())
                .addKeyValue("nextFireAt", next).log("schedule fired");
        return result.inserted();
    }

    /**
     * How many of {@code wanted} new occurrences a repeating schedule may add: none while more earlier occurrences
     * than the backlog limit still have PENDING deliveries (sending slower than the schedule fires must not pile up
     * an endless queue), else all. One-time schedules are never limited.
     */
    private int backlogRoom(Schedule s, int wanted) {
        if (wanted == 0 || s.trigger() instanceof Trigger.Once) {
            return wanted;
        }
        long waiting = ctx.store().deliveries().findPending(s.id(), null, BACKLOG_SCAN).stream()
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

    private List<Delivery> deliveriesFor(Schedule s, Instant fireAt, Instant now) {
        ZoneId scheduleZone = s.trigger() instanceof Trigger.Cron c ? c.zone() : ctx.config().defaultZone();
        List<Delivery> out = new ArrayList<>();
        String body;
        try {
            body = renderer.body(s.message());
        } catch (WaschedException e) {
            body = null;
            log.warn("schedule {}: {}", s.id(), e.getMessage());
        }
        if (s.target() instanceof Target.Group g) {
            out.add(build(s, fireAt, Recipient.group(g.name(), scheduleZone), body, java.util.Map.of(), now));
        } else if (s.target() instanceof Target.Contacts listed) {
            for (String id : listed.contactIds()) {
                Optional<Contact> c = ctx.store().contacts().findById(id);
                if (c.isEmpty()) {
                    log.warn("schedule {}: contact {} no longer exists", s.id(), id);
                } else if (!c.get().optedOut()) {
                    out.add(forContact(s, fireAt, c.get(), scheduleZone, body, now));
                }
            }
        } else if (s.target() instanceof Target.Tag tag) {
            PageRequest page = PageRequest.first(CONTACT_PAGE);
            while (true) {
                Page<Contact> contacts = ctx.store().contacts().findByTag(tag.tag(), page);
                for (Contact c : contacts.items()) {
                    if (!c.optedOut()) {
                        out.add(forContact(s, fireAt, c, scheduleZone, body, now));
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

    private Delivery forContact(Schedule s, Instant fireAt, Contact c, ZoneId fallbackZone, String body, Instant now) {
        Recipient r = Recipient.contact(c.id(), c.phone().e164(), c.effectiveZone().orElse(fallbackZone));
        return build(s, fireAt, r, body, c.templateVariables(), now);
    }

    private Delivery build(Schedule s, Instant fireAt, Recipient r, String body, java.util.Map<String, String> values,
                           Instant now) {
        String id = ctx.ids().next();
        if (body == null) {
            return Delivery.deadOnArrival(id, s.id(), fireAt, r, s.account(),
                    "template '" + s.message().templateName() + "' no longer exists", now);
        }
        try {
            return Delivery.pending(id, s.id(), fireAt, r, s.account(), renderer.render(s.message(), body, values), now);
        } catch (WaschedException e) {
            return Delivery.deadOnArrival(id, s.id(), fireAt, r, s.account(), e.getMessage(), now);
        }
    }
}
