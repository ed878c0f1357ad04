package dev.wasched.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.wasched.PageRequest;
import dev.wasched.ValidationException;
import dev.wasched.Wasched;
import dev.wasched.WaschedBuilder;
import dev.wasched.contact.Contact;
import dev.wasched.contact.ContactSpec;
import dev.wasched.delivery.Delivery;
import dev.wasched.delivery.DeliveryQuery;
import dev.wasched.delivery.DeliveryStatus;
import dev.wasched.memory.InMemoryStore;
import dev.wasched.schedule.MisfirePolicy;
import dev.wasched.schedule.Schedule;
import dev.wasched.schedule.ScheduleSpec;
import dev.wasched.schedule.Target;
import dev.wasched.schedule.Trigger;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Occurrences within the look-ahead become deliveries before they are due, due at their occurrence. */
class FanOutLookAheadTest {
    private static final Instant NOW = Instant.parse("2026-06-01T08:59:30Z");
    private final Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
    private final InMemoryStore store = new InMemoryStore(clock);
    private Wasched wasched;

    @AfterEach
    void close() {
        if (wasched != null) {
            wasched.close();
        }
    }

    private Wasched build(Consumer<WaschedBuilder> customize) {
        WaschedBuilder b = Wasched.builder().store(store).clock(clock).instanceId("test-1")
                .defaultZone(ZoneId.of("UTC"));
        customize.accept(b);
        wasched = b.build();
        // Only schedules are looked at here: the account is registered, nothing runs it.
        if (store.accounts().find("shop").isEmpty()) {
            wasched.accounts().add(dev.wasched.account.AccountSpec.builder("shop").kind("whatsapp-web").build());
        }
        return wasched;
    }

    private Schedule hourly(MisfirePolicy misfire) {
        return wasched.schedules().create(ScheduleSpec.builder().account("shop").to(Target.group("Team"))
                .text("tick").trigger(Trigger.cron("0 * * * *", ZoneId.of("UTC"))).misfire(misfire).build());
    }

    private List<Delivery> deliveries() {
        return wasched.deliveries().history(DeliveryQuery.all(), PageRequest.first(100)).items();
    }

    @Test
    void anOccurrenceWithinTheLookAheadIsMadeAheadDueAtItsTime() {
        build(b -> { });
        Schedule s = hourly(MisfirePolicy.skip());
        wasched.runDue();
        Instant nine = Instant.parse("2026-06-01T09:00:00Z");
        assertThat(deliveries()).singleElement().satisfies(d -> {
            assertThat(d.status()).isEqualTo(DeliveryStatus.PENDING);
            assertThat(d.fireAt()).isEqualTo(nine);
            assertThat(d.dueAt()).as("sent on time, not early").isEqualTo(nine);
            assertThat(d.expiresAt()).as("SKIP: the misfire threshold").isEqualTo(nine.plus(Duration.ofMinutes(1)));
        });
        Schedule after = wasched.schedules().get(s.id());
        assertThat(after.nextFireAt()).isEqualTo(Instant.parse("2026-06-01T10:00:00Z"));
        assertThat(after.runs()).isEqualTo(1);
    }

    @Test
    void withoutALookAheadNothingIsMadeBeforeItIsDue() {
        build(b -> b.fanOutLookAhead(Duration.ZERO));
        Schedule s = hourly(MisfirePolicy.skip());
        wasched.runDue();
        assertThat(deliveries()).isEmpty();
        assertThat(wasched.schedules().get(s.id()).nextFireAt()).isEqualTo(Instant.parse("2026-06-01T09:00:00Z"));
    }

    @Test
    void anOccurrenceBeyondTheLookAheadWaits() {
        build(b -> b.fanOutLookAhead(Duration.ofSeconds(20)));
        hourly(MisfirePolicy.skip());
        wasched.runDue();
        assertThat(deliveries()).isEmpty();
    }

    @Test
    void aOneTimeMessageToContactsDueSoonGetsItsDeliveriesWhenCreated() {
        build(b -> { });
        Contact ann = wasched.contacts().create(ContactSpec.builder().name("Ann").phone("+4915112345678").build());
        Contact bob = wasched.contacts().create(ContactSpec.builder().name("Bob").phone("+4915112345679").build());
        Instant at = NOW.plusSeconds(30);
        Schedule s = wasched.schedules().create(ScheduleSpec.builder().account("shop")
                .to(Target.contacts(ann.id(), bob.id())).text("Hi {{name}}").trigger(Trigger.once(at)).build());
        assertThat(deliveries()).as("without a scheduler turn").hasSize(2).allSatisfy(d -> {
            assertThat(d.status()).isEqualTo(DeliveryStatus.PENDING);
            assertThat(d.dueAt()).isEqualTo(at);
            assertThat(d.expiresAt()).isEqualTo(at.plus(MisfirePolicy.DEFAULT_MAX_LATENESS));
        });
        assertThat(deliveries()).extracting(d -> d.content().text()).containsExactlyInAnyOrder("Hi Ann", "Hi Bob");
        assertThat(s.nextFireAt()).as("the schedule as created").isEqualTo(at);
        assertThat(wasched.schedules().get(s.id()).isComplete()).isTrue();
        wasched.runDue();
        assertThat(deliveries()).as("nothing twice").hasSize(2);
    }

    @Test
    void aOneTimeMessageBeyondTheLookAheadWaitsForTheScheduler() {
        build(b -> { });
        Contact ann = wasched.contacts().create(ContactSpec.builder().name("Ann").phone("+4915112345678").build());
        wasched.schedules().create(ScheduleSpec.builder().account("shop").to(Target.contacts(ann.id()))
                .text("Hi").trigger(Trigger.once(NOW.plus(Duration.ofMinutes(5)))).build());
        assertThat(deliveries()).isEmpty();
    }

    @Test
    void pausingKeepsWhatWasMadeAheadAndResumingInTimeGoesOnFromThere() {
        build(b -> { });
        Schedule s = hourly(MisfirePolicy.skip());
        wasched.runDue();
        wasched.schedules().pause(s.id());
        assertThat(deliveries()).singleElement().satisfies(d -> assertThat(d.status()).isEqualTo(DeliveryStatus.PENDING));
        Schedule resumed = wasched.schedules().resume(s.id());
        assertThat(resumed.nextFireAt()).isEqualTo(Instant.parse("2026-06-01T10:00:00Z"));
        assertThat(resumed.runs()).isEqualTo(1);
        wasched.runDue();
        assertThat(deliveries()).hasSize(1);
    }

    @Test
    void theLookAheadIsValidated() {
        for (Duration bad : new Duration[]{Duration.ofSeconds(-1), Duration.ofHours(2), null}) {
            assertThatThrownBy(() -> Wasched.builder().store(store).clock(clock).fanOutLookAhead(bad).build())
                    .isInstanceOfSatisfying(ValidationException.class,
                            e -> assertThat(e.field()).isEqualTo("fanOutLookAhead"));
        }
        assertThat(build(b -> b.fanOutLookAhead(Duration.ZERO)).config().fanOutLookAhead()).isZero();
        wasched.close();
        assertThat(build(b -> { }).config().fanOutLookAhead()).isEqualTo(Duration.ofSeconds(60));
        assertThat(wasched.config().describe()).containsEntry("fanOutLookAhead", "PT1M");
    }
}
