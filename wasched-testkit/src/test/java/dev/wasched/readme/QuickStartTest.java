package dev.wasched.readme;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wasched.Wasched;
import dev.wasched.contact.Contact;
import dev.wasched.contact.ContactSpec;
import dev.wasched.memory.InMemoryStore;
import dev.wasched.schedule.Schedule;
import dev.wasched.schedule.ScheduleSpec;
import dev.wasched.schedule.Target;
import dev.wasched.schedule.Trigger;
import dev.wasched.testkit.transport.RecordingTransport;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Runs the README's quick start and checks the README shows exactly this code, so the two cannot drift apart. */
class QuickStartTest {
    @Test
    void quickStartRunsAsShown() throws Exception {
        RecordingTransport whatsapp = new RecordingTransport("shop");
        Schedule[] created = new Schedule[1];
        // README:quickstart:begin
        InMemoryStore store = new InMemoryStore();            // or JdbcStore / MongoStore
        try (Wasched wasched = Wasched.builder()
                .store(store)
                .transport(whatsapp)                          // or a PlaywrightTransport for account "shop"
                .defaultRegion("DE")                          // numbers without +49 are German
                .build()) {
            wasched.start();

            Contact ann = wasched.contacts().create(ContactSpec.builder()
                    .name("Ann").phone("0151 12345678").tag("customers").build());
            wasched.templates().save("morning", "Good morning, {{name}}! Today: {{special}}");

            // Every weekday at 08:00 Berlin time, to everyone tagged "customers":
            Schedule daily = wasched.schedules().create(ScheduleSpec.builder()
                    .account("shop")
                    .to(Target.tag("customers"))
                    .template("morning", Map.of("special", "fresh bread"))
                    .trigger(Trigger.cron("0 8 * * MON-FRI", ZoneId.of("Europe/Berlin")))
                    .build());

            // And a welcome message right now:
            wasched.schedules().create(ScheduleSpec.builder()
                    .account("shop")
                    .to(Target.contacts(ann.id()))
                    .text("Welcome, {{name}}!")
                    .trigger(Trigger.once(Instant.now()))
                    .build());
            // README:quickstart:end
            created[0] = daily;

            long deadline = System.nanoTime() + 10_000_000_000L;
            while (whatsapp.sent().isEmpty() && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
        }
        assertThat(whatsapp.sent()).singleElement().satisfies(m -> {
            assertThat(m.text()).isEqualTo("Welcome, Ann!");
            assertThat(m.recipient()).isEqualTo("+4915112345678");
        });
        ZonedDateTime next = created[0].nextFireAt().atZone(ZoneId.of("Europe/Berlin"));
        assertThat(next.getHour()).isEqualTo(8);
        assertThat(next.getDayOfWeek()).isNotIn(DayOfWeek.SATURDAY, DayOfWeek.SUNDAY);
    }

    @Test
    void readmeShowsThisCode() throws Exception {
        String source = Files.readString(Path.of("src/test/java/dev/wasched/readme/QuickStartTest.java"), StandardCharsets.UTF_8);
        String readme = Files.readString(Path.of("../README.md"), StandardCharsets.UTF_8);
        String code = between(source, "// README:quickstart:begin", "// README:quickstart:end");
        assertThat(normalize(readme)).as("README.md must contain the quick start exactly as in " + getClass().getSimpleName())
                .contains(normalize(code));
    }

    private static String between(String text, String begin, String end) {
        int a = text.indexOf(begin) + begin.length();
        return text.substring(a, text.indexOf(end, a));
    }

    private static String normalize(String s) {
        return s.lines().map(String::strip).filter(l -> !l.isEmpty()).collect(Collectors.joining("\n"));
    }
}
