package dev.wasched.whatsapp;

import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.BrowserType;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import dev.wasched.session.AccountState;
import dev.wasched.spi.transport.TransportEvent;
import dev.wasched.testkit.transport.RecordingTransportContext;
import dev.wasched.testkit.whatsapp.WhatsAppWebSimulator;
import dev.wasched.whatsapp.internal.BrowserProcesses;
import dev.wasched.whatsapp.internal.ProfileArchive;
import dev.wasched.whatsapp.internal.SessionCodec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Stored sessions that cannot log in: an old storage-state snapshot (it cannot carry the simulator's non-extractable
 * CryptoKey) and a profile snapshot that cannot be unpacked are quarantined, with a QR code for a new link. Apart from
 * {@link ProfileSessionTest} so that the two run in parallel test JVMs.
 */
@Tag("browser")
class ProfileSessionQuarantineTest extends BrowserTestBase {
    /**
     * What the transport stored until now, a Playwright storage state with IndexedDB, cannot carry the simulator's
     * CryptoKey (it is written as {@code {}}): it is tried once, shows the QR code, and is quarantined with a message
     * that a new link is needed; after the new link a profile snapshot replaces it.
     */
    @Test
    void anOldStorageStateSnapshotDoesNotLogInAndIsQuarantinedAskingForANewLink() throws Exception {
        WhatsAppWebSimulator sim = simulator();
        String storageState = linkedStorageState(sim);
        assertThat(storageState).contains("wawc_db_enc");
        AtomicReference<byte[]> session = new AtomicReference<>(SessionCodec.encode(storageState));

        RecordingTransportContext ctx = new RecordingTransportContext("legacy", session);
        PlaywrightTransport t = transport(sim, "legacy", b -> b);
        t.start(ctx);
        TestSupport.await("a QR code", () -> !ctx.events(TransportEvent.QrCode.class).isEmpty());
        TestSupport.await("quarantined", () -> !ctx.quarantined.isEmpty());
        assertThat(ctx.quarantined).singleElement().asString()
                .contains("storage-state").contains("a new link");
        assertThat(ctx.states()).doesNotContain(AccountState.READY, AccountState.FAILED);

        TestSupport.scanLatestQr(sim, ctx.events);
        TestSupport.await("READY", () -> t.state() == AccountState.READY);
        assertThat(ProfileArchive.isArchive(session.get())).as("replaced by a profile snapshot").isTrue();
        assertThat(ctx.quarantined).hasSize(1);
    }

    @Test
    void aProfileSnapshotThatCannotBeUnpackedIsQuarantinedAskingForANewLink() throws Exception {
        WhatsAppWebSimulator sim = simulator();
        byte[] good;
        {
            Path p = Files.createDirectories(workDir.resolve("fake/Default/IndexedDB"));
            Files.writeString(p.resolve("x"), "x");
            good = ProfileArchive.pack(workDir.resolve("fake"));
        }
        AtomicReference<byte[]> session = new AtomicReference<>(java.util.Arrays.copyOf(good, good.length - 8));
        RecordingTransportContext ctx = new RecordingTransportContext("truncated", session);
        PlaywrightTransport t = transport(sim, "truncated", b -> b);
        t.start(ctx);
        TestSupport.await("a QR code", () -> !ctx.events(TransportEvent.QrCode.class).isEmpty());
        assertThat(ctx.quarantined).singleElement().asString().contains("a new link");
    }

    /** A session linked in a plain Playwright context and saved as storage state with IndexedDB. */
    private static String linkedStorageState(WhatsAppWebSimulator sim) {
        List<String> args = new ArrayList<>(List.of("--disable-background-networking", "--no-first-run"));
        if (BrowserProcesses.runningAsRoot()) {
            args.add("--no-sandbox");
        }
        try (Playwright pw = Playwright.create(new Playwright.CreateOptions()
                .setEnv(Map.of("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")));
             Browser browser = pw.chromium().launch(new BrowserType.LaunchOptions()
                     .setExecutablePath(TestSupport.chromium()).setHeadless(true).setArgs(args))) {
            BrowserContext context = browser.newContext();
            Page page = context.newPage();
            page.navigate(sim.url());
            page.waitForFunction("() => (document.querySelector('div[data-ref]')?.getAttribute('data-ref') || '')"
                    + ".startsWith('2@')");
            sim.scanQr(page.getAttribute("div[data-ref]", "data-ref"));
            page.locator("#pane-side").waitFor();
            return context.storageState(new BrowserContext.StorageStateOptions().setIndexedDB(true));
        }
    }
}
