package dev.wasched.readme;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.wasched.PageRequest;
import dev.wasched.Wasched;
import dev.wasched.contact.Contact;
import dev.wasched.contact.ContactSpec;
import dev.wasched.memory.InMemoryStore;
import dev.wasched.schedule.Schedule;
import dev.wasched.schedule.ScheduleSpec;
import dev.wasched.schedule.Target;
import dev.wasched.schedule.Trigger;
import dev.wasched.testkit.transport.RecordingTransport;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Runs the README's quick start; {@link DocSnippetsTest} checks the README shows exactly this code. */
class QuickStartTest {
    @Test
    void quickStartRunsAsShown() {
        RecordingTransport whatsapp = new RecordingTransport("shop");
        // docs:README.md#quick-start:begin
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
        }   // close() hands work back and lets the transport save its session
        // docs:README.md#quick-start:end

        // The store kept the work: the next instance on it sends what the first one may not have got to.
        try (Wasched again = Wasched.builder().store(store).transport(whatsapp).defaultRegion("DE").build()) {
            again.start();
            await().atMost(Duration.ofSeconds(10)).until(() -> !whatsapp.sent().isEmpty());
            assertThat(whatsapp.sent()).singleElement().satisfies(m -> {
                assertThat(m.text()).isEqualTo("Welcome, Ann!");
                assertThat(m.recipient()).isEqualTo("+4915112345678");
            });
            Schedule daily = again.schedules().list(PageRequest.first(10)).items().stream()
                    .filter(s -> s.trigger() instanceof Trigger.Cron).findFirst().orElseThrow();
            ZonedDateTime next = daily.nextFireAt().atZone(ZoneId.of("Europe/Berlin"));
            assertThat(next.getHour()).isEqualTo(8);
            assertThat(next.getDayOfWeek()).isNotIn(DayOfWeek.SATURDAY, DayOfWeek.SUNDAY);
        }
    }
}
