package dev.wasched.examples.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.wasched.PageRequest;
import dev.wasched.Wasched;
import dev.wasched.contact.Contact;
import dev.wasched.contact.ContactSpec;
import dev.wasched.delivery.Delivery;
import dev.wasched.delivery.DeliveryQuery;
import dev.wasched.delivery.DeliveryStatus;
import dev.wasched.schedule.Schedule;
import dev.wasched.schedule.ScheduleSpec;
import dev.wasched.schedule.Target;
import dev.wasched.schedule.Trigger;
import dev.wasched.session.AccountState;
import dev.wasched.spi.store.WaschedStore;
import dev.wasched.store.jdbc.JdbcStore;
import dev.wasched.testkit.whatsapp.LinkRejectedException;
import dev.wasched.testkit.whatsapp.ReceivedMessage;
import dev.wasched.testkit.whatsapp.WhatsAppWebSimulator;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The Spring Boot sample as an application starts it: H2 from {@code spring.datasource.*}, the account declared in
 * {@code wasched.*} properties and run by the sample's WhatsApp Web transport factory in Chromium against the
 * simulator, linked by its QR code. One message reaches the simulated phone once, and its delivery is SENT.
 */
@SpringBootTest(classes = WaschedSpringSample.class, properties = {
        "spring.datasource.url=jdbc:h2:mem:spring-sample;DB_CLOSE_DELAY=-1",
        "wasched.instance-id=spring-sample",
        "wasched.lease.heartbeat-interval=1s",
        "wasched.pacing.min-gap=0s",
        "wasched.pacing.jitter=0s",
        "wasched.pacing.simulate-typing=false",
        "wasched.accounts.shop.kind=whatsapp-web",
        "wasched.accounts.shop.settings.pollInterval=PT0.1S",
        // a user agent of its own spares the start a throwaway launch that only learns Chromium's
        "wasched.accounts.shop.settings.userAgent=Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like "
                + "Gecko) Chrome/130.0.0.0 Safari/537.36"})
@Tag("browser")
@Import(WaschedSpringSampleTest.Simulator.class)
@DirtiesContext
class WaschedSpringSampleTest {
    private static final String ANN = "+491701234567";
    private static final Duration WAIT = Duration.ofSeconds(60);

    @TempDir
    static Path dir;
    private static WhatsAppWebSimulator sim;
    @Autowired
    Wasched wasched;
    @Autowired
    WaschedStore store;

    @DynamicPropertySource
    static void simulator(DynamicPropertyRegistry registry) {
        sim = WhatsAppWebSimulator.builder().loadingScreen(Duration.ofMillis(100)).pollInterval(Duration.ofMillis(100))
                .build().start();
        registry.add("wasched.accounts.shop.settings.webUrl", sim::url);
        registry.add("wasched.accounts.shop.settings.browser",
                () -> System.getenv().getOrDefault("WASCHED_CHROMIUM", "/usr/bin/chromium"));
        registry.add("sample.browser-directory", () -> dir.resolve("browser").toString());
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        registry.add("wasched.session.key", () -> Base64.getEncoder().encodeToString(key));
    }

    /** The simulator as a bean: the context closes it after it has stopped wasched and its browser. */
    @TestConfiguration(proxyBeanMethods = false)
    static class Simulator {
        @Bean
        WhatsAppWebSimulator simulator() {
            return sim;
        }
    }

    @Test
    void aMessageScheduledInTheSampleReachesThePhoneOnceAndIsSent() {
        assertThat(store).isInstanceOf(JdbcStore.class);
        sim.registerNumber(ANN, "Ann");
        await().atMost(WAIT).until(() -> {
            try {
                sim.scanQr(sim.awaitQrPayload(WAIT));
                return true;
            } catch (LinkRejectedException e) {
                return false; // the code rotated meanwhile: scan the new one
            }
        });
        await().atMost(WAIT).until(() -> wasched.sessions().status("shop").state() == AccountState.READY);

        Contact ann = wasched.contacts().create(ContactSpec.builder().name("Ann").phone(ANN).build());
        Schedule hello = wasched.schedules().create(ScheduleSpec.builder().account("shop")
                .to(Target.contacts(ann.id())).text("Hello from Spring Boot, {{name}}")
                .trigger(Trigger.once(Instant.now())).build());

        List<Delivery> sent = await().atMost(WAIT).until(() -> wasched.deliveries().history(
                DeliveryQuery.status(DeliveryStatus.SENT).forSchedule(hello.id()), PageRequest.first(10)).items(),
                d -> !d.isEmpty());
        assertThat(sent).singleElement().satisfies(d -> assertThat(d.transportMessageId()).isNotBlank());
        assertThat(sim.awaitReceived(ANN, 1, WAIT)).extracting(ReceivedMessage::text)
                .containsExactly("Hello from Spring Boot, Ann");
        assertThat(sim.received(ANN)).hasSize(1);
    }
}
