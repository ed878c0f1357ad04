package dev.wasched.benchmarks;

import dev.wasched.Wasched;
import dev.wasched.contact.Contact;
import dev.wasched.contact.ContactSpec;
import dev.wasched.event.WaschedEvent;
import dev.wasched.memory.InMemoryStore;
import dev.wasched.policy.PacingPolicy;
import dev.wasched.schedule.ScheduleSpec;
import dev.wasched.schedule.Target;
import dev.wasched.schedule.Trigger;
import dev.wasched.session.AccountState;
import dev.wasched.testkit.whatsapp.LinkRejectedException;
import dev.wasched.testkit.whatsapp.WhatsAppWebSimulator;
import dev.wasched.whatsapp.PlaywrightTransport;
import dev.wasched.whatsapp.PlaywrightTransportConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The WhatsApp Web transport against the simulator (system Chromium), driven by the engine with unlimited pacing:
 * the time one {@code send} takes, messages per second end to end, and the cold start of a new instance to READY
 * with the session restored from the store (browser launch included).
 */
public final class WebSimulatorBenchmark {
    private static final String ACCOUNT = "web";
    private static final int RECIPIENTS = 5;
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(90);

    private final BenchmarkSettings settings;

    public WebSimulatorBenchmark(BenchmarkSettings settings) {
        this.settings = settings;
    }

    public record Result(LatencySummary send, int messages, double messagesPerSecond, LatencySummary coldStart) {
        @Override
        public String toString() {
            return String.format("web simulator: send() %s; %d messages at %.2f/s through the engine; "
                    + "cold start to READY %s", send, messages, messagesPerSecond, coldStart);
        }
    }

    public Result run() throws IOException, InterruptedException {
        Path work = Files.createTempDirectory("wasched-web-bench");
        InMemoryStore store = new InMemoryStore();
        List<Duration> sendTimes = new CopyOnWriteArrayList<>();
        try (WhatsAppWebSimulator sim = WhatsAppWebSimulator.builder().build().start()) {
            List<String> numbers = new ArrayList<>();
            for (int i = 0; i < RECIPIENTS; i++) {
                numbers.add("+49170100000" + i);
                sim.registerNumber(numbers.get(i));
            }
            double perSecond;
            int messages = settings.webMessages();
            try (Wasched first = engine(store, "web-login", sim, work, sendTimes)) {
                awaitReady(first, sim, true);
                List<Contact> contacts = new ArrayList<>();
                for (String n : numbers) {
                    contacts.add(first.contacts().create(ContactSpec.builder().name("Recipient " + n).phone(n).build()));
                }
                long t0 = System.nanoTime();
                for (int i = 0; i < messages; i++) {
                    first.schedules().create(ScheduleSpec.builder().name("m" + i).account(ACCOUNT)
                            .to(Target.contacts(contacts.get(i % RECIPIENTS).id())).text("message " + i)
                            .trigger(Trigger.once(Instant.now())).build());
                }
                awaitReceived(sim, messages);
                perSecond = messages / ((System.nanoTime() - t0) / 1e9);
            }
            List<Duration> coldStarts = new ArrayList<>();
            for (int i = 0; i < settings.webColdStarts(); i++) {
                try (Wasched again = engine(store, "web-restart-" + i, sim, work, new CopyOnWriteArrayList<>())) {
                    coldStarts.add(awaitReady(again, sim, false));
                }
            }
            return new Result(LatencySummary.of(sendTimes), messages, perSecond, LatencySummary.of(coldStarts));
        }
    }

    private static Wasched engine(InMemoryStore store, String instanceId, WhatsAppWebSimulator sim, Path work,
                                  List<Duration> sendTimes) {
        PlaywrightTransportConfig config = PlaywrightTransportConfig.builder(ACCOUNT).webUrl(sim.url())
                .browserExecutable(Path.of(System.getenv().getOrDefault("WASCHED_CHROMIUM", "/usr/bin/chromium")))
                .workDirectory(work.resolve(instanceId)).build();
        return Wasched.builder().store(store).instanceId(instanceId).pacing(PacingPolicy.unlimited())
                .transport(ACCOUNT, () -> new TimedTransport(new PlaywrightTransport(config), sendTimes)).build();
    }

    /**
     * Starts the engine and waits for the account to be READY; scans QR codes when a login is expected, and fails
     * when one is shown although the session should have been restored. Returns the time from start to READY.
     */
    private static Duration awaitReady(Wasched wasched, WhatsAppWebSimulator sim, boolean loginExpected)
            throws InterruptedException {
        CountDownLatch ready = new CountDownLatch(1);
        List<String> problems = new CopyOnWriteArrayList<>();
        wasched.addListener(e -> {
            if (e instanceof WaschedEvent.AccountStateChanged s && s.to() == AccountState.READY) {
                ready.countDown();
            } else if (e instanceof WaschedEvent.LoginQrCode qr) {
                if (!loginExpected) {
                    problems.add("a QR code was shown although the session should have been restored");
                } else {
                    try {
                        sim.scanQr(qr.payload());
                    } catch (LinkRejectedException rotated) {
                        // The page showed a newer code meanwhile; its event follows.
                    }
                }
            }
        });
        long t0 = System.nanoTime();
        wasched.start();
        if (!ready.await(READY_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new IllegalStateException("the account was not READY within " + READY_TIMEOUT + " " + problems);
        }
        if (!problems.isEmpty()) {
            throw new IllegalStateException(problems.get(0));
        }
        return Duration.ofNanos(System.nanoTime() - t0);
    }

    private static void awaitReceived(WhatsAppWebSimulator sim, int count) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
        while (sim.allReceived().size() < count) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("only " + sim.allReceived().size() + " of " + count + " messages arrived");
            }
            Thread.sleep(20);
        }
    }
}
