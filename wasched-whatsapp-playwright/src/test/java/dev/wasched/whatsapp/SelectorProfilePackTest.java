package dev.wasched.whatsapp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import dev.wasched.ValidationException;
import dev.wasched.whatsapp.internal.ProfilePacks;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Selector profile packs: candidates, overrides, loading and pinning. */
class SelectorProfilePackTest {
    @TempDir
    Path dir;

    private HttpServer server;

    @AfterEach
    void stopServer() {
        if (server != null) {
            server.stop(0);
        }
    }

    @Test
    void theShippedPackHoldsOldAndNewFormsInOrderAndGetIsTheFirstCandidate() {
        SelectorProfile d = SelectorProfile.defaults();
        assertThat(d.name()).isEqualTo("whatsapp-web");
        assertThat(d.packVersion()).isNotBlank();
        assertThat(d.formatVersion()).isEqualTo(2);
        assertThat(d.source()).isEqualTo("classpath:" + SelectorProfile.DEFAULT_RESOURCE);
        assertThat(d.candidates("sendButton")).startsWith("button > span[data-icon=\"send\"]")
                .contains("button > span[data-icon=\"wds-ic-send-filled\"]");
        assertThat(d.get("sendButton")).isEqualTo(d.candidates("sendButton").get(0));
        assertThat(d.candidates("linkWithPhoneText")).contains("Link with phone number", "Log in with phone number");
        assertThat(d.candidates("chatListItem")).contains("div[role=\"listitem\"]", "div[role=\"row\"]");
        assertThat(d.candidates("attachButton")).contains("span[data-icon=\"clip\"]", "span[data-icon=\"plus\"]");
        assertThat(d.asMap()).containsEntry("sendButton", "button > span[data-icon=\"send\"]");
        assertThat(d.selectorKeys()).contains("sendButton", "chatTitle").doesNotContain("iconRead", "clickToChatPath",
                "invalidNumberText", "messageIdAttribute");
        assertThat(d.describe()).isEqualTo("whatsapp-web " + d.packVersion());
    }

    @Test
    void anOverrideReplacesTheListAndAPrependedCandidateIsTriedFirst() {
        SelectorProfile d = SelectorProfile.defaults();
        SelectorProfile replaced = d.withOverride("sendButton", "#send");
        assertThat(replaced.candidates("sendButton")).containsExactly("#send");

        SelectorProfile prepended = d.withPrepended("sendButton", "button[aria-label=\"Send message\"]");
        assertThat(prepended.candidates("sendButton")).first().isEqualTo("button[aria-label=\"Send message\"]");
        assertThat(prepended.candidates("sendButton")).hasSize(d.candidates("sendButton").size() + 1)
                .containsSubsequence(d.candidates("sendButton"));
        assertThat(prepended.overriddenCandidates()).containsOnlyKeys("sendButton");
        assertThat(prepended.overrides()).containsEntry("sendButton", "button[aria-label=\"Send message\"]");
        assertThat(prepended.describe()).endsWith("(+1 overrides)");

        // Prepending a shipped candidate moves it to the front instead of listing it twice.
        String second = d.candidates("attachButton").get(1);
        assertThat(d.withPrepended("attachButton", second).candidates("attachButton"))
                .hasSameSizeAs(d.candidates("attachButton")).first().isEqualTo(second);

        assertThat(d.withCandidates("searchBox", List.of("#a", "#b")).candidates("searchBox")).containsExactly("#a", "#b");
        assertThat(d.candidates("sendButton")).as("defaults unchanged").doesNotContain("#send");
    }

    @Test
    void everyCandidateIsValidatedAndTheErrorNamesItsPosition() {
        SelectorProfile d = SelectorProfile.defaults();
        assertThatThrownBy(() -> d.withCandidates("chatTitle", List.of("span[title=\"{name}\"]", "span[title]")))
                .isInstanceOf(ValidationException.class).hasMessageContaining("selectors.chatTitle[1]")
                .hasMessageContaining("{name}");
        assertThatThrownBy(() -> d.withPrepended("clickToChatPath", "/send?phone={phone}&text={text}"))
                .isInstanceOf(ValidationException.class).hasMessageContaining("clickToChatPath");
        assertThatThrownBy(() -> d.withCandidates("composeBox", List.of()))
                .isInstanceOf(ValidationException.class).hasMessageContaining("1 to 16 candidates");
        assertThatThrownBy(() -> d.withPrepended("sendButon", "#x"))
                .isInstanceOf(ValidationException.class).hasMessageContaining("selectors.sendButon");
        assertThatThrownBy(() -> d.withCandidates("composeBox", List.of("#ok", " ")))
                .isInstanceOf(ValidationException.class).hasMessageContaining("selectors.composeBox[1]");
    }

    @Test
    void anOverridesFileMayReplaceWithAStringOrAListOrPrepend() throws Exception {
        Path file = dir.resolve("overrides.json");
        Files.writeString(file, """
                {"selectors": {
                  "attachButton": "span[data-icon=\\"plus\\"]",
                  "searchBox": ["#side input", "#search"],
                  "sendButton": {"prepend": "button[aria-label=\\"Send message\\"]"}
                }}""");
        SelectorProfile d = SelectorProfile.defaults();
        SelectorProfile p = d.withOverrides(file);
        assertThat(p.candidates("attachButton")).containsExactly("span[data-icon=\"plus\"]");
        assertThat(p.candidates("searchBox")).containsExactly("#side input", "#search");
        assertThat(p.candidates("sendButton")).first().isEqualTo("button[aria-label=\"Send message\"]");
        assertThat(p.candidates("sendButton")).containsAll(d.candidates("sendButton"));
        assertThat(p.overrides()).containsOnlyKeys("attachButton", "searchBox", "sendButton");

        Files.writeString(file, "{\"selectors\": {\"searchBox\": [\"#a\", 3]}}");
        assertThatThrownBy(() -> d.withOverrides(file)).isInstanceOf(ValidationException.class)
                .hasMessageContaining("selectors.searchBox");
    }

    @Test
    void aFirstFormatFileLoadsAsOneCandidatePerKeyAndMissingKeysKeepTheShippedCandidates() throws Exception {
        Path v1 = dir.resolve("mine-v1.json");
        Files.writeString(v1, """
                {"profile": "my-profile", "version": 1,
                 "selectors": {"sendButton": "#send", "iconRead": "msg-dblcheck-ack"}}""");
        SelectorProfile p = SelectorProfile.fromFile(v1);
        assertThat(p.name()).isEqualTo("my-profile");
        assertThat(p.formatVersion()).isEqualTo(1);
        assertThat(p.candidates("sendButton")).containsExactly("#send");
        assertThat(p.candidates("composeBox")).isEqualTo(SelectorProfile.defaults().candidates("composeBox"));
        assertThat(p.source()).isEqualTo("file:" + v1);

        // The resource of the first format, as shipped before candidate lists, still loads.
        SelectorProfile shippedV1 = SelectorProfile.fromClasspath("/dev/wasched/whatsapp/selectors-v1.json");
        assertThat(shippedV1.formatVersion()).isEqualTo(1);
        assertThat(shippedV1.candidates("sendButton")).containsExactly("button > span[data-icon=\"send\"]");
    }

    @Test
    void aSecondFormatPackCarriesItsIdentityAndBuildRange() throws Exception {
        Path pack = dir.resolve("pack.json");
        Files.writeString(pack, """
                {"format": 2, "name": "cohort-b", "version": "2027.01.3",
                 "webBuilds": {"minimum": "2.3000.1020000000", "maximum": "2.3000.1030000000"},
                 "selectors": {"sendButton": ["#new-send", "#old-send"]}}""");
        SelectorProfile p = SelectorProfile.fromFile(pack);
        assertThat(p.describe()).isEqualTo("cohort-b 2027.01.3");
        assertThat(p.minimumWebBuild()).contains("2.3000.1020000000");
        assertThat(p.maximumWebBuild()).contains("2.3000.1030000000");
        assertThat(p.candidates("sendButton")).containsExactly("#new-send", "#old-send");
        assertThat(p.withOverride("sendButton", "#x").describe()).isEqualTo("cohort-b 2027.01.3 (+1 overrides)");
    }

    @ParameterizedTest(name = "{1}")
    @CsvSource(delimiter = '|', value = {
            "{\"format\": 3, \"selectors\": {}}                                  | unknown format 3",
            "{\"format\": 2, \"name\": \"x\"}                                     | has no \"selectors\" object",
            "{\"format\": 2, \"selectors\": {\"sendButon\": [\"#x\"]}}            | selectors.sendButon",
            "{\"format\": 2, \"selectors\": {\"chatTitle\": [\"span[title]\"]}}   | {name}",
            "{\"format\": 2, \"name\": \"a b\", \"selectors\": {}}                | selectorProfile.name",
            "[1, 2]                                                              | is not a JSON object",
            "{\"format\": 2, \"selectors\":                                      | is not valid JSON",
    })
    void aBrokenPackIsRefusedNamingTheProblem(String json, String problem) throws Exception {
        Path pack = dir.resolve("broken.json");
        Files.writeString(pack, json);
        assertThatThrownBy(() -> SelectorProfile.fromFile(pack)).isInstanceOf(ValidationException.class)
                .hasMessageContaining(problem);
    }

    @Test
    void oversizedPacksAndMissingResourcesAreRefused() throws Exception {
        Path big = dir.resolve("big.json");
        Files.writeString(big, "{\"format\": 2, \"selectors\": {}, \"pad\": \"" + "x".repeat(ProfilePacks.MAX_BYTES) + "\"}");
        assertThatThrownBy(() -> SelectorProfile.fromFile(big)).isInstanceOf(ValidationException.class)
                .hasMessageContaining("larger than");
        assertThatThrownBy(() -> SelectorProfile.fromClasspath("/no/such/pack.json")).isInstanceOf(ValidationException.class)
                .hasMessageContaining("/no/such/pack.json");
        assertThatThrownBy(() -> SelectorProfile.fromFile(dir.resolve("absent.json"))).isInstanceOf(ValidationException.class)
                .hasMessageContaining("absent.json");
    }

    @Test
    void aDownloadedPackIsAcceptedOnlyWithTheRightPin() throws Exception {
        byte[] pack = """
                {"format": 2, "name": "remote", "version": "7", "selectors": {"sendButton": ["#remote-send"]}}"""
                .getBytes(StandardCharsets.UTF_8);
        URI uri = serve(pack);
        String pin = ProfilePacks.sha256(pack);

        SelectorProfile p = SelectorProfile.fromUrl(uri, pin.toUpperCase());
        assertThat(p.describe()).isEqualTo("remote 7");
        assertThat(p.candidates("sendButton")).containsExactly("#remote-send");
        assertThat(p.source()).isEqualTo(uri.toString());

        String wrong = "0".repeat(64);
        assertThatThrownBy(() -> SelectorProfile.fromUrl(uri, wrong)).isInstanceOf(ValidationException.class)
                .hasMessageContaining(pin).hasMessageContaining("not the pinned " + wrong).hasMessageContaining("refusing");
        assertThatThrownBy(() -> SelectorProfile.fromUrl(uri, "abc")).isInstanceOf(ValidationException.class)
                .hasMessageContaining("64 hex digits");
        assertThatThrownBy(() -> SelectorProfile.fromUrl(uri.resolve("/missing"), pin))
                .isInstanceOf(UncheckedIOException.class).hasMessageContaining("404");
    }

    @Test
    void onlyHttpsOrLoopbackHttpIsAccepted() {
        String pin = "a".repeat(64);
        assertThatThrownBy(() -> SelectorProfile.fromUrl(URI.create("http://packs.example.com/p.json"), pin))
                .isInstanceOf(ValidationException.class).hasMessageContaining("only accepted for a loopback address");
        assertThatThrownBy(() -> SelectorProfile.fromUrl(URI.create("ftp://127.0.0.1/p.json"), pin))
                .isInstanceOf(ValidationException.class).hasMessageContaining("https");
        assertThatThrownBy(() -> SelectorProfile.fromUrl(URI.create("https://user:pw@packs.example.com/p.json"), pin))
                .isInstanceOf(ValidationException.class).hasMessageContaining("no user name");
        assertThatThrownBy(() -> SelectorProfile.fromUrl(URI.create("file:///etc/passwd"), pin))
                .isInstanceOf(ValidationException.class);
    }

    @Test
    void anOversizedDownloadIsRefused() throws Exception {
        byte[] big = new byte[ProfilePacks.MAX_BYTES + 10];
        java.util.Arrays.fill(big, (byte) ' ');
        URI uri = serve(big);
        assertThatThrownBy(() -> SelectorProfile.fromUrl(uri, ProfilePacks.sha256(big)))
                .isInstanceOf(ValidationException.class).hasMessageContaining("larger than");
    }

    @Test
    void theTransportConfigurationTakesPacksAndPrependedCandidates() {
        SelectorProfile pack = SelectorProfile.defaults().withCandidates("composeBox", List.of("#compose"));
        PlaywrightTransportConfig c = PlaywrightTransportConfig.builder("a").selectors(pack)
                .selectorOverrides(Map.of("searchBox", "#search"))
                .selectorPrepend("sendButton", "#first-send")
                .build();
        assertThat(c.selectors().candidates("composeBox")).containsExactly("#compose");
        assertThat(c.selectors().candidates("searchBox")).containsExactly("#search");
        assertThat(c.selectors().candidates("sendButton")).first().isEqualTo("#first-send");
        assertThat(c.selectors().candidates("sendButton")).containsAll(SelectorProfile.defaults().candidates("sendButton"));
    }

    private URI serve(byte[] body) throws Exception {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/pack.json", exchange -> {
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.createContext("/missing", exchange -> {
            exchange.sendResponseHeaders(404, -1);
            exchange.close();
        });
        server.start();
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/pack.json");
    }
}
