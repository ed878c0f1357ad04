package dev.wasched.whatsapp.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserType;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import dev.wasched.whatsapp.PlaywrightTransportConfig;
import dev.wasched.whatsapp.internal.WhatsAppWebPage.Bubble;
import dev.wasched.whatsapp.internal.WhatsAppWebPage.Followed;
import dev.wasched.whatsapp.internal.WhatsAppWebPage.Progress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Reading outgoing rows where the id sits on a row wrapper with {@code .message-out} inside, emoji are images and
 * long texts end in "Read more", in a list that drops old rows (virtualised): a static page in a real Chromium.
 */
@Tag("browser")
class PageRowsTest {
    private static final String JID = "491701234567@c.us";
    private static Playwright playwright;
    private static Browser browser;
    private Page page;
    private WhatsAppWebPage web;

    @BeforeAll
    static void launch() {
        Path chromium = Path.of(System.getenv().getOrDefault("WASCHED_CHROMIUM", "/usr/bin/chromium"));
        if (!Files.isExecutable(chromium)) {
            throw new IllegalStateException("this test needs Chromium at " + chromium);
        }
        playwright = Playwright.create(new Playwright.CreateOptions()
                .setEnv(Map.of("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")));
        browser = playwright.chromium().launch(new BrowserType.LaunchOptions().setExecutablePath(chromium)
                .setChromiumSandbox(!BrowserProcesses.runningAsRoot()));
    }

    @AfterAll
    static void close() {
        if (browser != null) {
            browser.close();
        }
        if (playwright != null) {
            playwright.close();
        }
    }

    @BeforeEach
    void page() {
        page = browser.newPage();
        page.setContent("""
                <div id="pane-side"></div>
                <div id="main"><div id="rows">
                  %s
                  %s
                </div><footer><div contenteditable="true" data-tab="10"></div></footer></div>
                """.formatted(
                row("A", "<span>old <strong>news</strong></span>", "msg-dblcheck-ack"),
                row("B", "<span>hi <img alt=\"\ud83d\udc4d\" src=\"data:,\"> there</span>"
                        + "<div role=\"button\" class=\"read-more-button\">Read more</div>", "msg-check")));
        PlaywrightTransportConfig config = PlaywrightTransportConfig.builder("rows")
                .elementTimeout(Duration.ofSeconds(2)).build();
        web = new WhatsAppWebPage(page, config, new PageCounters());
    }

    private static String row(String key, String textHtml, String icon) {
        return "<div role=\"row\" data-id=\"true_" + JID + "_" + key + "\"><div class=\"message-out\">"
                + "<span class=\"selectable-text copyable-text\">" + textHtml + "</span>"
                + "<span data-icon=\"" + icon + "\"></span></div></div>";
    }

    private void later(String js) {
        page.evaluate("(js) => setTimeout(() => eval(js), 150)", js);
    }

    private String add(String key, String text, String icon) {
        return "document.getElementById('rows').insertAdjacentHTML('beforeend', "
                + "'" + row(key, "<span>" + text + "</span>", icon).replace("'", "\\'") + "')";
    }

    @Test
    void rowsAreReadFromTheirWrapperWithEmojiAndCutText() {
        List<Bubble> rows = web.outgoing();
        assertThat(rows).extracting(Bubble::id).containsExactly("true_" + JID + "_A", "true_" + JID + "_B");
        assertThat(rows.get(0).text()).isEqualTo("old news");
        assertThat(rows.get(0).icon()).isEqualTo("msg-dblcheck-ack");
        assertThat(rows.get(1).text()).isEqualTo("hi \ud83d\udc4d there");
        assertThat(rows.get(1).cut()).isTrue();
        assertThat(web.snapshot().bubbles()).containsOnlyKeys("true_" + JID + "_A", "true_" + JID + "_B");
    }

    @Test
    void theNewRowIsTheFirstUnknownIdAfterTheKnownOnesEvenWhenOldRowsComeAndGo() {
        List<String> before = web.outgoing().stream().map(Bubble::id).toList();
        String mark = web.mark();
        // The list drops its oldest row, shows an even older one at the top (scrolled in), then our new row.
        later("document.querySelector('[data-id$=\"_A\"]').remove();"
                + "document.getElementById('rows').insertAdjacentHTML('afterbegin', '"
                + row("OLDER", "<span>years ago</span>", "msg-dblcheck-ack").replace("'", "\\'") + "');"
                + add("NEW", "*sale* today", "msg-time"));
        Followed f = web.follow(mark, before, null, Duration.ofSeconds(5));
        assertThat(f.progress()).isEqualTo(Progress.SEEN);
        assertThat(f.id()).isEqualTo("true_" + JID + "_NEW");
        assertThat(f.text()).isEqualTo("*sale* today");
        later("document.querySelector('[data-id$=\"_NEW\"] [data-icon]').setAttribute('data-icon', 'msg-check')");
        assertThat(web.follow(mark, before, f.id(), Duration.ofSeconds(5)).progress()).isEqualTo(Progress.ACCEPTED);
    }

    @Test
    void noRowIsTakenAsNewWhenNoneOfTheKnownRowsIsShownAnyMore() {
        List<String> before = web.outgoing().stream().map(Bubble::id).toList();
        String mark = web.mark();
        page.evaluate("() => { document.getElementById('rows').innerHTML = ''; }");
        page.evaluate("(html) => document.getElementById('rows').insertAdjacentHTML('beforeend', html)",
                row("ELSEWHERE", "<span>an older row</span>", "msg-dblcheck"));
        Followed f = web.follow(mark, before, null, Duration.ofMillis(800));
        assertThat(f.progress()).as("cannot tell which row is new").isEqualTo(Progress.TIMEOUT);
        assertThat(f.id()).isNull();
    }

    @Test
    void aChatTitledWithTheNumberIsKnownAsThatNumbersAndUsedAsItIs() throws Exception {
        page.setContent(chatTitled("+49 170 1234567"));
        PageCounters counters = new PageCounters();
        WhatsAppWebPage w = new WhatsAppWebPage(page, offline(), counters);
        assertThat(w.openChat(ChatTarget.phone("+491701234567"), Duration.ofSeconds(2)))
                .isEqualTo(WhatsAppWebPage.Opened.CHAT);
        assertThat(counters.alreadyOpen()).isEqualTo(1);
        assertThat(counters.fallbackNavigations()).isZero();
    }

    @Test
    void anOpenChatThatDoesNotSayWhoseItIsIsNeverUsedForANumber() {
        page.setContent(chatTitled("Alice"));
        PageCounters counters = new PageCounters();
        WhatsAppWebPage w = new WhatsAppWebPage(page, offline(), counters);
        // No chat id, no message ids, a name as title: the chat is loaded by the link instead (here: unreachable).
        org.assertj.core.api.Assertions.assertThatThrownBy(
                () -> w.openChat(ChatTarget.phone("+491701234567"), Duration.ofSeconds(2)))
                .isInstanceOf(com.microsoft.playwright.PlaywrightException.class);
        assertThat(counters.alreadyOpen()).isZero();
        assertThat(counters.fallbackNavigations()).isEqualTo(1);
    }

    private static String chatTitled(String title) {
        return "<div id=\"pane-side\"></div><div id=\"main\"><header><span dir=\"auto\" title=\"" + title
                + "\">" + title + "</span></header><footer><div contenteditable=\"true\" data-tab=\"10\"></div>"
                + "</footer></div>";
    }

    /** A configuration whose WhatsApp Web cannot be reached: a navigation fails at once. */
    private static PlaywrightTransportConfig offline() {
        return PlaywrightTransportConfig.builder("rows").webUrl("http://127.0.0.1:9")
                .elementTimeout(Duration.ofSeconds(1)).pageTimeout(Duration.ofSeconds(5)).build();
    }
}
