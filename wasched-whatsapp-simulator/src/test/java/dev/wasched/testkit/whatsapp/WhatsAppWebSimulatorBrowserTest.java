package dev.wasched.testkit.whatsapp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.zxing.BinaryBitmap;
import com.google.zxing.ChecksumException;
import com.google.zxing.FormatException;
import com.google.zxing.NotFoundException;
import com.google.zxing.client.j2se.BufferedImageLuminanceSource;
import com.google.zxing.common.HybridBinarizer;
import com.google.zxing.qrcode.QRCodeReader;
import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.BrowserType;
import com.microsoft.playwright.ElementHandle;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import com.microsoft.playwright.options.FilePayload;
import com.microsoft.playwright.options.WaitForSelectorState;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Drives the {@link PageGeneration#WEB_2024} page with a real Chromium through Playwright, the way a transport
 * would. One browser for the class; a fresh simulator and browser context per test. The 2025-26 page has its own
 * class, {@code WhatsAppWeb2026BrowserTest}.
 */
@Tag("browser")
class WhatsAppWebSimulatorBrowserTest {

    private static final String ALICE = "+491701234567";
    private static final String COMPOSE = "div[contenteditable='true'][data-tab='10']";
    /** Only ever waited out when something is wrong: long enough for a loaded machine. */
    private static final Duration WAIT = Duration.ofSeconds(30);

    private static Playwright playwright;
    private static Browser browser;

    private final List<AutoCloseable> toClose = new ArrayList<>();
    private final List<String> pageErrors = new CopyOnWriteArrayList<>();
    private WhatsAppWebSimulator sim;

    @BeforeAll
    static void launchBrowser() {
        Path chromium = Paths.get(System.getenv().getOrDefault("WASCHED_CHROMIUM", "/usr/bin/chromium"));
        if (!Files.isExecutable(chromium)) {
            throw new IllegalStateException("these tests need Chromium at " + chromium
                    + " (apt-get install -y chromium, or set WASCHED_CHROMIUM)");
        }
        List<String> args = new ArrayList<>(List.of("--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--no-first-run", "--disable-gpu"));
        if ("root".equals(System.getProperty("user.name"))) {
            args.add("--no-sandbox"); // Chromium refuses to sandbox as root
        }
        playwright = Playwright.create(new Playwright.CreateOptions()
                .setEnv(Map.of("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")));
        browser = playwright.chromium().launch(new BrowserType.LaunchOptions()
                .setExecutablePath(chromium).setHeadless(true).setArgs(args));
    }

    @AfterAll
    static void closeBrowser() {
        if (browser != null) {
            browser.close();
        }
        if (playwright != null) {
            playwright.close();
        }
    }

    @AfterEach
    void closeAll() throws Exception {
        for (int i = toClose.size() - 1; i >= 0; i--) {
            toClose.get(i).close();
        }
        if (sim != null) {
            sim.close();
        }
        assertThat(pageErrors).as("uncaught errors in the simulated page").isEmpty();
    }

    // ------------------------------------------------------------------ login

    @Test
    void qrCodeIsShownInDataRefAndRotatesInPlace() {
        start(fast().qrRotationInterval(Duration.ofMillis(800)));
        Page page = newPage();
        page.navigate(sim.url());

        String first = qrPayload(page);
        assertThat(first).matches("2@[A-Za-z0-9+/=]+,[A-Za-z0-9+/=]+,[A-Za-z0-9+/=]+,[A-Za-z0-9+/=]+");
        assertThat(page.locator("div[data-ref] canvas").isVisible()).isTrue();
        page.evaluate("() => document.querySelector('div[data-ref]').dataset.marker = 'same-element'");

        page.waitForFunction("p => document.querySelector('div[data-ref]').getAttribute('data-ref') !== p", first);
        String second = page.getAttribute("div[data-ref]", "data-ref");
        assertThat(second).startsWith("2@").isNotEqualTo(first);
        assertThat(page.getAttribute("div[data-ref]", "data-marker")).isEqualTo("same-element");

        assertThatThrownBy(() -> sim.scanQr(first))
                .isInstanceOfSatisfying(LinkRejectedException.class,
                        e -> assertThat(e.reason()).isEqualTo(LinkRejectedException.Reason.QR_CODE_ROTATED));
        assertThat(sim.isLinked()).isFalse();
    }

    @Test
    void qrCanvasHoldsTheDataRefPayloadAsARealQrCode() throws Exception {
        start(fast());
        Page page = newPage();
        page.navigate(sim.url());
        String payload = qrPayload(page);

        byte[] png = page.locator("div[data-ref] canvas").screenshot();
        var image = ImageIO.read(new ByteArrayInputStream(png));
        String decoded = decodeQr(image);

        assertThat(decoded).isEqualTo(payload);
        assertThat(sim.currentQrPayload()).contains(payload);
    }

    @Test
    void expiredQrOffersAReloadButtonThatStartsNewPayloads() {
        start(fast().qrRotationInterval(Duration.ofMillis(300)).qrRotationsBeforeExpiry(1));
        Page page = newPage();
        page.navigate(sim.url());
        String old = qrPayload(page);

        Locator reload = page.locator("div[data-ref] button", new Page.LocatorOptions().setHasText("Click to reload QR code"));
        reload.waitFor();
        assertThat(page.locator("div[data-ref] span[data-icon='refresh-large']").count()).isEqualTo(1);
        assertThat(sim.currentQrPayload()).isEmpty();
        assertThatThrownBy(() -> sim.scanQr(old))
                .isInstanceOfSatisfying(LinkRejectedException.class,
                        e -> assertThat(e.reason()).isEqualTo(LinkRejectedException.Reason.QR_CODE_EXPIRED));

        String stale = page.getAttribute("div[data-ref]", "data-ref");
        reload.click();
        page.waitForFunction("p => { const c = document.querySelector('div[data-ref]');"
                + " return c.getAttribute('data-ref') !== p && !c.querySelector('button'); }", stale);
        assertThat(page.getAttribute("div[data-ref]", "data-ref")).startsWith("2@").isNotEqualTo(old);
    }

    @Test
    void scanningTheQrCodeLinksThePageThroughTheLoadingScreen() {
        start(fast().loadingScreen(Duration.ofSeconds(3))); // long enough to be seen on a loaded machine
        Page page = newPage();
        page.navigate(sim.url());
        String payload = qrPayload(page);

        sim.scanQr(payload);

        assertThat(sim.isLinked()).isTrue();
        assertThat(sim.linkedClients()).isEqualTo(1);
        page.locator("#startup").waitFor();
        assertThat(page.locator("#startup").innerText()).contains("Loading your chats");
        page.locator("#pane-side").waitFor();
        assertThat(page.locator("span[data-icon='search']").isVisible()).isTrue();
        assertThat(page.locator("div[data-ref]").count()).isZero();
        assertThatThrownBy(() -> sim.scanQr(payload))
                .isInstanceOfSatisfying(LinkRejectedException.class,
                        e -> assertThat(e.reason()).isEqualTo(LinkRejectedException.Reason.QR_CODE_EXPIRED));
    }

    @Test
    void thePageRecordsWhichAccountLinkedItInLocalStorage() {
        start(fast().phoneNumber("+4915112345678"));
        Page own = newPage();
        own.navigate(sim.url());
        sim.scanQr(qrPayload(own));
        own.locator("#pane-side").waitFor();
        assertThat(own.evaluate("() => JSON.parse(localStorage.getItem('last-wid-md'))").toString())
                .matches("4915112345678:[0-9]+@c\\.us");

        Page other = newPage();
        other.navigate(sim.url());
        sim.scanQrAs(qrPayload(other), "+4915199887766");
        other.locator("#pane-side").waitFor();
        assertThat(other.evaluate("() => JSON.parse(localStorage.getItem('last-wid-md'))").toString())
                .matches("4915199887766:[0-9]+@c\\.us");
        assertThat(sim.linkedNumbers()).containsExactly("+4915112345678", "+4915199887766");

        sim.createGroup("Club", ALICE);
        other.locator("span[data-icon='search']").click();
        other.keyboard().type("Club");
        other.locator("#pane-side span[title='Club']").click();
        other.locator(COMPOSE).fill("from the other phone");
        other.locator("span[data-icon='send']").click();
        assertThat(sim.awaitReceivedInGroup("Club", 1, WAIT).get(0).id()).endsWith("_4915199887766@c.us");
    }

    @Test
    void pairingCodeLinksThePage() {
        start(fast().phoneNumber("+4915112345678"));
        Page page = newPage();
        page.navigate(sim.url());
        qrPayload(page);

        page.getByText("Link with phone number").click();
        Locator phone = page.locator("input[aria-label='Type your phone number.']");
        phone.fill("12");
        page.getByText("Next", new Page.GetByTextOptions().setExact(true)).click();
        page.locator("[role='alert']", new Page.LocatorOptions().setHasText("Invalid phone number")).waitFor();
        assertThat(sim.currentQrPayload()).isEmpty(); // the QR is gone while entering a number

        phone.fill("+49 151 12345678");
        phone.press("Enter");
        Locator codeBox = page.locator("[data-link-code]");
        codeBox.waitFor();
        String code = codeBox.getAttribute("data-link-code");
        assertThat(code).matches("[A-Z0-9]{4}-[A-Z0-9]{4}");
        assertThat(codeBox.innerText().replaceAll("\\s", "")).isEqualTo(code);
        assertThat(sim.currentPairingCode()).contains(code);

        sim.enterPairingCode(code.toLowerCase().replace("-", ""));

        page.locator("#pane-side").waitFor();
        assertThat(sim.isLinked()).isTrue();
    }

    @Test
    void pairingCodeRequestedForAnotherNumberIsRejectedByThePhone() {
        start(fast());
        Page page = newPage();
        page.navigate(sim.url());
        page.getByText("Link with phone number").click();
        page.locator("input[aria-label='Type your phone number.']").fill("+4915199999999");
        page.getByText("Next", new Page.GetByTextOptions().setExact(true)).click();
        String code = page.locator("[data-link-code]").getAttribute("data-link-code");

        assertThatThrownBy(() -> sim.enterPairingCode(code))
                .isInstanceOfSatisfying(LinkRejectedException.class, e -> assertThat(e.reason())
                        .isEqualTo(LinkRejectedException.Reason.PAIRING_NUMBER_MISMATCH));

        page.getByText("Link with QR code instead").click();
        assertThat(qrPayload(page)).startsWith("2@");
        assertThat(sim.currentPairingCode()).isEmpty();
    }

    // ------------------------------------------------------------------ session persistence

    @Test
    void theSessionKeyIsANonExtractableCryptoKeyInIndexedDbAndTheLoginDataInLocalStorageIsEncrypted() {
        start(fast());
        BrowserContext context = newContext(null);
        Page page = linkedPage(context);
        @SuppressWarnings("unchecked")
        Map<String, Object> key = (Map<String, Object>) page.evaluate("() => new Promise((resolve, reject) => {"
                + " const r = indexedDB.open('wawc_db_enc'); r.onerror = () => reject(r.error);"
                + " r.onsuccess = () => { const g = r.result.transaction('keys').objectStore('keys').get(1);"
                + " g.onsuccess = () => { r.result.close(); const k = g.result && g.result.key;"
                + " resolve({ isKey: k instanceof CryptoKey, extractable: !!(k && k.extractable),"
                + " algorithm: k ? k.algorithm.name : null }); }; }; })");
        assertThat(key).containsEntry("isKey", true).containsEntry("extractable", false)
                .containsEntry("algorithm", "AES-GCM");
        String item = (String) page.evaluate("() => localStorage.getItem('WASimSession')");
        assertThat(item).contains("\"iv\"").contains("\"data\"");

        // A second page of the same browser profile has the key: straight to the chats.
        Page second = context.newPage();
        second.navigate(sim.url());
        assertThat(firstScreen(second)).isNotEqualTo("qr");
        second.locator("#pane-side").waitFor();
    }

    @Test
    void aLoadThatFindsTheLoginLeavesItAsStored() {
        start(fast());
        Page page = linkedPage(newContext(null));
        String stored = (String) page.evaluate("() => localStorage.getItem('WASimSession')");

        page.reload();
        page.locator("#pane-side").waitFor();
        // Saving it again would put a new key in IndexedDB before the data encrypted with it in localStorage: a load
        // cut short between the two by the next one left data that no key decrypts, and the QR code.
        assertThat(page.evaluate("() => localStorage.getItem('WASimSession')")).isEqualTo(stored);
    }

    @Test
    void storageStateCannotCarryTheNonExtractableKeySoARestoredSessionShowsTheQrCode() {
        start(fast());
        BrowserContext first = newContext(null);
        linkedPage(first);
        String withIndexedDb = first.storageState(new BrowserContext.StorageStateOptions().setIndexedDB(true));
        String withoutIndexedDb = first.storageState();
        first.close();
        assertThat(withIndexedDb).contains("wawc_db_enc").contains("WASimSession");

        // The CryptoKey comes back as {}: the encrypted login data cannot be read, as with the real WhatsApp Web.
        Page restored = newContext(withIndexedDb).newPage();
        restored.navigate(sim.url());
        assertThat(firstScreen(restored)).isEqualTo("qr");
        assertThat(restored.evaluate("() => localStorage.getItem('WASimSession') !== null")).isEqualTo(true);

        Page partial = newContext(withoutIndexedDb).newPage();
        partial.navigate(sim.url());
        assertThat(firstScreen(partial)).isEqualTo("qr");
        assertThat(sim.isLinked()).isTrue(); // the device is still linked; those pages just lack its key
    }

    @Test
    void logoutFromPhoneSendsOpenPagesBackToQrAndInvalidatesSavedState() {
        start(fast());
        BrowserContext context = newContext(null);
        Page page = linkedPage(context);
        String saved = context.storageState(new BrowserContext.StorageStateOptions().setIndexedDB(true));

        sim.logoutFromPhone();
        // the open page goes back to its QR code by itself
        page.locator("div[data-ref]").waitFor(new Locator.WaitForOptions().setTimeout(30_000));

        assertThat(sim.isLinked()).isFalse();
        assertThat(sim.linkedClients()).isZero();
        assertThat(page.evaluate("() => localStorage.length")).isEqualTo(0);
        assertThat(page.evaluate("() => new Promise(resolve => { const r = indexedDB.open('wawc_db_enc', 1);"
                + " r.onupgradeneeded = () => r.result.createObjectStore('keys', { keyPath: 'id', autoIncrement: true });"
                + " r.onsuccess = () => { const g = r.result.transaction('keys').objectStore('keys').get(1);"
                + " g.onsuccess = () => { r.result.close(); resolve(g.result === undefined); }; }; })"))
                .isEqualTo(true);

        Page restored = newContext(saved).newPage();
        restored.navigate(sim.url());
        assertThat(firstScreen(restored)).isEqualTo("qr");
    }

    // ------------------------------------------------------------------ sending

    @Test
    void textSentViaSendUrlIsRecordedOnceAndItsIconMovesToRead() {
        start(fast());
        sim.registerNumber(ALICE);
        Page page = linkedPage(newContext(null));
        String text = "Hello there & good bye + 100% ✓";

        page.navigate(sim.url() + "/send?phone=" + URLEncoder.encode(ALICE, StandardCharsets.UTF_8)
                + "&text=" + URLEncoder.encode(text, StandardCharsets.UTF_8));
        Locator compose = page.locator(COMPOSE);
        compose.waitFor();
        assertThat(compose.innerText()).isEqualTo(text);
        assertThat(page.locator("#main header span[title='" + ALICE + "']").isVisible()).isTrue();
        assertThat(page.url()).isEqualTo(sim.url() + "/");

        page.locator("button > span[data-icon='send']").click();
        Locator bubble = page.locator("div.message-out").last();
        String id = bubble.getAttribute("data-id");
        assertThat(id).matches("true_491701234567@c\\.us_3EB0[0-9A-F]{16}");
        assertThat(bubble.locator("span.selectable-text").innerText()).isEqualTo(text);
        bubble.locator("span[data-icon='msg-dblcheck-ack']").waitFor();
        assertThat(compose.innerText()).isEmpty();
        assertThat(page.locator("span[data-icon='ptt']").count()).isEqualTo(1);
        assertThat(page.locator("span[data-icon='send']").count()).isZero();

        List<ReceivedMessage> got = sim.received(ALICE);
        assertThat(got).hasSize(1);
        ReceivedMessage m = got.get(0);
        assertThat(m.id()).isEqualTo(id);
        assertThat(m.chat()).isEqualTo(ALICE);
        assertThat(m.group()).isFalse();
        assertThat(m.text()).isEqualTo(text);
        assertThat(m.media()).isEmpty();
        assertThat(m.status()).isEqualTo(AckStatus.READ);
        assertThat(sim.allReceived()).containsExactly(m);
    }

    @Test
    void acksCanBeHeldAndGivenByHandAndTheChatShowsItsHistory() {
        start(fast());
        sim.registerNumber(ALICE, "Alice");
        sim.holdAcks();
        Page page = linkedPage(newContext(null));
        page.navigate(sim.url() + "/send?phone=491701234567");
        Locator compose = page.locator(COMPOSE);
        compose.fill("first");
        compose.press("Enter");
        Locator bubble = page.locator("div.message-out").last();
        bubble.locator("span[data-icon='msg-check']").waitFor();
        String id = bubble.getAttribute("data-id");
        assertThat(sim.awaitStatus(id, AckStatus.SENT, WAIT).status()).isEqualTo(AckStatus.SENT);

        sim.deliver(id);
        bubble.locator("span[data-icon='msg-dblcheck']").waitFor();
        assertThat(sim.receivedMessage(id).orElseThrow().status()).isEqualTo(AckStatus.DELIVERED);
        sim.read(id);
        bubble.locator("span[data-icon='msg-dblcheck-ack']").waitFor();

        compose.fill("second");
        page.locator("span[data-icon='send']").click();
        Locator second = page.locator("div.message-out").nth(1);
        second.locator("span[data-icon='msg-check']").waitFor();
        String secondId = second.getAttribute("data-id");
        sim.releaseAcks();
        sim.awaitStatus(secondId, AckStatus.READ, WAIT);
        second.locator("span[data-icon='msg-dblcheck-ack']").waitFor();

        // A fresh visit shows both messages, so a transport can look a message up by its id.
        page.navigate(sim.url() + "/send?phone=%2B491701234567");
        page.locator(COMPOSE).waitFor();
        assertThat(page.locator("#main header span[title='Alice']").isVisible()).isTrue();
        assertThat(page.locator("div.message-out").evaluateAll("els => els.map(e => e.getAttribute('data-id'))"))
                .isEqualTo(List.of(id, secondId));
        assertThat(page.locator("div.message-out[data-id='" + id + "'] span.selectable-text").innerText())
                .isEqualTo("first");
        assertThat(page.locator("div.message-out[data-id='" + id + "'] span[data-icon='msg-dblcheck-ack']").count())
                .isEqualTo(1);
        assertThat(sim.received(ALICE)).extracting(ReceivedMessage::text).containsExactly("first", "second");
    }

    @Test
    void unregisteredNumberShowsTheInvalidNumberPopupAndNoChat() {
        start(fast());
        sim.registerNumber(ALICE);
        sim.unregisterNumber(ALICE);
        Page page = linkedPage(newContext(null));

        page.navigate(sim.url() + "/send?phone=491701234567&text=hi");
        Locator popup = page.locator("div[data-animate-modal-popup='true']");
        popup.waitFor();
        assertThat(popup.innerText()).contains("Phone number shared via url is invalid.");
        assertThat(page.locator("#main").count()).isZero();
        assertThat(page.locator(COMPOSE).count()).isZero();

        popup.locator("button", new Locator.LocatorOptions().setHasText("OK")).click();
        popup.waitFor(new Locator.WaitForOptions().setState(WaitForSelectorState.DETACHED));
        assertThat(sim.allReceived()).isEmpty();
    }

    @Test
    void sendUrlWhileNotLinkedShowsTheQrCodeAndOpensTheChatAfterLinking() {
        start(fast());
        sim.registerNumber(ALICE);
        Page page = newPage();
        page.navigate(sim.url() + "/send?phone=491701234567&text=after%20login");
        sim.scanQr(qrPayload(page));
        assertThat(page.locator(COMPOSE).innerText()).isEqualTo("after login");
    }

    @Test
    void slowSendKeepsTheClockIconUntilTheServerAccepts() {
        start(fast());
        sim.registerNumber(ALICE);
        Page page = linkedPage(newContext(null));
        sim.holdAcks(); // keep it at msg-check once accepted, so the wait below cannot miss that state
        sim.slowSends(Duration.ofMillis(1500));
        page.navigate(sim.url() + "/send?phone=491701234567&text=slow");
        // Before the click: the click returns only after the page handled it, which on a busy machine can be late.
        long t0 = System.nanoTime();
        page.locator("span[data-icon='send']").click();
        Locator bubble = page.locator("div.message-out").last();
        assertThat(bubble.locator("span[data-icon='msg-time']").count()).isEqualTo(1);
        assertThat(sim.received(ALICE)).isEmpty();

        bubble.locator("span[data-icon='msg-check']").waitFor();
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0)).isGreaterThanOrEqualTo(1300);
        assertThat(sim.received(ALICE)).extracting(ReceivedMessage::text).containsExactly("slow");

        sim.clearFaults();
        Locator compose = page.locator(COMPOSE);
        compose.fill("fast");
        compose.press("Enter");
        sim.awaitReceived(ALICE, 2, WAIT);
    }

    @Test
    void droppedSendStaysPendingForeverAndIsNeverRecorded() {
        start(fast());
        sim.registerNumber(ALICE);
        Page page = linkedPage(newContext(null));
        sim.dropSends(1);
        page.navigate(sim.url() + "/send?phone=491701234567&text=lost");
        page.locator("span[data-icon='send']").click();
        String lostId = page.locator("div.message-out").last().getAttribute("data-id");
        Locator lost = page.locator("div.message-out[data-id='" + lostId + "']");

        Locator compose = page.locator(COMPOSE);
        compose.fill("arrives");
        compose.press("Enter");
        page.locator("div.message-out").nth(1).locator("span[data-icon='msg-dblcheck-ack']").waitFor();

        // The page has polled many times since; the lost message still shows its clock.
        assertThat(lost.locator("span[data-icon='msg-time']").count()).isEqualTo(1);
        assertThat(sim.receivedMessage(lostId)).isEmpty();
        assertThat(sim.allReceived()).extracting(ReceivedMessage::text).containsExactly("arrives");
        assertThatThrownBy(() -> sim.deliver(lostId)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void attachmentIsSentWithItsCaption() {
        start(fast());
        sim.registerNumber(ALICE);
        Page page = linkedPage(newContext(null));
        page.navigate(sim.url() + "/send?phone=491701234567");
        page.locator(COMPOSE).waitFor();
        byte[] pdf = "%PDF-1.4 not really a pdf \u0000\u0001\u00ff".getBytes(StandardCharsets.ISO_8859_1);

        page.locator("span[data-icon='clip']").click();
        page.locator("ul[role='menu'] li", new Page.LocatorOptions().setHasText("Document"))
                .locator("input[type='file']")
                .setInputFiles(new FilePayload("report.pdf", "application/pdf", pdf));
        Locator caption = page.locator("div[contenteditable='true'][data-tab='undefined']");
        caption.fill("Quarterly report");
        assertThat(page.locator("span[data-icon='send']").count()).isEqualTo(1);
        page.locator("span[data-icon='send']").click();

        Locator bubble = page.locator("div.message-out").last();
        bubble.locator("span[data-icon='msg-dblcheck-ack']").waitFor();
        assertThat(bubble.getAttribute("data-id")).isNotNull();
        assertThat(bubble.locator("[data-media-name='report.pdf']").count()).isEqualTo(1);
        assertThat(bubble.locator("span.selectable-text").innerText()).isEqualTo("Quarterly report");
        assertThat(page.locator(COMPOSE).isVisible()).isTrue(); // the preview is gone, the footer is back

        ReceivedMessage m = sim.awaitReceived(ALICE, 1, WAIT).get(0);
        assertThat(m.text()).isEmpty();
        assertThat(m.caption()).isEqualTo("Quarterly report");
        ReceivedMessage.Media media = m.media().orElseThrow();
        assertThat(media.fileName()).isEqualTo("report.pdf");
        assertThat(media.mimeType()).isEqualTo("application/pdf");
        assertThat(media.bytes()).isEqualTo(pdf);
        assertThat(media.size()).isEqualTo(pdf.length);
    }

    @Test
    void groupMessageIsSentFromTheSearchResults() {
        start(fast());
        sim.createGroup("Family Group", "+4917011111111", "+4917022222222");
        sim.createGroup("Football", "+4917033333333");
        Page page = linkedPage(newContext(null));

        page.locator("span[data-icon='search']").click();
        page.keyboard().type("fam");
        Locator result = page.locator("#pane-side span[title='Family Group']");
        result.waitFor();
        page.locator("#pane-side span[title='Football']").waitFor(new Locator.WaitForOptions()
                .setState(WaitForSelectorState.DETACHED));
        result.click();
        Locator compose = page.locator(COMPOSE);
        compose.fill("dinner at 8?");
        page.locator("span[data-icon='send']").click();
        Locator bubble = page.locator("div.message-out").last();
        bubble.locator("span[data-icon='msg-dblcheck-ack']").waitFor();

        List<ReceivedMessage> got = sim.receivedInGroup("Family Group");
        assertThat(got).hasSize(1);
        assertThat(got.get(0).group()).isTrue();
        assertThat(got.get(0).chat()).isEqualTo("Family Group");
        assertThat(got.get(0).text()).isEqualTo("dinner at 8?");
        assertThat(got.get(0).id()).isEqualTo(bubble.getAttribute("data-id")).endsWith("_15550100001@c.us");
        assertThat(sim.received("+4917011111111")).isEmpty();
        assertThat(sim.receivedInGroup("Football")).isEmpty();
    }

    // ------------------------------------------------------------------ faults

    @Test
    void reloadFaultReloadsTheOpenPageWhichComesBackLinkedWithoutTheChat() {
        start(fast());
        sim.registerNumber(ALICE);
        Page page = linkedPage(newContext(null));
        page.navigate(sim.url() + "/send?phone=491701234567&text=unsent");
        page.locator(COMPOSE).waitFor();

        page.waitForRequest(sim.url() + "/app.js", () -> sim.reloadPage());

        assertThat(firstScreen(page)).isNotEqualTo("qr");
        page.locator("#pane-side").waitFor();
        assertThat(page.locator("#main").count()).isZero();
        assertThat(sim.linkedClients()).isEqualTo(1);
        assertThat(sim.allReceived()).isEmpty();
    }

    @Test
    void domVariantRenamesTheSendIconAfterAReload() {
        start(fast());
        sim.registerNumber(ALICE);
        Page page = linkedPage(newContext(null));

        page.waitForRequest(sim.url() + "/app.js", () -> sim.renameSendButtonIcon("send-v2"));
        page.locator("#pane-side").waitFor();
        assertThat(sim.domVariant().sendIcon()).isEqualTo("send-v2");

        page.navigate(sim.url() + "/send?phone=491701234567&text=renamed");
        page.locator(COMPOSE).waitFor();
        assertThat(page.locator("span[data-icon='send']").count()).isZero();
        page.locator("span[data-icon='send-v2']").click();
        assertThat(sim.awaitReceived(ALICE, 1, WAIT)).extracting(ReceivedMessage::text).containsExactly("renamed");

        // Let the page finish reloading itself first, or our navigation would race its reload.
        page.waitForRequest(sim.url() + "/app.js",
                () -> sim.setDomVariant(DomVariant.standard().withChatListId("chats-v2").withComposeBoxDataTab("11")));
        page.locator("#chats-v2").waitFor();
        page.navigate(sim.url() + "/send?phone=491701234567");
        page.locator("div[contenteditable='true'][data-tab='11']").waitFor();
        assertThat(page.locator("#chats-v2").count()).isEqualTo(1);
        assertThat(page.locator("#pane-side").count()).isZero();
    }

    // ------------------------------------------------------------------ helpers

    private static WhatsAppWebSimulator.Builder fast() {
        return WhatsAppWebSimulator.builder()
                .pageGeneration(PageGeneration.WEB_2024)
                .pollInterval(Duration.ofMillis(50))
                .loadingScreen(Duration.ofMillis(100))
                .ackDelays(Duration.ofMillis(100), Duration.ofMillis(100));
    }

    private void start(WhatsAppWebSimulator.Builder builder) {
        sim = builder.build().start();
    }

    private BrowserContext newContext(String storageState) {
        Browser.NewContextOptions options = new Browser.NewContextOptions();
        if (storageState != null) {
            options.setStorageState(storageState);
        }
        BrowserContext context = browser.newContext(options);
        context.setDefaultTimeout(WAIT.toMillis());
        context.onPage(p -> p.onPageError(pageErrors::add));
        toClose.add(context::close);
        return context;
    }

    private Page newPage() {
        return newContext(null).newPage();
    }

    private Page linkedPage(BrowserContext context) {
        Page page = context.newPage();
        page.navigate(sim.url());
        sim.scanQr(qrPayload(page));
        page.locator("#pane-side").waitFor();
        return page;
    }

    private static String qrPayload(Page page) {
        page.waitForFunction("() => (document.querySelector('div[data-ref]')?.getAttribute('data-ref') || '').startsWith('2@')");
        return page.getAttribute("div[data-ref]", "data-ref");
    }

    /** Which screen a freshly loaded page shows first: "qr", "startup" or "pane-side". */
    private static String firstScreen(Page page) {
        ElementHandle first = page.waitForSelector("#startup, #pane-side, div[data-ref]");
        return (String) first.evaluate("e => e.id || 'qr'");
    }

    private static String decodeQr(java.awt.image.BufferedImage image)
            throws NotFoundException, ChecksumException, FormatException, IOException {
        var bitmap = new BinaryBitmap(new HybridBinarizer(new BufferedImageLuminanceSource(image)));
        return new QRCodeReader().decode(bitmap, java.util.Map.of(com.google.zxing.DecodeHintType.TRY_HARDER,
                Boolean.TRUE)).getText();
    }
}
