package dev.wasched.whatsapp;

import dev.wasched.testkit.transport.RecordingTransportContext;

import dev.wasched.contact.PhoneNumber;
import dev.wasched.delivery.Recipient;
import dev.wasched.message.MediaAttachment;
import dev.wasched.message.MessageContent;
import dev.wasched.session.AccountState;
import dev.wasched.spi.transport.OutgoingMessage;
import dev.wasched.testkit.whatsapp.WhatsAppWebSimulator;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;

/** A simulator per test and transports that are closed after it. */
abstract class BrowserTestBase {
    static final String ALICE = "+491701234567";
    static final String BOB = "+491707654321";
    static final String NOBODY = "+491709999999";

    @TempDir
    Path workDir;

    final List<AutoCloseable> toClose = new CopyOnWriteArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (int i = toClose.size() - 1; i >= 0; i--) {
            toClose.get(i).close();
        }
    }

    WhatsAppWebSimulator simulator(UnaryOperator<WhatsAppWebSimulator.Builder> options) {
        WhatsAppWebSimulator sim = options.apply(TestSupport.fastSimulator()).build().start();
        toClose.add(sim);
        sim.registerNumber(ALICE, "Alice");
        sim.registerNumber(BOB);
        return sim;
    }

    /**
     * The page layer of this class's transports, or null for the library's default ({@link PageLayer#AUTO}); tests
     * of the user interface's mechanics use {@link PageLayer#UI_ONLY}, since on a page with modules AUTO sends texts
     * without the interface.
     */
    PageLayer pageLayer() {
        return null;
    }

    WhatsAppWebSimulator simulator() {
        return simulator(b -> b);
    }

    PlaywrightTransport transport(WhatsAppWebSimulator sim, String account,
                                  UnaryOperator<PlaywrightTransportConfig.Builder> options) {
        PlaywrightTransportConfig.Builder b = TestSupport.config(account, sim.url(), workDir);
        if (pageLayer() != null) {
            b.pageLayer(pageLayer());
        }
        PlaywrightTransport t = new PlaywrightTransport(options.apply(b).build());
        toClose.add(t);
        return t;
    }

    /** Starts a transport, scans its QR code and waits until it is READY. */
    PlaywrightTransport linked(WhatsAppWebSimulator sim, String account, RecordingTransportContext ctx,
                               UnaryOperator<PlaywrightTransportConfig.Builder> options) {
        PlaywrightTransport t = transport(sim, account, options);
        t.start(ctx);
        TestSupport.await("QR or READY", () -> t.state() == AccountState.QR || t.state() == AccountState.READY);
        if (t.state() == AccountState.QR) {
            TestSupport.scanLatestQr(sim, ctx.events);
        }
        TestSupport.await("READY", () -> t.state() == AccountState.READY);
        return t;
    }

    PlaywrightTransport linked(WhatsAppWebSimulator sim, RecordingTransportContext ctx) {
        return linked(sim, ctx.account(), ctx, b -> b);
    }

    static OutgoingMessage text(String to, String text) {
        return new OutgoingMessage(UUID.randomUUID().toString(), "acct",
                Recipient.contact("c-" + to, to, null), MessageContent.text(text), null, false);
    }

    static OutgoingMessage toGroup(String group, String text) {
        return new OutgoingMessage(UUID.randomUUID().toString(), "acct", Recipient.group(group, null),
                MessageContent.text(text), null, false);
    }

    static OutgoingMessage media(String to, byte[] bytes, String mime, String fileName, String caption) {
        MediaAttachment a = new MediaAttachment(sha256(bytes), mime, fileName, bytes.length);
        return new OutgoingMessage(UUID.randomUUID().toString(), "acct",
                Recipient.contact("c-" + to, to, null), MessageContent.media(a, caption), bytes, false);
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static PhoneNumber phone(String e164) {
        return PhoneNumber.of(e164);
    }

    static String unique(String prefix) {
        return prefix + " " + UUID.randomUUID().toString().substring(0, 8);
    }
}
