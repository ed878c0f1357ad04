package dev.wasched.engine;

import dev.wasched.Wasched;
import dev.wasched.WaschedBuilder;
import dev.wasched.contact.Contact;
import dev.wasched.contact.ContactSpec;
import dev.wasched.delivery.Delivery;
import dev.wasched.delivery.DeliveryQuery;
import dev.wasched.delivery.DeliveryStatus;
import dev.wasched.PageRequest;
import dev.wasched.event.WaschedEvent;
import dev.wasched.memory.InMemoryStore;
import dev.wasched.policy.PacingPolicy;
import dev.wasched.policy.RetryPolicy;
import dev.wasched.schedule.Trigger;
import dev.wasched.schedule.Target;
import dev.wasched.schedule.ScheduleSpec;
import dev.wasched.testkit.SettableClock;
import dev.wasched.testkit.transport.MessageLog;
import dev.wasched.testkit.transport.RecordingTransport;
import java.time.Duration;
import java.time.ZoneId;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;

/** A wasched on an in-memory store, a settable clock and a recording transport for account "shop". */
abstract class EngineFixture {
    static final String ACCOUNT = "shop";
    final SettableClock clock = SettableClock.at("2026-06-01T08:00:00Z");
    /** The store's clock is the test's clock: leases expire as the test moves time on. */
    final InMemoryStore store = new InMemoryStore(clock);
    final MessageLog log = new MessageLog();
    final List<WaschedEvent> events = new CopyOnWriteArrayList<>();
    RecordingTransport transport;
    Wasched wasched;
    private final List<Wasched> built = new CopyOnWriteArrayList<>();

    Wasched build(Consumer<WaschedBuilder> customize) {
        transport = new RecordingTransport(ACCOUNT, log);
        WaschedBuilder b = Wasched.builder().store(store).clock(clock).instanceId("test-1")
                .transport(transport).pacing(PacingPolicy.unlimited()).defaultZone(ZoneId.of("UTC"))
                .retry(new RetryPolicy(3, Duration.ofSeconds(10), Duration.ofMinutes(5), 2.0, 0.0))
                .random(new SplittableRandom(42)).listener(events::add);
        customize.accept(b);
        wasched = b.build();
        built.add(wasched);
        return wasched;
    }

    Wasched build() {
        return build(b -> { });
    }

    @AfterEach
    void closeEngine() {
        built.forEach(Wasched::close);
        if (wasched != null) {
            wasched.close();
        }
    }

    /** {@code contacts} contacts tagged "all" and a message to all of them, due now. */
    void campaign(int contacts) {
        for (int i = 0; i < contacts; i++) {
            contact("C" + i, String.format("+49151123%05d", i), "all");
        }
        wasched.schedules().create(ScheduleSpec.builder().account(ACCOUNT).to(Target.tag("all")).text("hi {{name}}")
                .trigger(Trigger.once(clock.instant())).build());
    }

    Contact contact(String name, String phone, String... tags) {
        return wasched.contacts().create(ContactSpec.builder().name(name).phone(phone).tag(tags).build());
    }

    List<Delivery> deliveries() {
        return wasched.deliveries().history(DeliveryQuery.all(), PageRequest.first(1000)).items();
    }

    List<Delivery> deliveries(DeliveryStatus status) {
        return wasched.deliveries().history(DeliveryQuery.status(status), PageRequest.first(1000)).items();
    }

    <T extends WaschedEvent> List<T> events(Class<T> type) {
        return events.stream().filter(type::isInstance).map(type::cast).toList();
    }

    int runAfter(Duration d) {
        clock.advance(d);
        return wasched.runDue();
    }
}
