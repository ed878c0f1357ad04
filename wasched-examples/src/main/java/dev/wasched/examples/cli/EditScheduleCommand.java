package dev.wasched.examples.cli;

import dev.wasched.Wasched;
import dev.wasched.schedule.Schedule;
import dev.wasched.schedule.ScheduleSpec;
import dev.wasched.schedule.ScheduledMessage;
import java.time.ZoneId;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "edit-schedule", mixinStandardHelpOptions = true,
        description = {"Changes a schedule's name, text or template, or time; what is not given stays as it is.",
                "Pending deliveries of occurrences not yet due are made again from the edit; what is due, being"
                        + " sent or sent stays as it is."})
final class EditScheduleCommand implements Callable<Integer> {
    @Mixin
    ConfigOption config;
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "ID", description = "the schedule's id")
    String id;
    @Option(names = "--name", description = "a new name")
    String name;
    @ArgGroup(exclusive = true)
    ScheduleCommand.What what;
    @Option(names = "--var", description = "a template variable, name=value (repeatable; replaces the old ones)")
    Map<String, String> variables;
    @ArgGroup(exclusive = true)
    ScheduleCommand.When when;
    @Option(names = "--zone", description = "time zone of the cron options (default: the configured zone)")
    ZoneId zone;

    @Override
    public Integer call() {
        CliConfig c = config.load();
        try (OpenStore store = OpenStore.open(c); Wasched w = ConfigOption.offline(c, store)) {
            Schedule current = w.schedules().get(id);
            ScheduleSpec was = current.spec();
            ScheduledMessage message = was.message();
            Map<String, String> vars = variables != null ? variables : message.variables();
            if (what != null && what.template != null) {
                message = ScheduledMessage.template(what.template, vars);
            } else if (what != null) {
                message = new ScheduledMessage(null, what.text, vars, message.media());
            } else if (variables != null) {
                message = new ScheduledMessage(message.templateName(), message.text(), vars, message.media());
            }
            ScheduleSpec edited = new ScheduleSpec(name != null ? name : was.name(), was.account(), was.target(),
                    message, when != null ? ScheduleCommand.trigger(when, zone, c) : was.trigger(), was.misfire(),
                    was.endAt(), was.maxRuns());
            // Bound to the version just read: an edit made meanwhile by someone else is not overwritten.
            Schedule s = w.schedules().update(id, current.version(), edited);
            spec.commandLine().getOut().printf("schedule %s edited; next fire at %s%n", s.id(),
                    s.nextFireAt() != null ? s.nextFireAt() : "none (complete)");
            return ExitCodes.OK;
        }
    }
}
