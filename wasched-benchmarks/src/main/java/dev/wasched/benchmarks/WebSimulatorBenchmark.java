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
import dev.wasched.whatsapp.PlaywrightTransportStats;
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
import java.util.concurrent.atomic.AtomicReference;

/**
 * The WhatsApp Web transport against the simulator (system Chromium) with the 2025-26 page, its default 8 s boot and
 * a chat history of {@code bench.web.historyMb} in IndexedDB, driven by the engine with unlimited pacing: page loads
 * per send (the first message to each chat, and later ones), the time one {@code send} takes with the page up,
 * messages per second end to end, the session snapshot's size and time and the longest a send waited for one (a
 * snapshot every 5 s while sending), and the cold start of a new instance to READY with the session restored from
 * the store (browser launch and boot included).
 */
public final class WebSimulatorBenchmark {
    private static final String ACCOUNT = "web";
    private static final int RECIPIENTS = 5;
    private static final Duration READY_TIMEOUT = Duration.ofMinutes(5);

    private final BenchmarkSettings settings;

    public WebSimulatorBenchmark(BenchmarkSettings settings) {
        this.settings = settings;
    }

    /**
     * @param loadsPerFirstSend page loads per send of the first message to each chat
     * @param loadsPerLaterSend page loads per send to a chat that was opened before
     */
    public record Result(LatencySummary send, int messages, double messagesPerSecond, LatencySummary coldStart,
                         double loadsPerFirstSend, double loadsPerLaterSend, long snapshotBytes, long snapshotMillis,
                         long longestSnapshotHoldMillis, long snapshots) {
        @Override
        public String toString() {
            return String.format("web simulator: send() %s; %d messages at %.2f/s through the engine; page loads per "
                    + "send %.2f (first to a chat), %.2f (later); %d snapshots, last %.1f MB in %d ms, a send waited "
                    + "at most %d ms for one; cold start to READY %s", send, messages, messagesPerSecond,
                    loadsPerFirstSend, loadsPerLaterSend, snapshots, snapshotBytes / 1e6, snapshotMillis,
                    longestSnapshotHoldMillis, coldStart);
        }
    }

    public Result run() throws IOException, InterruptedException {
        Path work = Files.createTempDirectory("wasched-web-bench");
        InMemoryStore store = new InMemoryStore();
        List<Duration> sendTimes = new CopyOnWriteArrayList<>();
        try (WhatsAppWebSimulator sim = WhatsAppWebSimulator.builder()
                .chatHistoryBytes(settings.webHistoryMb() * 1024L * 1024L).build().start()) {
            List<String> numbers = new ArrayList<>();
            for (int i = 0; i < RECIPIENTS; i++) {
                numbers.add("+49170100000" + i);
                sim.registerNumber(numbers.get(i), "Recipient " + i);
            }
            int messages = Math.max(settings.webMessages(), 2 * RECIPIENTS);
            AtomicReference<PlaywrightTransport> transport = new AtomicReference<>();
            double perSecond;
            double firstLoads;
            double laterLoads;
            try (Wasched first = engine(store, "web-login", sim, work, sendTimes, transport)) {
                awaitReady(first, sim, true);
                List<Contact> contacts = new ArrayList<>();
                for (String n : numbers) {
                    contacts.add(first.contacts().create(ContactSpec.builder().name("Recipient " + n).phone(n).build()));
                }
                long t0 = System.nanoTime();
                long loads0 = sim.pageLoads();
                schedule(first, contacts, 0, RECIPIENTS);
                awaitReceived(sim, RECIPIENTS);
                long loads1 = sim.pageLoads();
                schedule(first, contacts, RECIPIENTS, messages);
                awaitReceived(sim, messages);
                perSecond = messages / ((System.nanoTime() - t0) / 1e9);
                firstLoads = (loads1 - loads0) / (double) RECIPIENTS;
                laterLoads = (sim.pageLoads() - loads1) / (double) (messages - RECIPIENTS);
            }
            PlaywrightTransportStats stats = transport.get().stats();
            List<Duration> coldStarts = new ArrayList<>();
            for (int i = 0; i < settings.webColdStarts(); i++) {
                try (Wasched again = engine(store, "web-restart-" + i, sim, work, new CopyOnWriteArrayList<>(),
                        new AtomicReference<>())) {
                    coldStarts.add(awaitReady(again, sim, false));
                }
            }
            return new Result(LatencySummary.of(sendTimes), messages, perSecond, LatencySummary.of(coldStarts),
                    firstLoads, laterLoads, stats.lastSnapshotBytes(), stats.lastSnapshotMillis(),
                    stats.longestSnapshotHold().toMillis(), stats.snapshotsSaved());
        }
    }

    private static void schedule(Wasched wasched, List<Contact> contacts, int from, int to) {
        for (int i = from; i < to; i++) {
            wasched.schedules().create(ScheduleSpec.builder().name("m" + i).account(ACCOUNT)
                    .to(Target.contacts(contacts.get(i % RECIPIENTS).id())).text("message " + i)
                    .trigger(Trigger.once(Instant.now())).build());
        }
    }

    private static Wasched engine(InMemoryStore store, String instanceId, WhatsAppWebSimulator sim, Path work,
                                  List<Duration> sendTimes, AtomicReference<PlaywrightTransport> made) {
        PlaywrightTransportConfig config = PlaywrightTransportConfig.builder(ACCOUNT).webUrl(sim.url())
                .browserExecutable(Path.of(System.getenv().getOrDefault("WASCHED_CHROMIUM", "/usr/bin/chromium")))
                .sessionSaveInterval(Duration.ofSeconds(5))
                .workDirectory(work.resolve(instanceId)).build();
        return Wasched.builder().store(store).instanceId(instanceId).pacing(PacingPolicy.unlimited())
                .transport(ACCOUNT, () -> {
                    PlaywrightTransport t = new PlaywrightTransport(config);
                    made.set(t);
                    return new TimedTransport(t, sendTimes);
                }).build();
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
