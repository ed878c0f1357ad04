package dev.wasched.benchmarks;

import dev.wasched.delivery.Recipient;
import dev.wasched.message.MessageContent;
import dev.wasched.session.AccountState;
import dev.wasched.spi.transport.OutgoingMessage;
import dev.wasched.spi.transport.TransportEvent;
import dev.wasched.testkit.transport.RecordingTransportContext;
import dev.wasched.testkit.whatsapp.LinkRejectedException;
import dev.wasched.testkit.whatsapp.WhatsAppWebSimulator;
import dev.wasched.whatsapp.PageLayer;
import dev.wasched.whatsapp.PlaywrightTransport;
import dev.wasched.whatsapp.PlaywrightTransportConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * The two layers of the WhatsApp Web transport side by side, in one run on one simulator (2025-26 page, its
 * standard module registry): {@link PageLayer#AUTO} (WhatsApp Web's own modules) against {@link PageLayer#UI_ONLY}
 * (the page's user interface). With the page up and linked: the time one {@code send} takes, over
 * {@code bench.web.messages} texts to five recipients in turn, and registration checks per minute, half of them for
 * numbers not on WhatsApp. The transport is called directly, without the engine, so only the layer differs.
 */
public final class PageLayerBenchmark {
    private static final int RECIPIENTS = 5;
    private static final int CHECKS = 20;
    private static final Duration READY_TIMEOUT = Duration.ofMinutes(2);

    private final BenchmarkSettings settings;

    public PageLayerBenchmark(BenchmarkSettings settings) {
        this.settings = settings;
    }

    /** One layer's figures. */
    public record LayerResult(PageLayer layer, LatencySummary send, LatencySummary check, double checksPerMinute,
                              long sentInPage) {
    }

    /** Both layers, AUTO first. */
    public record Result(LayerResult inPage, LayerResult ui) {
        @Override
        public String toString() {
            return String.format("page layers: send() p50 %.0f ms in-page against %.0f ms through the UI (%.1fx); "
                            + "registration checks %.0f/min in-page against %.0f/min through the UI (%.1fx); "
                            + "%d of %d sends in-page", inPage.send().p50Ms(), ui.send().p50Ms(),
                    ui.send().p50Ms() / inPage.send().p50Ms(), inPage.checksPerMinute(), ui.checksPerMinute(),
                    inPage.checksPerMinute() / ui.checksPerMinute(), inPage.sentInPage(), inPage.send().count());
        }
    }

    public Result run() throws IOException, InterruptedException {
        Path work = Files.createTempDirectory("wasched-layer-bench");
        try (WhatsAppWebSimulator sim = WhatsAppWebSimulator.builder().build().start()) {
            List<String> numbers = new ArrayList<>();
            for (int i = 0; i < RECIPIENTS; i++) {
                numbers.add("+49170200000" + i);
                sim.registerNumber(numbers.get(i), "Recipient " + i);
            }
            LayerResult inPage = measure(sim, work, PageLayer.AUTO, numbers);
            LayerResult ui = measure(sim, work, PageLayer.UI_ONLY, numbers);
            return new Result(inPage, ui);
        }
    }

    private LayerResult measure(WhatsAppWebSimulator sim, Path work, PageLayer layer, List<String> numbers)
            throws InterruptedException {
        String account = "layer-" + layer.name().toLowerCase(java.util.Locale.ROOT);
        PlaywrightTransportConfig config = PlaywrightTransportConfig.builder(account).webUrl(sim.url())
                .browserExecutable(Path.of(System.getenv().getOrDefault("WASCHED_CHROMIUM", "/usr/bin/chromium")))
                .workDirectory(work.resolve(account)).pageLayer(layer).build();
        RecordingTransportContext ctx = new RecordingTransportContext(account);
        try (PlaywrightTransport t = new PlaywrightTransport(config)) {
            t.start(ctx);
            awaitReady(t, ctx, sim);
            int messages = Math.max(settings.webMessages(), 2 * RECIPIENTS);
            List<Duration> sends = new ArrayList<>();
            for (int i = 0; i < messages; i++) {
                String to = numbers.get(i % RECIPIENTS);
                OutgoingMessage m = new OutgoingMessage(UUID.randomUUID().toString(), account,
                        Recipient.contact("c-" + i, to, null), MessageContent.text(layer + " message " + i), null,
                        false);
                long t0 = System.nanoTime();
                t.send(m);
                sends.add(Duration.ofNanos(System.nanoTime() - t0));
            }
            List<Duration> checks = new ArrayList<>();
            long c0 = System.nanoTime();
            for (int i = 0; i < CHECKS; i++) {
                String number = i % 2 == 0 ? numbers.get(i / 2 % RECIPIENTS) : "+4917030000" + String.format("%02d", i);
                long t0 = System.nanoTime();
                t.isRegistered(dev.wasched.contact.PhoneNumber.of(number));
                checks.add(Duration.ofNanos(System.nanoTime() - t0));
            }
            double perMinute = CHECKS / ((System.nanoTime() - c0) / 6e10);
            return new LayerResult(layer, LatencySummary.of(sends), LatencySummary.of(checks), perMinute,
                    t.stats().sentInPage());
        } catch (dev.wasched.spi.transport.TransportException e) {
            throw new IllegalStateException(layer + ": " + e.getMessage(), e);
        }
    }

    private static void awaitReady(PlaywrightTransport t, RecordingTransportContext ctx, WhatsAppWebSimulator sim)
            throws InterruptedException {
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        String scanned = null;
        while (t.state() != AccountState.READY) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the transport was not READY within " + READY_TIMEOUT);
            }
            String qr = ctx.events(TransportEvent.QrCode.class).stream().map(TransportEvent.QrCode::payload)
                    .reduce((a, b) -> b).orElse(null);
            if (qr != null && !qr.equals(scanned)) {
                try {
                    sim.scanQr(qr);
                    scanned = qr;
                } catch (LinkRejectedException rotated) {
                    // a newer code is on its way
                }
            }
            Thread.sleep(50);
        }
    }
}
