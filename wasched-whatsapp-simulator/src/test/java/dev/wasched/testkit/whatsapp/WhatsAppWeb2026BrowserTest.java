package dev.wasched.testkit.whatsapp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.BrowserType;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import com.microsoft.playwright.PlaywrightException;
import com.microsoft.playwright.options.WaitForSelectorState;
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
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Drives the {@link PageGeneration#WEB_2026} page (the default) with a real Chromium through Playwright: its DOM,
 * in-page chat opening, and each of its screens. One browser for the class; a fresh simulator and context per test.
 */
@Tag("browser")
class WhatsAppWeb2026BrowserTest {

    private static final String ALICE = "+491701234567";
    private static final String COMPOSE = "footer div[contenteditable='true'][role='textbox'][data-tab='10']";
    private static final String ROWS = "#main div[role='row'] > div[data-id]";
    private static final String SEND = "footer button[aria-label='Send'] span[data-icon='wds-ic-send-filled']";
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
            args.add("--no-sandbox");
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
        for (AutoCloseable c : toClose) {
            c.close();
        }
        if (sim != null) {
            sim.close();
        }
        assertThat(pageErrors).as("uncaught errors in the page").isEmpty();
    }

    // ------------------------------------------------------------------ page, version, loads, boot

    @Test
    void theDefaultPageIsThe2026OneWithItsBuildVersionAndPageLoadsAreCounted() {
        start(fast().webVersion("2.3000.1012345678"));
        assertThat(sim.pageGeneration()).isEqualTo(PageGeneration.WEB_2026);
        sim.registerNumber(ALICE, "Alice");
        Page page = linkedPage(newContext());
        assertThat(page.evaluate("() => window.Debug.VERSION")).isEqualTo("2.3000.1012345678");
        assertThat(sim.pageLoads()).isEqualTo(1);

        search(page, "Alice");
        page.locator("#pane-side div[role='row'] span[title='Alice']").click();
        page.locator(COMPOSE).waitFor();
        assertThat(sim.pageLoads()).as("opening a chat in the page is no page load").isEqualTo(1);

        page.reload();
        page.locator("#pane-side").waitFor();
        page.navigate(sim.url() + "/send?phone=491701234567");
        page.locator(COMPOSE).waitFor();
        assertThat(sim.pageLoads()).isEqualTo(3);
    }

    @Test
    void theLoadingScreenLastsEightSecondsByDefault() {
        start(WhatsAppWebSimulator.builder().pollInterval(Duration.ofMillis(50)));
        Page page = newContext().newPage();
        // Timed on the page's own clock, when the DOM changes: a test thread that looks late on a busy machine
        // would see a shorter boot than the page showed.
        page.addInitScript("""
                (() => {
                  const seen = window.__boot = {};
                  new MutationObserver(() => {
                    if (seen.startup === undefined && document.getElementById('startup')) seen.startup = performance.now();
                    if (seen.chats === undefined && document.getElementById('pane-side')) seen.chats = performance.now();
                  }).observe(document, { childList: true, subtree: true });
                })()""");
        page.navigate(sim.url());
        sim.scanQr(qrPayload(page));
        page.locator("#pane-side").waitFor(new Locator.WaitForOptions().setTimeout(WAIT.toMillis()));
        Map<?, ?> boot = (Map<?, ?>) page.evaluate("() => window.__boot");
        assertThat(boot.get("startup")).as("the loading screen was shown").isNotNull();
        double shownMillis = ((Number) boot.get("chats")).doubleValue() - ((Number) boot.get("startup")).doubleValue();
        assertThat(shownMillis).as("milliseconds of loading screen").isGreaterThanOrEqualTo(7_900);
    }

    // ------------------------------------------------------------------ login

    @Test
    void theLoginPageOffersStayLoggedInAndAPairingCodeSplitIntoCells() {
        start(fast());
        Page page = newContext().newPage();
        page.navigate(sim.url());
        qrPayload(page);
        assertThat(page.locator("canvas[aria-label='Scan this QR code to link a device!']").count()).isEqualTo(1);
        Locator stay = page.locator("label:has-text('Stay logged in on this browser') input[type='checkbox']");
        assertThat(stay.isChecked()).isTrue();

        page.getByRole(com.microsoft.playwright.options.AriaRole.BUTTON,
                new Page.GetByRoleOptions().setName("Log in with phone number")).click();
        page.fill("input[aria-label='Type your phone number.']", "+1 555 010 0001");
        page.click("button:has-text('Next')");
        Locator code = page.locator("div[data-link-code][aria-details='link-device-phone-number-code-screen-instructions']");
        code.waitFor();
        String shown = sim.currentPairingCode().orElseThrow();
        String chars = shown.replace("-", "");
        assertThat(code.getAttribute("data-link-code")).isEqualTo(String.join(",", chars.split("")));
        assertThat(code.locator(".link-code-cell").count()).isEqualTo(8);
        assertThat(code.textContent()).isEqualTo(shown);

        sim.enterPairingCode(shown);
        page.locator("#pane-side").waitFor();
    }

    @Test
    void withStayLoggedInUncheckedTheSessionDoesNotOutliveTheTab() {
        start(fast());
        BrowserContext context = newContext();
        Page page = context.newPage();
        page.navigate(sim.url());
        String payload = qrPayload(page);
        page.locator("label:has-text('Stay logged in on this browser') input[type='checkbox']").uncheck();
        sim.scanQr(payload);
        page.locator("#pane-side").waitFor();
        assertThat(page.evaluate("() => localStorage.getItem('WASimSession')")).isNull();
        assertThat(page.evaluate("() => sessionStorage.getItem('WASimSession')")).isNotNull();

        page.reload();
        page.locator("#pane-side").waitFor();
        assertThat(page.evaluate("() => localStorage.getItem('WASimSession')")).isNull();
        Page other = context.newPage();
        other.navigate(sim.url());
        assertThat(qrPayload(other)).startsWith("2@");
    }

    @Test
    void aLoadThatFindsTheLoginLeavesItAsStored() {
        start(fast());
        Page page = linkedPage(newContext());
        String stored = (String) page.evaluate("() => localStorage.getItem('WASimSession')");

        page.reload();
        page.locator("#pane-side").waitFor();
        // See the test of the same name for the 2024 page.
        assertThat(page.evaluate("() => localStorage.getItem('WASimSession')")).isEqualTo(stored);
    }

    @Test
    void theSessionKeyStaysNonExtractableInIndexedDbAndTheChatHistoryHasItsSize() {
        start(fast().chatHistoryBytes(1_000_000));
        BrowserContext context = newContext();
        Page page = linkedPage(context);
        assertThat(page.evaluate("""
                () => new Promise((resolve, reject) => {
                  const r = indexedDB.open('wawc_db_enc');
                  r.onsuccess = () => {
                    const get = r.result.transaction('keys').objectStore('keys').get(1);
                    get.onsuccess = () => resolve(get.result.key instanceof CryptoKey && !get.result.key.extractable);
                    get.onerror = () => reject(get.error);
                  };
                  r.onerror = () => reject(r.error);
                })""")).isEqualTo(true);
        Object bytes = page.evaluate("""
                () => new Promise((resolve, reject) => {
                  const r = indexedDB.open('model-storage');
                  r.onsuccess = () => {
                    const get = r.result.transaction('message').objectStore('message').get('__history');
                    get.onsuccess = () => resolve(get.result.bytes);
                    get.onerror = () => reject(get.error);
                  };
                  r.onerror = () => reject(r.error);
                })""");
        assertThat(((Number) bytes).longValue()).isGreaterThanOrEqualTo(1_000_000);

        Page again = context.newPage();
        again.navigate(sim.url());
        // The boot screen may come and go between two looks: wait for where the page ends, chats or a QR code.
        again.locator("#pane-side, div[data-ref]").first().waitFor();
        assertThat(again.locator("div[data-ref]").count()).as("a restored session shows no QR code").isZero();
        assertThat(again.locator("#pane-side").count()).isEqualTo(1);
    }

    // ------------------------------------------------------------------ messages

    @Test
    void aSentMessageIsARowWrapperWithTheKeyAsDataIdAndItsStatusAsAriaLabel() {
        start(fast().profileName("Wash Tester"));
        sim.registerNumber(ALICE, "Alice");
        Page page = linkedPage(newContext());
        page.navigate(sim.url() + "/send?phone=491701234567&text=" + URLEncoder.encode("hello", StandardCharsets.UTF_8));
        Locator compose = page.locator(COMPOSE);
        compose.waitFor();
        assertThat(compose.getAttribute("data-lexical-editor")).isEqualTo("true");
        assertThat(compose.getAttribute("aria-label")).isEqualTo("Type a message to Alice");
        page.locator(SEND).waitFor();
        page.locator("footer button[aria-label='Send'][data-tab='11']").click();

        Locator row = page.locator(ROWS).last();
        String dataId = row.getAttribute("data-id");
        assertThat(dataId).matches("3EB0[0-9A-F]{16}");
        ReceivedMessage got = sim.awaitReceived(ALICE, 1, WAIT).get(0);
        assertThat(got.id()).endsWith("_" + dataId);
        // the same message by either key (compared by id: its status may move on between the two looks)
        assertThat(sim.receivedMessage(dataId)).map(ReceivedMessage::id).contains(got.id());
        assertThat(page.locator("#main .message-out, #main .message-in").count()).as("no direction classes").isZero();
        assertThat(row.locator("[data-icon='tail-out']").count()).isEqualTo(1);
        assertThat(row.locator("span[aria-label='You:']").count()).isEqualTo(1);
        assertThat(row.locator("[data-pre-plain-text]").getAttribute("data-pre-plain-text")).endsWith("] Wash Tester: ");
        assertThat(row.locator("span.selectable-text").textContent()).isEqualTo("hello");

        sim.awaitStatus(dataId, AckStatus.READ, WAIT);
        row.locator("span[aria-label=' Read ']").waitFor();
        assertThat(row.locator("span[aria-label=' Read '] svg > title").textContent()).isEqualTo("wds-ic-read");
        assertThat(page.locator("[data-icon='msg-dblcheck-ack'], [data-icon='msg-check']").count()).isZero();
    }

    @Test
    void statusesMoveThroughPendingSentDeliveredRead() {
        start(fast());
        sim.registerNumber(ALICE);
        sim.holdAcks();
        Page page = linkedPage(newContext());
        String key = sendFromUrl(page, "ticks");
        Locator status = page.locator("div[data-id='" + key + "'] .msg-meta span[aria-label]");
        status.and(page.locator("[aria-label=' Sent ']")).waitFor();
        assertThat(status.locator("svg > title").textContent()).isEqualTo("wds-ic-delivered");
        sim.deliver(key);
        status.and(page.locator("[aria-label=' Delivered ']")).waitFor();
        assertThat(status.locator("svg > title").textContent()).isEqualTo("wds-ic-read");
        sim.read(key);
        status.and(page.locator("[aria-label=' Read ']")).waitFor();
        assertThat(status.locator("svg > title").textContent()).isEqualTo("wds-ic-read");
    }

    @Test
    void bubblesRenderMarkdownAndEmojiAndCutLongTextWithReadMore() {
        start(fast().readMoreAfter(200));
        sim.registerNumber(ALICE);
        Page page = linkedPage(newContext());
        String key = sendFromUrl(page, "*bold* _it_ ~gone~ `code` ```mono``` 2*3*4 \uD83D\uDE00 ok");
        Locator text = page.locator("div[data-id='" + key + "'] span.selectable-text");
        assertThat(text.locator("strong").textContent()).isEqualTo("bold");
        assertThat(text.locator("em").textContent()).isEqualTo("it");
        assertThat(text.locator("del").textContent()).isEqualTo("gone");
        assertThat(text.locator("code").allTextContents()).containsExactly("code", "mono");
        assertThat(text.locator("img.emoji").getAttribute("alt")).isEqualTo("\uD83D\uDE00");
        assertThat(text.textContent()).isEqualTo("bold it gone code mono 2*3*4  ok");
        assertThat(sim.received(ALICE).get(0).text()).startsWith("*bold* _it_");

        String longText = "word ".repeat(100).strip();
        String longKey = sendFromUrl(page, longText);
        Locator bubble = page.locator("div[data-id='" + longKey + "']");
        Locator more = bubble.locator("div[role='button']:has-text('Read more')");
        more.waitFor();
        assertThat(bubble.locator("span.selectable-text").textContent().length()).isLessThan(longText.length());
        more.click();
        assertThat(bubble.locator("span.selectable-text").textContent()).isEqualTo(longText);
        assertThat(more.count()).isZero();
    }

    @Test
    void onlyTheNewestRowsAreInTheDomUntilTheUserScrollsUp() {
        start(fast().visibleMessages(5));
        sim.registerNumber(ALICE, "Alice");
        Page page = linkedPage(newContext());
        page.navigate(sim.url() + "/send?phone=491701234567");
        page.locator(COMPOSE).waitFor();
        for (int i = 1; i <= 12; i++) {
            page.locator(COMPOSE).fill("m" + i);
            page.locator(COMPOSE).press("Enter");
        }
        sim.awaitReceived(ALICE, 12, WAIT);
        assertThat(page.locator(ROWS).count()).isEqualTo(5);
        assertThat(page.locator(ROWS).last().textContent()).contains("m12");

        page.reload();
        search(page, "Alice");
        page.locator("#pane-side div[role='row'] span[title='Alice']").click();
        page.locator(COMPOSE).waitFor();
        assertThat(page.locator(ROWS).count()).isEqualTo(5);
        assertThat(page.locator("#main span.selectable-text").allTextContents())
                .containsExactly("m8", "m9", "m10", "m11", "m12");
        Locator first = page.locator(ROWS).first().locator("span.selectable-text");
        for (int i = 0; i < 20 && !"m1".equals(first.textContent()); i++) {
            page.locator("#main .conversation").evaluate("c => { c.scrollTop = 0; c.dispatchEvent(new Event('scroll')); }");
            page.waitForTimeout(50);
        }
        assertThat(first.textContent()).as("scrolled up to the oldest message").isEqualTo("m1");
        assertThat(page.locator(ROWS).count()).isEqualTo(5);
    }

    // ------------------------------------------------------------------ opening chats in the page

    @Test
    void searchAndNewChatOpenChatsInPlaceAndSearchHasSections() {
        start(fast());
        sim.registerNumber(ALICE, "Alice");
        sim.registerNumber("+4915112345678");
        sim.createGroup("Team", ALICE);
        Page page = linkedPage(newContext());
        long loads = sim.pageLoads();

        Locator search = page.locator("#side input[aria-label='Search or start a new chat'][data-tab='3']");
        search.fill("4915112345678");
        page.locator("#pane-side div[role='row']:has-text('Contacts')").waitFor();
        page.locator("#pane-side div[role='row'] span[title='+4915112345678']").click();
        page.locator("#main header span[title='+4915112345678']").waitFor();

        search.fill("Team");
        page.locator("#pane-side div[role='row']:has-text('Chats')").waitFor();
        page.locator("#pane-side div[role='row'] span[title='Team']").click();
        page.locator("#main header span[title='Team']").waitFor();
        assertThat(page.locator(COMPOSE).getAttribute("aria-label")).isEqualTo("Type a message to group Team");

        page.locator("button[aria-label='New chat']").click();
        page.locator("[aria-label='New chat'] div[role='listitem'] div[role='button'] span[title='Alice']").click();
        page.locator("#main header span[title='Alice']").waitFor();
        page.locator(COMPOSE).fill("from the new chat panel");
        page.locator(COMPOSE).press("Enter");
        assertThat(sim.awaitReceived(ALICE, 1, WAIT).get(0).text()).isEqualTo("from the new chat panel");
        assertThat(sim.pageLoads()).isEqualTo(loads);
    }

    @Test
    void theInvalidNumberPopupWordingIsSelectable() {
        start(fast().invalidNumberWording(InvalidNumberWording.NOT_ON_WHATSAPP));
        Page page = linkedPage(newContext());
        page.navigate(sim.url() + "/send?phone=4915000000000");
        Locator popup = page.locator("div[data-animate-modal-popup='true'] div[role='dialog']");
        popup.waitFor();
        assertThat(popup.textContent()).contains("The phone number +4915000000000 isn't on WhatsApp.");
        popup.locator("button:has-text('OK')").click();
        popup.waitFor(new Locator.WaitForOptions().setState(WaitForSelectorState.DETACHED));
        assertThat(page.locator("#main").count()).isZero();
    }

    // ------------------------------------------------------------------ screens

    @Test
    void thePasskeyScreenBlocksTheChatsUntilTheBrowserGivesThePasskey() {
        start(fast().passkeyAfterLink(true));
        BrowserContext context = newContext();
        context.addInitScript("if (navigator.credentials) navigator.credentials.get = async () => ({ id: 'passkey', type: 'public-key' });");
        Page page = context.newPage();
        page.navigate(sim.url());
        sim.scanQr(qrPayload(page));
        Locator screen = page.locator("#passkey[role='dialog']");
        screen.waitFor();
        assertThat(screen.textContent()).contains("Verify it\u2019s you");
        assertThat(page.locator("#pane-side").count()).isZero();
        assertThat(sim.passkeyRequired()).isTrue();
        screen.locator("button:has-text('Continue')").click();
        page.locator("#pane-side").waitFor();
        assertThat(sim.passkeyRequired()).isFalse();

        sim.requirePasskey();
        screen.waitFor();
        sim.completePasskey();
        page.locator("#pane-side").waitFor();
    }

    @Test
    void theWhatsNewDialogBlocksClicksUntilDismissed() {
        start(fast().whatsNewDialogAfterBoot(true));
        sim.registerNumber(ALICE, "Alice");
        sim.createGroup("Team", ALICE);
        Page page = linkedPage(newContext());
        Locator dialog = page.locator("div[role='dialog']:has-text('What\u2019s new')");
        dialog.waitFor();
        Locator team = page.locator("#pane-side div[role='row'] span[title='Team']");
        assertThatThrownBy(() -> team.click(new Locator.ClickOptions().setTimeout(500)))
                .isInstanceOf(PlaywrightException.class);
        dialog.locator("button:has-text('Continue')").click();
        dialog.waitFor(new Locator.WaitForOptions().setState(WaitForSelectorState.DETACHED));
        team.click();
        page.locator("#main header span[title='Team']").waitFor();

        sim.showWhatsNewDialog();
        dialog.waitFor();
        dialog.locator("button[aria-label='Close']").click();
        dialog.waitFor(new Locator.WaitForOptions().setState(WaitForSelectorState.DETACHED));
    }

    @Test
    void openElsewhereHoldsSendsUntilUseHere() {
        start(fast());
        sim.registerNumber(ALICE, "Alice");
        Page page = linkedPage(newContext());
        page.navigate(sim.url() + "/send?phone=491701234567");
        page.locator(COMPOSE).waitFor();

        sim.openElsewhere();
        Locator conflict = page.locator("div[role='dialog']:has-text('WhatsApp is open in another window')");
        conflict.waitFor();
        assertThat(sim.pagesOpenElsewhere()).isEqualTo(1);
        page.evaluate("() => { const b = document.querySelector(\"footer div[contenteditable='true']\");"
                + " b.focus(); document.execCommand('insertText', false, 'while away'); }");
        page.keyboard().press("Enter");
        page.locator("#main span[aria-label=' Pending ']").waitFor();
        page.waitForTimeout(300);
        assertThat(sim.received(ALICE)).isEmpty();

        conflict.locator("button:has-text('Use here')").click();
        conflict.waitFor(new Locator.WaitForOptions().setState(WaitForSelectorState.DETACHED));
        assertThat(sim.awaitReceived(ALICE, 1, WAIT).get(0).text()).isEqualTo("while away");
        assertThat(sim.pagesOpenElsewhere()).isZero();
    }

    @Test
    void aRestrictedAccountHasABannerInsteadOfTheComposeBox() {
        start(fast());
        sim.registerNumber(ALICE, "Alice");
        Page page = linkedPage(newContext());
        page.navigate(sim.url() + "/send?phone=491701234567");
        page.locator(COMPOSE).waitFor();

        sim.setAccountRestricted(true);
        Locator banner = page.locator("#main footer [role='status']:has-text('Your account is restricted')");
        banner.waitFor();
        assertThat(page.locator(COMPOSE).count()).isZero();

        sim.setAccountRestricted(false);
        page.locator(COMPOSE).waitFor();
        assertThat(banner.count()).isZero();
    }

    @Test
    void whileOfflineSendsQueueWithTheClockAndLeaveWhenTheConnectionIsBack() {
        start(fast());
        sim.registerNumber(ALICE, "Alice");
        Page page = linkedPage(newContext());
        page.navigate(sim.url() + "/send?phone=491701234567");
        page.locator(COMPOSE).waitFor();

        sim.setConnection(ConnectionState.COMPUTER_NOT_CONNECTED);
        Locator banner = page.locator("#side [role='status']:has-text('Computer not connected')");
        banner.waitFor();
        page.locator(COMPOSE).fill("queued");
        page.locator(COMPOSE).press("Enter");
        page.locator("#main span[aria-label=' Pending ']").waitFor();
        page.waitForTimeout(300);
        assertThat(sim.received(ALICE)).isEmpty();

        // Click to chat cannot be answered either: the chat opens once the connection is back.
        sim.setConnection(ConnectionState.CONNECTING);
        page.locator("#side [role='status']:has-text('Connecting')").waitFor();
        page.navigate(sim.url() + "/send?phone=491701234567&text=later");
        page.locator("#side [role='status']:has-text('Connecting')").waitFor();
        page.waitForTimeout(300);
        assertThat(page.locator(COMPOSE).count()).isZero();

        sim.setConnection(ConnectionState.ONLINE);
        page.locator(COMPOSE).waitFor();
        assertThat(page.locator(COMPOSE).textContent()).isEqualTo("later");
        assertThat(page.locator("#side [role='status']").count()).isZero();
    }

    @Test
    void aQueuedSendLeavesWhenTheConnectionReturns() {
        start(fast());
        sim.registerNumber(ALICE, "Alice");
        Page page = linkedPage(newContext());
        page.navigate(sim.url() + "/send?phone=491701234567");
        page.locator(COMPOSE).waitFor();
        sim.setConnection(ConnectionState.COMPUTER_NOT_CONNECTED);
        page.locator("#side [role='status']").waitFor();
        page.locator(COMPOSE).fill("queued");
        page.locator(COMPOSE).press("Enter");
        page.locator("#main span[aria-label=' Pending ']").waitFor();
        sim.setConnection(ConnectionState.ONLINE);
        assertThat(sim.awaitReceived(ALICE, 1, WAIT).get(0).text()).isEqualTo("queued");
        page.locator("#main span[aria-label=' Read ']").waitFor();
    }

    @Test
    void domVariantRenamesApplyToThe2026Page() {
        start(fast());
        sim.registerNumber(ALICE, "Alice");
        Page page = linkedPage(newContext());
        assertThat(sim.domVariant()).isEqualTo(DomVariant.standard(PageGeneration.WEB_2026));
        page.waitForCondition(() -> sim.pageLoads() == 1);
        sim.setDomVariant(DomVariant.standard(PageGeneration.WEB_2026).withSendIcon("send-v3")
                .withChatListId("chats-v3").withComposeBoxDataTab("12").withSearchBoxDataTab("4"));
        page.locator("#chats-v3").waitFor();
        page.waitForCondition(() -> sim.pageLoads() == 2);
        assertThat(page.locator("#side input[aria-label='Search or start a new chat'][data-tab='4']").count()).isEqualTo(1);
        page.navigate(sim.url() + "/send?phone=491701234567&text=hi");
        page.locator("footer div[contenteditable='true'][data-tab='12']").waitFor();
        page.locator("footer button[aria-label='Send'] span[data-icon='send-v3']").click();
        assertThat(sim.awaitReceived(ALICE, 1, WAIT).get(0).text()).isEqualTo("hi");
        assertThat(page.locator("[data-icon='wds-ic-send-filled']").count()).isZero();
    }

    @Test
    void screensAreRefusedOnThe2024Page() {
        start(fast().pageGeneration(PageGeneration.WEB_2024));
        assertThatThrownBy(() -> sim.openElsewhere()).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> sim.setConnection(ConnectionState.CONNECTING)).isInstanceOf(IllegalStateException.class);
        assertThat(sim.domVariant()).isEqualTo(DomVariant.standard());
    }

    // ------------------------------------------------------------------ in-page modules

    /**
     * What a tool that calls the page's modules does: list the registry, require every module, keep the first that
     * has each shape, until all are found; the result is kept in {@code window.__found} for the test's next calls.
     */
    private static final String FIND_BY_SHAPE = """
            () => {
              const shapes = {
                send: m => typeof m.addAndSendMsgToChat === 'function',
                exists: m => typeof m.queryWidExists === 'function' && typeof m.queryPhoneExists === 'function',
                collections: m => m.Msg && typeof m.Msg.processMultipleMessages === 'function',
                socket: m => m.Socket && typeof m.Socket.on === 'function',
                wid: m => typeof m.createWid === 'function',
                lid: m => typeof m.getCurrentLid === 'function',
                chat: m => typeof m.findOrCreateLatestChat === 'function',
              };
              const found = {};
              const ids = {};
              for (const id of Object.keys(window.require('__debug').modulesMap)) {
                let m;
                try { m = window.require(id); } catch (e) { continue; }
                if (!m) continue;
                for (const [name, fits] of Object.entries(shapes)) {
                  if (!found[name] && fits(m)) { found[name] = m; ids[name] = id; }
                }
              }
              if (Object.keys(found).length < Object.keys(shapes).length) return null;
              window.__found = found;
              return ids;
            }""";

    /** Sends {@code text} to {@code phone} through the found modules; resolves to the send result, or the error. */
    private static final String SEND_IN_PAGE = """
            async ([phone, text]) => {
              const f = window.__found;
              window.__acks = [];
              f.collections.Msg.on('change:ack', (msg, ack) => window.__acks.push(ack));
              const exists = await f.exists.queryPhoneExists(phone);
              if (!exists) return 'not registered';
              const { chat } = await f.chat.findOrCreateLatestChat(exists.wid);
              try {
                const [, result] = f.send.addAndSendMsgToChat(chat, { body: text, type: 'chat' });
                return (await result).messageSendResult;
              } catch (e) {
                return 'error: ' + e.message;
              }
            }""";

    @Test
    void inPageModulesRegisterOnceTheChatListShowsAndASendThroughThemGoesOutOnceWithAcksAsEvents() {
        start(fast());
        sim.registerNumber(ALICE, "Alice");
        Page page = linkedPage(newContext());

        @SuppressWarnings("unchecked")
        Map<String, String> ids = (Map<String, String>) page.waitForFunction(FIND_BY_SHAPE).jsonValue();
        assertThat(ids).containsEntry("send", "WAWebSendMsgChatAction").containsEntry("exists", "WAWebQueryExistsJob")
                .containsEntry("collections", "WAWebCollections").containsEntry("socket", "WAWebSocketModel");
        assertThat(page.evaluate("() => window.__found.socket.Socket.state")).isEqualTo("CONNECTED");
        assertThat(page.evaluate("() => window.__found.lid.getCurrentLid(window.__found.wid.createWid("
                + "'491701234567@c.us'))")).as("no LID before the number was looked up").isNull();

        assertThat(page.evaluate(SEND_IN_PAGE, List.of(ALICE, "Hello from inside"))).isEqualTo("OK");

        List<ReceivedMessage> got = sim.awaitReceived(ALICE, 1, WAIT);
        assertThat(got).extracting(ReceivedMessage::text).containsExactly("Hello from inside");
        page.waitForFunction("() => window.__acks.includes(3)");
        // A poll may come late enough to see a later stage at once (sent and delivered together, or all three): the
        // page then reports only the stage it sees, as WhatsApp's own model does. Acks only rise, up to read.
        @SuppressWarnings("unchecked")
        List<Integer> acks = (List<Integer>) page.evaluate("() => window.__acks");
        assertThat(acks).first().satisfies(first -> assertThat(first).isBetween(1, 3));
        assertThat(acks).last().isEqualTo(3);
        assertThat(acks).isSorted().doesNotHaveDuplicates();
        assertThat(sim.received(ALICE)).as("sent once").hasSize(1);
        assertThat(page.evaluate("() => window.__found.lid.getCurrentLid(window.__found.wid.createWid("
                + "'491701234567@c.us'))._serialized").toString()).endsWith("@lid");
    }

    @Test
    void aBuildWithOtherModuleIdsIsFoundByShapeAndNotByName() {
        start(fast());
        sim.setInPageModules(InPageModules.renamed());
        sim.registerNumber(ALICE, "Alice");
        Page page = linkedPage(newContext());

        @SuppressWarnings("unchecked")
        Map<String, String> ids = (Map<String, String>) page.waitForFunction(FIND_BY_SHAPE).jsonValue();
        assertThat(ids.values()).noneMatch(InPageModules.standard().ids()::containsValue);
        assertThat(page.evaluate("() => { try { window.require('WAWebSendMsgChatAction'); return 'found'; }"
                + " catch (e) { return e.message; } }")).isEqualTo("Requiring unknown module \"WAWebSendMsgChatAction\"");
        assertThat(page.evaluate(SEND_IN_PAGE, List.of(ALICE, "Renamed, still sent"))).isEqualTo("OK");
        assertThat(sim.awaitReceived(ALICE, 1, WAIT)).extracting(ReceivedMessage::text)
                .containsExactly("Renamed, still sent");
    }

    @Test
    void withoutTheLidMappingAnInPageSendFailsBeforeAnythingLeavesWhileTheUiStillSends() {
        start(fast());
        sim.setInPageModules(InPageModules.standard().withoutLidMapping());
        sim.registerNumber(ALICE, "Alice");
        Page page = linkedPage(newContext());
        page.waitForFunction(FIND_BY_SHAPE);

        assertThat(page.evaluate(SEND_IN_PAGE, List.of(ALICE, "needs a LID"))).isEqualTo("error: No LID for user");
        assertThat(page.evaluate("() => window.__found.collections.Msg.getModelsArray().length")).isEqualTo(0);
        assertThat(sim.received(ALICE)).isEmpty();

        sendFromUrl(page, "through the UI");
        assertThat(sim.received(ALICE)).extracting(ReceivedMessage::text).containsExactly("through the UI");
    }

    @Test
    void theRegistrationQueryAnswersWithoutOpeningAChatAndTheSocketFollowsTheConnection() {
        start(fast());
        sim.registerNumber(ALICE, "Alice");
        Page page = linkedPage(newContext());
        page.waitForFunction(FIND_BY_SHAPE);
        page.evaluate("() => { window.__states = []; window.__found.socket.Socket.on('change:state',"
                + " (s, state) => window.__states.push(state)); }");

        assertThat(page.evaluate("async () => (await window.__found.exists.queryPhoneExists('+491701234567'))"
                + ".wid._serialized")).isEqualTo("491701234567@c.us");
        assertThat(page.evaluate("async () => await window.__found.exists.queryPhoneExists('+491709999999')")).isNull();
        assertThat(page.locator("#main").count()).as("no chat was opened").isZero();

        sim.setConnection(ConnectionState.COMPUTER_NOT_CONNECTED);
        page.waitForFunction("() => window.__found.socket.Socket.state === 'TIMEOUT'");
        sim.setConnection(ConnectionState.ONLINE);
        page.waitForFunction("() => window.__found.socket.Socket.state === 'CONNECTED'");
        assertThat(page.evaluate("() => window.__states")).isEqualTo(List.of("TIMEOUT", "CONNECTED"));
    }

    // ------------------------------------------------------------------ helpers

    private static WhatsAppWebSimulator.Builder fast() {
        return WhatsAppWebSimulator.builder()
                .pollInterval(Duration.ofMillis(50))
                .loadingScreen(Duration.ofMillis(100))
                .chatHistoryBytes(0)
                .ackDelays(Duration.ofMillis(100), Duration.ofMillis(100));
    }

    private void start(WhatsAppWebSimulator.Builder builder) {
        sim = builder.build().start();
    }

    private BrowserContext newContext() {
        BrowserContext context = browser.newContext();
        context.setDefaultTimeout(WAIT.toMillis());
        context.onPage(p -> p.onPageError(pageErrors::add));
        toClose.add(context::close);
        return context;
    }

    private Page linkedPage(BrowserContext context) {
        Page page = context.newPage();
        page.navigate(sim.url());
        sim.scanQr(qrPayload(page));
        page.locator("#pane-side").waitFor();
        return page;
    }

    private static void search(Page page, String text) {
        page.locator("#side input[aria-label='Search or start a new chat']").fill(text);
    }

    /** Sends a text to Alice through click-to-chat and Enter; returns the bubble's data-id. */
    private String sendFromUrl(Page page, String text) {
        int before = sim.received(ALICE).size();
        page.navigate(sim.url() + "/send?phone=491701234567&text=" + URLEncoder.encode(text, StandardCharsets.UTF_8));
        page.locator(COMPOSE).waitFor();
        page.waitForCondition(() -> !page.locator(COMPOSE).textContent().isEmpty());
        page.locator(COMPOSE).press("Enter");
        ReceivedMessage got = sim.awaitReceived(ALICE, before + 1, WAIT).get(before);
        String key = got.id().substring(got.id().lastIndexOf('_') + 1);
        page.locator("div[data-id='" + key + "']").waitFor();
        return key;
    }

    private static String qrPayload(Page page) {
        page.waitForFunction("() => (document.querySelector('div[data-ref]')?.getAttribute('data-ref') || '').startsWith('2@')");
        return page.getAttribute("div[data-ref]", "data-ref");
    }
}
