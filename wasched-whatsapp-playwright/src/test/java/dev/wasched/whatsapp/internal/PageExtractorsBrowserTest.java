package dev.wasched.whatsapp.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserType;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import dev.wasched.whatsapp.PlaywrightTransportConfig;
import dev.wasched.whatsapp.SelectorMatch;
import dev.wasched.whatsapp.SelectorProfile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The page extractors and the transport's page scripts against static pages in the older and the 2025-26 forms of
 * WhatsApp Web, with the shipped profile. The 2025-26 fixtures follow what public automation projects record of the
 * real page (see the package documentation of {@code dev.wasched.whatsapp}).
 */
@Tag("browser")
class PageExtractorsBrowserTest {
    private static Playwright playwright;
    private static Browser browser;
    private Page page;

    private static final String OLD_CHAT = """
            <div id="pane-side"></div>
            <div id="main"><header><span title="Alice">Alice</span></header>
              <div class="message-out" data-id="true_491701234567@c.us_OLD1">
                <span class="selectable-text">first</span><span data-icon="tail-out"></span>
                <span data-icon="msg-dblcheck-ack"></span></div>
              <div class="message-out" data-id="OLD2"><span class="selectable-text">second</span>
                <span data-icon="msg-time"></span></div>
              <div class="message-out" data-id="OLD3"><span data-icon="msg-check"></span></div>
              <div class="message-out" data-id="OLD4"><span data-icon="msg-dblcheck"></span></div>
              <div class="message-out" data-id="OLD5"><span data-testid="msg-dblcheck"></span></div>
              <div class="message-out" data-id="OLD6"><span data-icon="tail-out"></span></div>
              <footer><div contenteditable="true" data-tab="10"></div>
                <button><span data-icon="send"></span></button></footer>
            </div>""";

    private static String newRow(String id, String text, String tick) {
        return "<div role=\"row\"><div data-id=\"" + id + "\" class=\"x1n2onr6\"><div class=\"message-out focusable-list-item\">"
                + "<span class=\"selectable-text copyable-text\">" + text + "</span>"
                + "<div data-testid=\"msg-meta\"><span>12:31</span>" + tick + "</div></div></div></div>";
    }

    private static String svgTick(String title, String colour) {
        return "<span style=\"color: " + colour + "\"><svg viewBox=\"0 0 18 18\" style=\"color: " + colour + "\">"
                + "<title>" + title + "</title><path fill=\"currentColor\" d=\"M0 0h1v1z\"></path></svg></span>";
    }

    private static final String NEW_CHAT = "<div id=\"side\"><input type=\"text\" aria-label=\"Search\"></div>"
            + "<div id=\"pane-side\"><div role=\"grid\"><div role=\"row\">Alice</div></div></div>"
            + "<div id=\"main\"><header><span title=\"Alice\">Alice</span></header>"
            + newRow("true_491701234567@c.us_NEW1", "one", svgTick("wds-ic-delivered", "rgba(0, 0, 0, 0.6)"))
            + newRow("NEW2", "two", svgTick("wds-ic-read", "rgba(0, 0, 0, 0.6)"))
            + newRow("NEW3", "three", svgTick("wds-ic-read", "rgb(0, 123, 252)"))
            + newRow("NEW4", "four", svgTick("wds-ic-read", "rgba(255, 255, 255, 0.6)"))
            + newRow("NEW5", "five", "<span aria-label=\" Read \"><svg></svg></span>")
            + newRow("NEW6", "six", "<span aria-label=\" Delivered \"><svg></svg></span>")
            + newRow("NEW7", "seven", "<span aria-label=\" Pending \"></span>")
            + "<footer><div contenteditable=\"true\" role=\"textbox\"></div>"
            + "<button aria-label=\"Send\"><span data-icon=\"wds-ic-send-filled\"></span></button></footer></div>";

    @BeforeAll
    static void launch() {
        Path chromium = Path.of(System.getenv().getOrDefault("WASCHED_CHROMIUM", "/usr/bin/chromium"));
        if (!Files.isExecutable(chromium)) {
            throw new IllegalStateException("these tests need Chromium at " + chromium);
        }
        playwright = Playwright.create(new Playwright.CreateOptions()
                .setEnv(Map.of("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")));
        browser = playwright.chromium().launch(new BrowserType.LaunchOptions().setExecutablePath(chromium)
                .setHeadless(true).setChromiumSandbox(!BrowserProcesses.runningAsRoot()));
    }

    @AfterAll
    static void close() {
        if (playwright != null) {
            playwright.close(); // ends the browser too
        }
    }

    @BeforeEach
    void newPage() {
        page = browser.newContext().newPage();
    }

    private Object x(String body) {
        Map<String, Object> a = new HashMap<>();
        a.put("S", SelectorProfile.defaults().asCandidateMap());
        return page.evaluate(PageExtractors.function(body), a);
    }

    private WhatsAppWebPage web() {
        return new WhatsAppWebPage(page, PlaywrightTransportConfig.builder("fixture").build(), new PageCounters());
    }

    @Test
    void ackStatesOfTheOlderFormAreReadFromDataIconAndDataTestid() {
        page.setContent(OLD_CHAT);
        assertThat(x("return ['OLD1','OLD2','OLD3','OLD4','OLD5','OLD6'].map(id => X.ackState("
                + "document.querySelector('[data-id$=\"' + id + '\"]')));"))
                .isEqualTo(java.util.Arrays.asList("READ", "PENDING", "SENT", "DELIVERED", "DELIVERED", null));
    }

    @Test
    void ackStatesOfThe2025FormAreReadFromSvgTitlesColourAndAriaLabels() {
        page.setContent(NEW_CHAT);
        assertThat(x("return X.all('outgoingMessage').map(r => X.ackState(r));"))
                .as("wds-ic-delivered is the single tick; wds-ic-read is the double tick, read only when blue")
                .isEqualTo(List.of("SENT", "DELIVERED", "READ", "DELIVERED", "READ", "DELIVERED", "PENDING"));
    }

    @Test
    void anAriaLabelOutranksTheSvgTitleItHolds() {
        // As the 2025-26 page draws a status: the label in the bubble's meta holding the titled SVG. A read tick not
        // recognised as blue is still read, a delivered tick drawn in a blue theme is still only delivered, and the
        // single tick titled wds-ic-delivered is sent.
        String label = "<span aria-label=\"%s\">%s</span>";
        page.setContent("<div id=\"main\">"
                + newRow("L1", "one", label.formatted(" Sent ", svgTick("wds-ic-delivered", "rgba(0, 0, 0, 0.6)")))
                + newRow("L2", "two", label.formatted(" Delivered ", svgTick("wds-ic-read", "rgb(0, 123, 252)")))
                + newRow("L3", "three", label.formatted(" Read ", svgTick("wds-ic-read", "rgba(0, 0, 0, 0.6)")))
                + newRow("L4", "four", label.formatted(" Read ", svgTick("wds-ic-read", "rgb(0, 123, 252)")))
                + newRow("L5", "five", label.formatted(" Pending ", svgTick("wds-ic-pending", "rgba(0, 0, 0, 0.6)")))
                + "</div>");
        assertThat(x("return X.all('outgoingMessage').map(r => X.ackState(r));"))
                .isEqualTo(List.of("SENT", "DELIVERED", "READ", "READ", "PENDING"));
        assertThat(web().outgoing()).extracting(WhatsAppWebPage.Bubble::icon)
                .containsExactly("msg-check", "msg-dblcheck", "msg-dblcheck-ack", "msg-dblcheck-ack", "msg-time");
    }

    @Test
    void theTransportReadsRowsIdsTextsAndTicksOfBothForms() {
        page.setContent(OLD_CHAT);
        List<WhatsAppWebPage.Bubble> old = web().outgoing();
        assertThat(old).extracting(WhatsAppWebPage.Bubble::id).containsExactly("true_491701234567@c.us_OLD1", "OLD2",
                "OLD3", "OLD4", "OLD5", "OLD6");
        assertThat(old).extracting(WhatsAppWebPage.Bubble::icon).containsExactly("msg-dblcheck-ack", "msg-time",
                "msg-check", "msg-dblcheck", "msg-dblcheck", null);
        assertThat(old.get(0).text()).isEqualTo("first");

        page.setContent(NEW_CHAT);
        WhatsAppWebPage web = web();
        List<WhatsAppWebPage.Bubble> rows = web.outgoing();
        assertThat(rows).extracting(WhatsAppWebPage.Bubble::id).as("the id sits on the row wrapper")
                .containsExactly("true_491701234567@c.us_NEW1", "NEW2", "NEW3", "NEW4", "NEW5", "NEW6", "NEW7");
        assertThat(rows).extracting(WhatsAppWebPage.Bubble::text).startsWith("one", "two", "three");
        assertThat(rows).extracting(WhatsAppWebPage.Bubble::icon).as("the profile's first name of each state")
                .containsExactly("msg-check", "msg-dblcheck", "msg-dblcheck-ack", "msg-dblcheck", "msg-dblcheck-ack",
                        "msg-dblcheck", "msg-time");
        assertThat(web.isAcceptedIcon(rows.get(0).icon())).isTrue();
        assertThat(web.isAcceptedIcon(rows.get(6).icon())).isFalse();
        PageSnapshot s = web.snapshot();
        assertThat(s.screen()).isEqualTo(PageSnapshot.Screen.MAIN);
        assertThat(s.chatOpen()).isTrue();
        assertThat(s.bubbles()).containsEntry("NEW3", "msg-dblcheck-ack").containsEntry("NEW2", "msg-dblcheck");
    }

    /** A received row of the 2025-26 form: the id on its wrapper, sender and time in data-pre-plain-text. */
    private static String incomingRow(String id, String sender, String text) {
        return "<div role=\"row\"><div data-id=\"" + id + "\"><div class=\"message-in\">"
                + "<div data-pre-plain-text=\"[10:0" + id.length() + ", 06/12/2026] " + sender + ": \">"
                + "<span data-testid=\"selectable-text\">" + text + "</span></div></div></div></div>";
    }

    private static String chatPanel(String title, String rows) {
        return "<header><span title=\"" + title + "\">" + title + "</span></header><div class=\"rows\">" + rows
                + "</div><footer><div contenteditable=\"true\" role=\"textbox\"></div></footer>";
    }

    /**
     * A received message drawn in the chat on screen is kept by the page's watch though another chat replaces that
     * one before the transport looks (a page in front reads it at once, so no badge tells of it later); what a chat
     * shows as it comes on screen, and older history drawn above its rows, are not arrivals. Each step is a task of
     * its own, as the page's rendering and the transport's clicks are.
     */
    @Test
    void theWatchKeepsAMessageThatArrivedInAChatSwitchedAwayFromAndNothingAChatShowedAsItCame() {
        page.setContent("<div id=\"pane-side\"><div role=\"grid\"><div role=\"row\"><span title=\"Alice\">Alice</span>"
                + "</div><div role=\"row\"><span title=\"Bob\">Bob</span></div></div></div><div id=\"main\">"
                + chatPanel("Bob", incomingRow("B1", "Bob", "Who is this?")) + "</div>");
        WhatsAppWebPage web = web();
        assertThat(web.arrivals()).as("the watch starts: what the chat shows is not news").isEmpty();

        page.evaluate("html => document.querySelector('#main .rows').insertAdjacentHTML('afterbegin', html)",
                incomingRow("B0", "Bob", "an older message"));
        page.evaluate("html => document.querySelector('#main .rows').insertAdjacentHTML('beforeend', html)",
                incomingRow("B2", "Bob", "Still there?"));
        page.evaluate("html => { const n = document.createElement('div'); n.id = 'main'; n.innerHTML = html;"
                + " document.querySelector('#main').replaceWith(n); }",
                chatPanel("Alice", incomingRow("A1", "Alice", "Yes, see you then")));

        assertThat(web.incomingOfOpenChat().getKey()).isEqualTo("Alice");
        assertThat(web.arrivals()).extracting(WhatsAppWebPage.Arrival::chat, a -> a.row().id(), a -> a.row().sender(),
                a -> a.row().text()).containsExactly(org.assertj.core.groups.Tuple.tuple("Bob", "B2", "Bob",
                "Still there?"));
        assertThat(web.arrivals()).as("each arrival once; Alice's rows came with her chat").isEmpty();

        page.evaluate("html => document.querySelector('#main .rows').insertAdjacentHTML('beforeend', html)",
                incomingRow("A2", "Alice", "and bring the keys"));
        assertThat(web.arrivals()).extracting(WhatsAppWebPage.Arrival::chat, a -> a.row().text())
                .containsExactly(org.assertj.core.groups.Tuple.tuple("Alice", "and bring the keys"));
    }

    @Test
    void aMessageIdIsFoundOnTheRowAnAncestorOrADescendant() {
        page.setContent("<div data-id=\"UP\"><div><div id=\"a\" class=\"message-out\"></div></div></div>"
                + "<div id=\"b\" class=\"message-out\"><div data-id=\"DOWN\"></div></div>"
                + "<div id=\"c\" class=\"message-out\" data-id=\"OWN\"><div data-id=\"INNER\"></div></div>"
                + "<div id=\"d\" class=\"message-out\"></div>");
        assertThat(x("return ['a','b','c','d'].map(i => X.messageId(document.getElementById(i)));"))
                .isEqualTo(java.util.Arrays.asList("UP", "DOWN", "OWN", null));
    }

    @Test
    void pairingCodesOfEveryShownFormAreReadAsABCDDashEFGH() {
        page.setContent("<div id=\"dash\" data-link-code=\"K2M4-9XQ7\"></div>"
                + "<div id=\"commas\" data-link-code=\"K,2,M,4,9,X,Q,7\"></div>"
                + "<div id=\"plain\">k2m49xq7</div>"
                + "<div id=\"cells\" aria-details=\"link-device-phone-number-code\">"
                + "<span>K</span><span>2</span><span>M</span><span>4</span><span>-</span>"
                + "<span>9</span><span>X</span><span>Q</span><span>7</span></div>"
                + "<div id=\"short\">K2M4-9XQ</div>");
        assertThat(x("return ['dash','commas','plain','cells','short'].map(i => X.pairingCode(document.getElementById(i)));"))
                .isEqualTo(java.util.Arrays.asList("K2M4-9XQ7", "K2M4-9XQ7", "K2M4-9XQ7", "K2M4-9XQ7", null));
        // The Java rule is the same one.
        assertThat(PageExtractors.canonicalPairingCode("K,2,M,4,9,X,Q,7")).isEqualTo("K2M4-9XQ7");

        page.setContent("<div data-ref=\"2@x\"></div><div data-link-code=\"K,2,M,4,9,X,Q,7\"></div>");
        PageSnapshot s = web().snapshot();
        assertThat(s.screen()).isEqualTo(PageSnapshot.Screen.PAIRING);
        assertThat(s.pairingCode()).isEqualTo("K2M4-9XQ7");
    }

    @Test
    void popupTextsAreMatchedByMeaningWhateverTheWording() {
        page.setContent("<p>x</p>");
        assertThat(x("return [" + "'Phone number shared via url is invalid.\\nOK',"
                + "'The phone number shared via link is invalid.',"
                + "'  +49 170 9999999   ISN\u2019T on WhatsApp. ',"
                + "'Trying to reach phone'].map(t => X.popupMeaning(t));"))
                .isEqualTo(java.util.Arrays.asList("invalidNumber", "invalidNumber", "invalidNumber", null));
    }

    @Test
    void theMatchingCandidateIsReportedPerKey() {
        SelectorProfile profile = SelectorProfile.defaults();
        page.setContent(OLD_CHAT);
        assertThat(ProfileProbe.matches(page, profile, List.of("sendButton", "composeBox", "searchBox"), null))
                .extracting(SelectorMatch::index).containsExactly(0, 0, -1);

        page.setContent(NEW_CHAT);
        List<SelectorMatch> m = ProfileProbe.matches(page, profile, List.of("sendButton", "composeBox", "searchBox",
                "chatTitle"), "Alice");
        assertThat(m.get(0)).hasToString("sendButton: matched candidate 2 `button > span[data-icon=\"wds-ic-send-filled\"]`");
        assertThat(m.get(1).candidate()).isEqualTo("#main footer div[contenteditable=\"true\"]");
        assertThat(m.get(2).matched()).isTrue();
        assertThat(m.get(3).candidate()).isEqualTo("span[title=\"Alice\"]");
        assertThat(ProfileProbe.matches(page, profile, List.of("chatTitle"), null)).as("a template needs a name").isEmpty();
    }

    @Test
    void theWebBuildComesFromDebugVersionOrTheBuildConstants() {
        page.setContent("<p>x</p>");
        assertThat(ProfileProbe.webBuild(page)).isEmpty();
        page.evaluate("() => { window.require = (m) => { if (m === 'WAWebBuildConstants') "
                + "return { VERSION_STR: '2.3000.1029384756' }; throw new Error('no ' + m); }; }");
        assertThat(ProfileProbe.webBuild(page)).contains("2.3000.1029384756");
        page.evaluate("() => { window.Debug = { VERSION: '2.3000.1030000000' }; }");
        assertThat(ProfileProbe.webBuild(page)).contains("2.3000.1030000000");
    }
}
