package dev.wasched.examples.cli;

import dev.wasched.Wasched;
import dev.wasched.contact.Contact;
import dev.wasched.contact.ContactSpec;
import dev.wasched.schedule.CronDialect;
import dev.wasched.schedule.Schedule;
import dev.wasched.schedule.ScheduleSpec;
import dev.wasched.schedule.Target;
import dev.wasched.schedule.Trigger;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "schedule", mixinStandardHelpOptions = true,
        description = "Creates a schedule; a running instance sends it.")
final class ScheduleCommand implements Callable<Integer> {
    @Mixin
    ConfigOption config;
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--account", required = true, split = ",",
            description = "the WhatsApp account that sends it; several (a,b,c) spread the recipients over them, each"
                    + " contact always from the same one")
    java.util.List<String> account;
    @Option(names = "--name", description = "a name to recognise it by")
    String name;

    @ArgGroup(exclusive = true, multiplicity = "1")
    To to;

    static final class To {
        @Option(names = "--to", split = ",", description = "phone numbers (created as contacts when new)")
        List<String> phones;
        @Option(names = "--tag", description = "every contact with this tag, at each fire")
        String tag;
        @Option(names = "--group", description = "a group chat by name")
        String group;
    }

    @ArgGroup(exclusive = true, multiplicity = "1")
    What what;

    static final class What {
        @Option(names = "--text", description = "the message; {{name}} and custom fields are filled in")
        String text;
        @Option(names = "--template", description = "a stored template by name")
        String template;
    }

    @Option(names = "--var", description = "a template variable, name=value (repeatable)")
    Map<String, String> variables = Map.of();

    @ArgGroup(exclusive = true, multiplicity = "0..1")
    When when;

    static final class When {
        @Option(names = "--at", description = "once, at an ISO instant such as 2026-12-24T09:00:00Z, or 'now';"
                + " with --yearly-on the time of day, such as 09:00")
        String at;
        @Option(names = "--cron", description = "five-field Unix cron, e.g. '0 9 * * MON-FRI', or a macro such as"
                + " @daily")
        String cron;
        @Option(names = "--quartz-cron", description = "Quartz cron: second minute hour day-of-month month"
                + " day-of-week [year], e.g. '0 0 12 ? * 6L' (the last Friday)")
        String quartzCron;
        @Option(names = "--spring-cron", description = "Spring cron: second minute hour day-of-month month"
                + " day-of-week, e.g. '0 0 9 * * MON-FRI'")
        String springCron;
        @Option(names = "--every", description = "an ISO duration such as PT1H")
        Duration every;
    }

    @Option(names = "--yearly-on", paramLabel = "FIELD", description = "every year on the date in this contact"
            + " field (birthday, anniversary: yyyy-MM-dd, --MM-dd or MM-dd) at --at, in each contact's zone")
    String yearlyOn;

    @Option(names = "--zone", description = "time zone of the cron options, or of contacts without one for --yearly-on"
            + " (default: the configured zone)")
    ZoneId zone;

    @Override
    public Integer call() {
        CliConfig c = config.load();
        try (OpenStore store = OpenStore.open(c); Wasched w = ConfigOption.offline(c, store)) {
            ScheduleSpec.Builder b = ScheduleSpec.builder().accounts(account).name(name)
                    .trigger(yearlyOn != null ? yearly(yearlyOn, when, zone, c) : trigger(when, zone, c));
            if (to.phones != null) {
                List<String> ids = new ArrayList<>();
                for (String phone : to.phones) {
                    Contact contact = w.contacts().findByPhone(phone)
                            .orElseGet(() -> w.contacts().create(ContactSpec.builder().phone(phone).build()));
                    ids.add(contact.id());
                }
                b.to(Target.contacts(ids));
            } else if (to.tag != null) {
                b.to(Target.tag(to.tag));
            } else {
                b.to(Target.group(to.group));
            }
            if (what.template != null) {
                b.template(what.template, variables);
            } else {
                b.text(what.text).variables(variables);
            }
            Schedule s = w.schedules().create(b.build());
            if (s.trigger() instanceof Trigger.YearlyOn y) {
                spec.commandLine().getOut().printf("schedule %s created; every year on each contact's %s at %s%n",
                        s.id(), y.field(), y.at());
            } else {
                spec.commandLine().getOut().printf("schedule %s created; first fire at %s%n", s.id(), s.nextFireAt());
            }
            return ExitCodes.OK;
        }
    }

    /**
     * The trigger the options say: {@code --at}, a cron option (in {@code zone}, else the configured zone),
     * {@code --every}.
     */
    static Trigger trigger(When when, ZoneId zone, CliConfig c) {
        if (when == null) {
            throw new dev.wasched.ValidationException("when", "one of --at, --cron, --quartz-cron, --spring-cron,"
                    + " --every or --yearly-on is required");
        }
        if (when.at != null) {
            if (when.at.equalsIgnoreCase("now")) {
                return Trigger.once(Instant.now());
            }
            try {
                return Trigger.once(Instant.parse(when.at));
            } catch (java.time.format.DateTimeParseException e) {
                throw new dev.wasched.ValidationException("at", "not an ISO instant such as 2026-12-24T09:00:00Z: '" + when.at + "'");
            }
        }
        ZoneId cronZone = zone != null ? zone : c.zone();
        if (when.cron != null) {
            return Trigger.cron(when.cron, cronZone, CronDialect.UNIX);
        }
        if (when.quartzCron != null) {
            return Trigger.cron(when.quartzCron, cronZone, CronDialect.QUARTZ);
        }
        if (when.springCron != null) {
            return Trigger.cron(when.springCron, cronZone, CronDialect.SPRING);
        }
        return Trigger.every(when.every);
    }

    /** {@code --yearly-on FIELD --at HH:mm}: a contact-date trigger; {@code zone} for contacts without one. */
    static Trigger yearly(String field, When when, ZoneId zone, CliConfig c) {
        if (when == null || when.at == null) {
            throw new dev.wasched.ValidationException("at", "--yearly-on needs the time of day, such as --at 09:00");
        }
        try {
            return Trigger.yearlyOn(field, java.time.LocalTime.parse(when.at), zone != null ? zone : c.zone());
        } catch (java.time.format.DateTimeParseException e) {
            throw new dev.wasched.ValidationException("at", "not a time of day such as 09:00: '" + when.at + "'");
        }
    }
}
