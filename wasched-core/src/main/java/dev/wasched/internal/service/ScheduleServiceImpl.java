package dev.wasched.internal.service;

import dev.wasched.NotFoundException;
import dev.wasched.Page;
import dev.wasched.PageRequest;
import dev.wasched.ValidationException;
import dev.wasched.contact.Contact;
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
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

public final class ScheduleServiceImpl implements ScheduleService {
    private final EngineContext ctx;
    private final ScheduleRepository repo;
    private final MessageRenderer renderer;
    private final DeliveryCancellation cancellation;
    private final Wakeups wakeups;
    private final FanOut fanOut;

    public ScheduleServiceImpl(EngineContext ctx, MessageRenderer renderer, DeliveryCancellation cancellation,
                               Wakeups wakeups, FanOut fanOut) {
        this.ctx = ctx;
        this.fanOut = fanOut;
        this.repo = ctx.store().schedules();
        this.renderer = renderer;
        this.cancellation = cancellation;
        this.wakeups = wakeups;
    }

    @Override
    public Schedule create(ScheduleSpec spec) {
        Instant now = ctx.now();
        String body = renderer.body(spec.message());
        if (spec.message().media() != null && ctx.store().media().get(spec.message().media().sha256()).isEmpty()) {
            throw new NotFoundException("media", spec.message().media().sha256());
        }
        Map<String, Contact> read = new HashMap<>();
        if (spec.target() instanceof Target.Contacts listed) {
            for (String id : listed.contactIds()) {
                Contact c = ctx.store().contacts().findById(id).orElseThrow(() -> new NotFoundException("contact", id));
                renderer.render(spec.message(), body, c.templateVariables());
                read.put(id, c);
            }
        } else if (spec.message().templateName() != null || spec.message().text() != null) {
            // Tag and group recipients are known only at fire time; at least the schedule's own values must resolve
            // every placeholder that is not a contact value.
            checkScheduleValues(spec, body);
        }
        Trigger trigger = spec.trigger() instanceof Trigger.Every every ? every.anchoredAt(now) : spec.trigger();
        Instant first = trigger.first(now).orElse(null);
        if (first == null || (spec.endAt() != null && first.isAfter(spec.endAt()))) {
            throw new ValidationException("trigger", "never fires" + (spec.endAt() != null ? " before endAt " + spec.endAt() : ""));
        }
        Schedule s = new Schedule(ctx.ids().next(), spec.name(), spec.account(), spec.target(), spec.message(), trigger,
                spec.misfire(), spec.endAt(), spec.maxRuns(), false, first, 0, 0, null, null, now, now, 1);
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
        return s;
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
