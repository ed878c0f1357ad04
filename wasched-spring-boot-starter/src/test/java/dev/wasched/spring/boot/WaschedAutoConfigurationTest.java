package dev.wasched.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import dev.wasched.Wasched;
import dev.wasched.account.Account;
import dev.wasched.contact.Contact;
import dev.wasched.contact.ContactSpec;
import dev.wasched.PageRequest;
import dev.wasched.delivery.DeliveryQuery;
import dev.wasched.delivery.DeliveryStatus;
import dev.wasched.event.WaschedEvent;
import dev.wasched.event.WaschedListener;
import dev.wasched.memory.InMemoryStore;
import dev.wasched.metrics.MetricsRecorder;
import dev.wasched.metrics.WaschedMetrics;
import dev.wasched.policy.PacingPolicy;
import dev.wasched.policy.QuietHours;
import dev.wasched.schedule.Schedule;
import dev.wasched.schedule.ScheduleSpec;
import dev.wasched.schedule.Target;
import dev.wasched.schedule.Trigger;
import dev.wasched.session.AccountState;
import dev.wasched.spi.store.WaschedStore;
import dev.wasched.spi.transport.TransportFactory;
import dev.wasched.store.jdbc.JdbcStore;
import dev.wasched.store.mongo.MongoStore;
import dev.wasched.testkit.transport.RecordingTransport;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.sql.DataSource;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

class WaschedAutoConfigurationTest {
    private static final Duration WAIT = Duration.ofSeconds(20);

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(WaschedAutoConfiguration.class,
                    WaschedHealthAutoConfiguration.class, WaschedWebAutoConfiguration.class))
            .withPropertyValues("wasched.instance-id=test-instance", "wasched.lease.heartbeat-interval=200ms",
                    "wasched.lease.duration=2s", "wasched.fallback-poll=200ms");

    @Test
    void propertiesReachTheEngine() {
        runner.withUserConfiguration(H2.class, Recording.class).withPropertyValues(
                "wasched.default-region=DE",
                "wasched.default-zone=Europe/Berlin",
                "wasched.lease.duration=45s",
                "wasched.lease.heartbeat-interval=5s",
                "wasched.fallback-poll=7s",
                "wasched.shutdown-timeout=3s",
                "wasched.retention=12d",
                "wasched.sending-enabled=false",
                "wasched.session.key=" + java.util.Base64.getEncoder().encodeToString(new byte[32]),
                "wasched.session.adopt-unencrypted=true",
                "wasched.pacing.min-gap=20s",
                "wasched.pacing.jitter=4s",
                "wasched.pacing.hourly-cap=30",
                "wasched.pacing.daily-cap=200",
                "wasched.pacing.new-contacts-daily-cap=10",
                "wasched.pacing.quiet-hours-start=21:00",
                "wasched.pacing.quiet-hours-end=08:00",
                "wasched.pacing.simulate-typing=false",
                "wasched.pacing.zone=Europe/Berlin").run(context -> {
            assertThat(context).hasNotFailed();
            var config = context.getBean(Wasched.class).config();
            assertThat(config.instanceId()).isEqualTo("test-instance");
            assertThat(config.defaultRegion()).isEqualTo("DE");
            assertThat(config.defaultZone()).isEqualTo(ZoneId.of("Europe/Berlin"));
            assertThat(config.leaseDuration()).isEqualTo(Duration.ofSeconds(45));
            assertThat(config.heartbeatInterval()).isEqualTo(Duration.ofSeconds(5));
            assertThat(config.fallbackPoll()).isEqualTo(Duration.ofSeconds(7));
            assertThat(config.shutdownTimeout()).isEqualTo(Duration.ofSeconds(3));
            assertThat(config.retention()).isEqualTo(Duration.ofDays(12));
            assertThat(config.sendingEnabled()).isFalse();
            assertThat(config.sessionKey()).isNotNull();
            assertThat(config.adoptUnencryptedSessions()).isTrue();
            assertThat(config.pacing()).isEqualTo(new PacingPolicy(Duration.ofSeconds(20), Duration.ofSeconds(4), 30,
                    200, 10, new QuietHours(LocalTime.of(21, 0), LocalTime.of(8, 0)), false,
                    ZoneId.of("Europe/Berlin")));
        });
    }

    @Test
    void customizersHaveTheLastWord() {
        runner.withUserConfiguration(H2.class).withPropertyValues("wasched.pacing.daily-cap=100")
                .withBean("backlog", WaschedBuilderCustomizer.class, () -> b -> b.maxBacklogOccurrences(3))
                .withBean("noPacing", WaschedBuilderCustomizer.class, () -> b -> b.pacing(PacingPolicy.unlimited()))
                .run(context -> {
                    var config = context.getBean(Wasched.class).config();
                    assertThat(config.maxBacklogOccurrences()).isEqualTo(3);
                    assertThat(config.pacing()).isEqualTo(PacingPolicy.unlimited());
                });
    }

    @Test
    void unsetPropertiesKeepTheLibraryDefaults() {
        runner.withUserConfiguration(H2.class).run(context -> {
            var config = context.getBean(Wasched.class).config();
            assertThat(config.pacing()).isEqualTo(PacingPolicy.DEFAULT);
            assertThat(config.sessionKey()).isNull();
            assertThat(config.sendingEnabled()).isTrue();
            assertThat(config.shutdownTimeout()).isEqualTo(Duration.ofSeconds(10));
        });
    }

    @Test
    void declaredAccountsAreRegisteredWithTheirKindSettingsAndPacing() {
        runner.withUserConfiguration(H2.class, Recording.class).withPropertyValues(
                "wasched.pacing.daily-cap=100",
                "wasched.accounts.shop.kind=recording",
                "wasched.accounts.shop.settings.expectedNumber=+4915112345678",
                "wasched.accounts.shop.pacing.min-gap=1s",
                "wasched.accounts.shop-2.kind=recording").run(context -> {
            Wasched wasched = context.getBean(Wasched.class);
            Account shop = wasched.accounts().get("shop");
            assertThat(shop.kind()).isEqualTo("recording");
            assertThat(shop.settings()).containsExactly(Map.entry("expectedNumber", "+4915112345678"));
            // the account's own values over the shared ones
            assertThat(shop.pacing().minGap()).isEqualTo(Duration.ofSeconds(1));
            assertThat(shop.pacing().dailyCap()).isEqualTo(100);
            assertThat(wasched.accounts().get("shop-2").pacing()).isNull();
        });
    }

    @Test
    void aRestartUpdatesADeclaredAccountThatChanged() {
        JdbcDataSource ds = h2();
        runner.withBean(DataSource.class, () -> ds).withUserConfiguration(Recording.class)
                .withPropertyValues("wasched.accounts.shop.kind=recording", "wasched.accounts.shop.settings.a=1")
                .run(context -> assertThat(context.getBean(Wasched.class).accounts().get("shop").settings())
                        .containsEntry("a", "1"));
        runner.withBean(DataSource.class, () -> ds).withUserConfiguration(Recording.class)
                .withPropertyValues("wasched.accounts.shop.kind=recording", "wasched.accounts.shop.settings.a=2")
                .run(context -> {
                    Account shop = context.getBean(Wasched.class).accounts().get("shop");
                    assertThat(shop.settings()).containsExactly(Map.entry("a", "2"));
                    assertThat(shop.version()).isGreaterThan(1);
                });
    }

    @Test
    void aMessageIsSentThroughATransportFactoryBean() {
        runner.withUserConfiguration(H2.class, Recording.class)
                .withPropertyValues("wasched.accounts.shop.kind=recording", "wasched.pacing.min-gap=0s",
                        "wasched.pacing.jitter=0s", "wasched.pacing.simulate-typing=false")
                .run(context -> {
                    Wasched wasched = context.getBean(Wasched.class);
                    Contact ann = wasched.contacts().create(ContactSpec.builder().name("Ann").phone("+491701234567")
                            .build());
                    Schedule s = wasched.schedules().create(ScheduleSpec.builder().account("shop")
                            .to(Target.contacts(ann.id())).text("Hello").trigger(Trigger.once(Instant.now())).build());
                    await().atMost(WAIT).until(() -> wasched.deliveries().history(DeliveryQuery
                            .status(DeliveryStatus.SENT).forSchedule(s.id()), PageRequest.first(10)).items().size() == 1);
                    RecordingTransport transport = context.getBean(Recording.class).made.get(0);
                    assertThat(transport.sent()).hasSize(1);
                    // WaschedListener beans hear the engine
                    assertThat(context.getBean(Recording.class).events)
                            .anyMatch(WaschedEvent.DeliverySent.class::isInstance);
                });
    }

    @Test
    void closingTheContextLetsASendInFlightFinish() {
        JdbcDataSource ds = h2();
        Recording recording = new Recording();
        String[] schedule = new String[1];
        long[] closing = new long[1];
        // the configuration class given as an instance, to reach its transports after the context closed
        runner.withBean(DataSource.class, () -> ds).withBean(Recording.class, () -> recording)
                .withPropertyValues("wasched.accounts.shop.kind=recording", "wasched.pacing.min-gap=0s",
                        "wasched.pacing.jitter=0s", "wasched.shutdown-timeout=10s")
                .run(context -> {
                    Wasched wasched = context.getBean(Wasched.class);
                    await().atMost(WAIT).until(() -> wasched.sessions().status("shop").state() == AccountState.READY);
                    recording.made.get(0).slowSends(Duration.ofSeconds(2));
                    Contact ann = wasched.contacts().create(ContactSpec.builder().name("Ann").phone("+491701234567")
                            .build());
                    schedule[0] = wasched.schedules().create(ScheduleSpec.builder().account("shop")
                            .to(Target.contacts(ann.id())).text("Hello").trigger(Trigger.once(Instant.now())).build())
                            .id();
                    await().atMost(WAIT).until(() -> !wasched.deliveries().history(DeliveryQuery
                            .status(DeliveryStatus.SENDING).forSchedule(schedule[0]), PageRequest.first(1)).items()
                            .isEmpty());
                    closing[0] = System.nanoTime();
                });
        Duration took = Duration.ofNanos(System.nanoTime() - closing[0]);
        assertThat(took).isLessThan(Duration.ofSeconds(10));
        assertThat(recording.made.get(0).sent()).hasSize(1);
        // a new start on the same database finds the delivery SENT, not UNCERTAIN
        runner.withBean(DataSource.class, () -> ds).withPropertyValues("wasched.auto-startup=false")
                .run(context -> assertThat(context.getBean(Wasched.class).deliveries().history(
                        DeliveryQuery.all().forSchedule(schedule[0]), PageRequest.first(10)).items())
                        .extracting(d -> d.status()).containsExactly(DeliveryStatus.SENT));
    }

    @Test
    void theStoreIsMadeFromTheDataSource() {
        runner.withUserConfiguration(H2.class).run(context -> {
            assertThat(context).hasSingleBean(WaschedStore.class);
            assertThat(context.getBean(WaschedStore.class)).isInstanceOf(JdbcStore.class);
            // the tables were created (wasched.store.jdbc.auto-migrate defaults to true)
            try (var c = context.getBean(DataSource.class).getConnection();
                 var rs = c.createStatement().executeQuery("select count(*) from wasched_schema_history")) {
                assertThat(rs.next()).isTrue();
            }
        });
    }

    @Test
    void theStoreIsMadeFromTheMongoClientWhenThereIsNoDataSource() {
        MongoServer server = new MongoServer(new MemoryBackend());
        String uri = "mongodb://127.0.0.1:" + server.bind().getPort();
        try {
            // each context closes the client it was given
            runner.withBean(MongoClient.class, () -> MongoClients.create(uri))
                    .withPropertyValues("wasched.store.mongo.database=shop").run(context -> {
                        assertThat(context.getBean(WaschedStore.class)).isInstanceOf(MongoStore.class);
                        context.getBean(Wasched.class).templates().save("hi", "Hi {{name}}");
                        assertThat(context.getBean(MongoClient.class).getDatabase("shop").listCollectionNames())
                                .isNotEmpty();
                    });
            // both present: the DataSource wins
            runner.withBean(MongoClient.class, () -> MongoClients.create(uri)).withUserConfiguration(H2.class)
                    .run(context -> assertThat(context.getBean(WaschedStore.class)).isInstanceOf(JdbcStore.class));
        } finally {
            server.shutdownNow();
        }
    }

    @Test
    void withoutAStoreTheContextFailsSayingWhatIsMissing() {
        runner.run(context -> assertThat(context).hasFailed().getFailure()
                .rootCause().hasMessageContaining("wasched needs a store"));
    }

    @Test
    void theApplicationsOwnBeansWin() {
        InMemoryStore store = new InMemoryStore();
        runner.withBean(WaschedStore.class, () -> store).withUserConfiguration(H2.class).run(context -> {
            assertThat(context).hasSingleBean(WaschedStore.class);
            assertThat(context.getBean(WaschedStore.class)).isSameAs(store);
        });
        Wasched own = Wasched.builder().store(new InMemoryStore()).instanceId("own").build();
        runner.withBean(Wasched.class, () -> own).run(context -> {
            assertThat(context).hasSingleBean(Wasched.class);
            assertThat(context.getBean(Wasched.class)).isSameAs(own);
            // the application's own engine is still started and stopped with the context
            assertThat(own.isRunning()).isTrue();
        });
        assertThat(own.isRunning()).isFalse();
    }

    @Test
    void wasched_runsWhileTheContextRunsUnlessAutoStartupIsOff() {
        Wasched[] seen = new Wasched[1];
        runner.withUserConfiguration(H2.class).run(context -> {
            seen[0] = context.getBean(Wasched.class);
            assertThat(seen[0].isRunning()).isTrue();
            assertThat(context.getBean("waschedLifecycle", SmartLifecycle.class).isRunning()).isTrue();
        });
        assertThat(seen[0].isRunning()).isFalse();
        runner.withUserConfiguration(H2.class).withPropertyValues("wasched.auto-startup=false")
                .run(context -> assertThat(context.getBean(Wasched.class).isRunning()).isFalse());
        runner.withUserConfiguration(H2.class).withPropertyValues("wasched.enabled=false")
                .run(context -> assertThat(context).doesNotHaveBean(Wasched.class));
    }

    @Test
    void healthReportsTheAccountsTheStoreAndTheQueue() {
        runner.withUserConfiguration(H2.class, Recording.class)
                .withPropertyValues("wasched.accounts.shop.kind=recording", "wasched.pacing.daily-cap=77")
                .run(context -> {
                    Wasched wasched = context.getBean(Wasched.class);
                    await().atMost(WAIT).until(() -> wasched.sessions().status("shop").state() == AccountState.READY);
                    HealthIndicator indicator = context.getBean("waschedHealthIndicator", HealthIndicator.class);
                    Health health = indicator.health();
                    assertThat(health.getStatus()).isEqualTo(Status.UP);
                    assertThat(health.getDetails()).containsEntry("wasched", "UP")
                            .containsEntry("instanceId", "test-instance")
                            .containsEntry("sendingPaused", false);
                    assertThat(health.getDetails().get("store")).asInstanceOf(
                            org.assertj.core.api.InstanceOfAssertFactories.MAP).containsEntry("reachable", true);
                    assertThat(health.getDetails().get("queue")).asInstanceOf(
                            org.assertj.core.api.InstanceOfAssertFactories.MAP).containsEntry("pending", 0L)
                            .containsEntry("dead", 0L);
                    assertThat(health.getDetails().get("accounts")).asInstanceOf(
                            org.assertj.core.api.InstanceOfAssertFactories.MAP).extractingByKey("shop").asInstanceOf(
                            org.assertj.core.api.InstanceOfAssertFactories.MAP).containsEntry("state", "READY").containsEntry("ownedHere", true)
                            .containsEntry("owner", "test-instance").containsEntry("dailyCap", 77);

                    // paused sending needs a person, not a restart: DEGRADED, with its reason, yet UP for Actuator
                    wasched.pauseSending();
                    Health paused = indicator.health();
                    assertThat(paused.getStatus()).isEqualTo(Status.UP);
                    assertThat(paused.getDetails()).containsEntry("wasched", "DEGRADED")
                            .containsEntry("sendingPaused", true);
                    assertThat(paused.getDetails().get("reasons")).asString().contains("sending is paused");
                });
    }

    @Test
    void healthIsDownWhenTheStoreIsUnreachable() {
        JdbcDataSource h2 = h2();
        AtomicBoolean broken = new AtomicBoolean();
        DataSource ds = (DataSource) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {DataSource.class}, (proxy, method, args) -> {
                    if (broken.get() && method.getName().equals("getConnection")) {
                        throw new SQLException("connection refused");
                    }
                    try {
                        return method.invoke(h2, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
        runner.withBean(DataSource.class, () -> ds).withPropertyValues("wasched.auto-startup=false")
                .run(context -> {
                    HealthIndicator indicator = context.getBean("waschedHealthIndicator", HealthIndicator.class);
                    assertThat(indicator.health().getStatus()).isEqualTo(Status.UP);
                    broken.set(true);
                    Health health = indicator.health();
                    assertThat(health.getStatus()).isEqualTo(Status.DOWN);
                    assertThat(health.getDetails().get("store")).asInstanceOf(
                            org.assertj.core.api.InstanceOfAssertFactories.MAP).containsEntry("reachable", false);
                });
    }

    @Test
    void metricsGoToTheApplicationsMeterRegistry() {
        runner.withUserConfiguration(H2.class).withBean(MeterRegistry.class, SimpleMeterRegistry::new)
                .run(context -> {
                    assertThat(context.getBean(MetricsRecorder.class)).isInstanceOf(WaschedMetrics.class);
                    MeterRegistry registry = context.getBean(MeterRegistry.class);
                    assertThat(registry.get("wasched.queue.depth").tag("state", "pending").gauge().value())
                            .isEqualTo(0.0);
                });
        runner.withUserConfiguration(H2.class)
                .run(context -> assertThat(context).doesNotHaveBean(MetricsRecorder.class));
    }

    @Test
    void propertiesAreDescribedForIdes() throws Exception {
        try (var in = getClass().getResourceAsStream("/META-INF/spring-configuration-metadata.json")) {
            assertThat(in).as("written by spring-boot-configuration-processor").isNotNull();
            String metadata = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            assertThat(metadata).contains("\"wasched.pacing.min-gap\"", "\"wasched.web.path\"",
                    "\"wasched.store.jdbc.auto-migrate\"", "Least time between two sends of one account.");
        }
    }

    static JdbcDataSource h2() {
        JdbcDataSource ds = new JdbcDataSource();
        ds.setURL("jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
        return ds;
    }

    @Configuration(proxyBeanMethods = false)
    static class H2 {
        @Bean
        DataSource dataSource() {
            return h2();
        }
    }

    /** Runs accounts of kind "recording" on RecordingTransports, and hears the engine's events. */
    @Configuration(proxyBeanMethods = false)
    static class Recording implements WaschedListener {
        final List<RecordingTransport> made = new CopyOnWriteArrayList<>();
        final List<WaschedEvent> events = new CopyOnWriteArrayList<>();

        @Bean("recording")
        TransportFactory recordingTransports() {
            return account -> {
                RecordingTransport t = new RecordingTransport(account.name());
                made.add(t);
                return t;
            };
        }

        @Override
        public void onEvent(WaschedEvent event) {
            events.add(event);
        }
    }
}
