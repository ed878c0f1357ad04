package dev.wasched.whatsapp.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserType;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import dev.wasched.whatsapp.SelectorProfile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Which row of a chat search is taken for a number on a page that names no chat ids: only the single chat or
 * contact in the "Chats" and "Contacts" sections, never a row under another header, never one of two, never a row
 * of a list that is not showing search results yet. A static page in a real Chromium.
 */
@Tag("browser")
class ChatSearchResultTest {
    private static final String DIGITS = "491701234567";
    private static Playwright playwright;
    private static Browser browser;
    private Page page;

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
        if (playwright != null) {
            playwright.close();
        }
    }

    @BeforeEach
    void newPage() {
        page = browser.newPage();
    }

    private static String header(String text) {
        return "<div role=\"row\"><div role=\"gridcell\">" + text + "</div></div>";
    }

    private static String chat(String title, String attributes) {
        return "<div role=\"row\"" + attributes + "><div role=\"gridcell\"><span dir=\"auto\" title=\"" + title + "\">"
                + title + "</span><span dir=\"ltr\" title=\"last words\">last words</span></div></div>";
    }

    private String result(String... rows) {
        page.setContent("<div id=\"pane-side\"><div role=\"grid\">" + String.join("", rows) + "</div></div>");
        Map<String, Object> a = new HashMap<>();
        a.put("S", SelectorProfile.defaults().asCandidateMap());
        a.put("digits", DIGITS);
        return String.valueOf(page.evaluate(PageScripts.SEARCH_RESULT, a));
    }

    @Test
    void theOnlyChatOrContactIsTakenByItsTitleToBeCheckedOnceOpened() {
        assertThat(result(header("Chats"), chat("Alice", "")))
                .isEqualTo("{\"index\":0,\"verified\":false,\"title\":\"Alice\"}");
        assertThat(result(header("Contacts"), chat("Alice", "")))
                .isEqualTo("{\"index\":0,\"verified\":false,\"title\":\"Alice\"}");
    }

    @Test
    void aRowUnderAnotherHeaderIsNeverTaken() {
        assertThat(result(header("Messages"), chat("Alice", ""))).isEqualTo("{\"none\":true}");
        assertThat(result(header("Chats"), chat("Alice", ""), header("Messages"), chat("Bob", "")))
                .as("the message that mentions the number does not count, the row index counts every titled row")
                .isEqualTo("{\"index\":0,\"verified\":false,\"title\":\"Alice\"}");
        assertThat(result(header("Messages"), chat("Bob", ""), header("Chats"), chat("Alice", "")))
                .isEqualTo("{\"index\":1,\"verified\":false,\"title\":\"Alice\"}");
    }

    @Test
    void twoCandidatesOrAListWithoutSearchResultsTellNothing() {
        assertThat(result(header("Chats"), chat("Alice", ""), chat("Alice", ""))).isEqualTo("false");
        assertThat(result(header("Chats"), chat("Alice", ""), header("Contacts"), chat("Alicia", "")))
                .isEqualTo("false");
        assertThat(result(chat("Alice", ""))).as("the chat list before the search shows its results")
                .isEqualTo("false");
    }

    @Test
    void aChatIdOrAPhoneNumberTitleStillProvesTheChat() {
        assertThat(result(header("Chats"), chat("Alice", " data-chat-id=\"491709999999@c.us\""),
                chat("Alicia", " data-chat-id=\"" + DIGITS + "@c.us\"")))
                .isEqualTo("{\"index\":1,\"verified\":true}");
        assertThat(result(header("Contacts"), chat("+49 170 1234567", ""))).isEqualTo("{\"index\":0,\"verified\":true}");
        assertThat(result(header("Chats"), chat("+49 170 9999999", ""))).isEqualTo("{\"none\":true}");
    }
}
