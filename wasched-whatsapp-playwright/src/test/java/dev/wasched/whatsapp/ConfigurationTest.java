package dev.wasched.whatsapp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.wasched.ValidationException;
import dev.wasched.policy.ReconnectPolicy;
import dev.wasched.whatsapp.internal.BrowserProcesses;
import dev.wasched.whatsapp.internal.Reconnects;
import dev.wasched.whatsapp.internal.SessionCodec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Configuration, selector profile, session format and browser discovery: no browser needed. */
class ConfigurationTest {
    @TempDir
    Path dir;

    @Test
    void defaultsAreSensible() {
        PlaywrightTransportConfig c = PlaywrightTransportConfig.builder("shop").build();
        assertThat(c.webUrl()).isEqualTo("https://web.whatsapp.com");
        assertThat(c.headless()).isTrue();
        assertThat(c.sessionSaveInterval()).isEqualTo(Duration.ofMinutes(5));
        assertThat(c.selectors()).isEqualTo(SelectorProfile.defaults());
        assertThat(PlaywrightTransportConfig.builder("shop").webUrl("http://127.0.0.1:8080///").build().webUrl())
                .isEqualTo("http://127.0.0.1:8080");
    }

    @Test
    void aCopyChangesOnlyWhatIsSet() {
        PlaywrightTransportConfig c = PlaywrightTransportConfig.builder("shop").headless(false)
                .selectorOverride("searchBox", "#side input").expectedNumber("+4915112345678").build();
        assertThat(c.toBuilder().build()).isEqualTo(c);
        PlaywrightTransportConfig slower = c.toBuilder().pageTimeout(Duration.ofMinutes(2)).build();
        assertThat(slower.pageTimeout()).isEqualTo(Duration.ofMinutes(2));
        assertThat(slower.toBuilder().pageTimeout(c.pageTimeout()).build()).isEqualTo(c);
    }

    @Test
    void badValuesAreRejectedNamingTheField() {
        assertThatThrownBy(() -> PlaywrightTransportConfig.builder(" ").build())
                .isInstanceOf(ValidationException.class).hasMessageContaining("account");
        assertThatThrownBy(() -> PlaywrightTransportConfig.builder("a").webUrl("ftp://x").build())
                .isInstanceOf(ValidationException.class).hasMessageContaining("webUrl");
        assertThatThrownBy(() -> PlaywrightTransportConfig.builder("a").sendTimeout(Duration.ZERO).build())
                .isInstanceOf(ValidationException.class).hasMessageContaining("sendTimeout");
        assertThatThrownBy(() -> PlaywrightTransportConfig.builder("a").extraBrowserArg("--disable-web-security").build())
                .isInstanceOf(ValidationException.class).hasMessageContaining("never");
        assertThatThrownBy(() -> PlaywrightTransportConfig.builder("a").extraBrowserArg("--user-data-dir=/x").build())
                .isInstanceOf(ValidationException.class).hasMessageContaining("managed");
    }

    @Test
    void selectorOverridesReplaceSingleKeysAndTyposFailEarly() throws Exception {
        SelectorProfile d = SelectorProfile.defaults();
        assertThat(d.formatVersion()).isEqualTo(2);
        assertThat(d.keys()).contains("qrCode", "composeBox", "sendButton", "outgoingMessage", "invalidNumberText",
                "clickToChatPath", "iconRead");
        SelectorProfile o = d.withOverride("sendButton", "button > span[data-icon=\"paper-plane\"]");
        assertThat(o.get("sendButton")).isEqualTo("button > span[data-icon=\"paper-plane\"]");
        assertThat(o.get("composeBox")).isEqualTo(d.get("composeBox"));
        assertThat(o.overrides()).containsOnlyKeys("sendButton");
        assertThat(d.get("sendButton")).as("defaults unchanged").isEqualTo("button > span[data-icon=\"send\"]");

        assertThatThrownBy(() -> d.withOverride("sendButon", "x")).isInstanceOf(ValidationException.class)
                .hasMessageContaining("selectors.sendButon");
        assertThatThrownBy(() -> d.withOverride("chatTitle", "span[title]")).isInstanceOf(ValidationException.class)
                .hasMessageContaining("{name}");
        assertThatThrownBy(() -> d.withOverride("composeBox", " ")).isInstanceOf(ValidationException.class);

        Path file = dir.resolve("selectors.json");
        Files.writeString(file, "{\"selectors\": {\"attachButton\": \"span[data-icon=\\\"plus\\\"]\"}}");
        assertThat(d.withOverrides(file).get("attachButton")).isEqualTo("span[data-icon=\"plus\"]");
        assertThat(PlaywrightTransportConfig.builder("a").selectorOverrides(Map.of("searchBox", "#search")).build()
                .selectors().get("searchBox")).isEqualTo("#search");
    }

    @Test
    void sessionSnapshotsRoundTripAndForeignBytesAreRefused() throws Exception {
        String state = "{\"cookies\":[],\"origins\":[{\"origin\":\"https://web.whatsapp.com\",\"indexedDB\":[]}]}";
        byte[] bytes = SessionCodec.encode(state);
        assertThat(SessionCodec.decode(bytes)).isEqualTo(state);
        byte[] flipped = bytes.clone();
        flipped[flipped.length - 3] ^= 0x10;
        assertThatThrownBy(() -> SessionCodec.decode(flipped)).isInstanceOf(SessionCodec.UnusableSnapshotException.class)
                .hasMessageContaining("cannot be unpacked");
        assertThatThrownBy(() -> SessionCodec.decode("session-of-shop".getBytes()))
                .isInstanceOf(SessionCodec.UnusableSnapshotException.class).hasMessageContaining("not a WhatsApp Web");
        assertThatThrownBy(() -> SessionCodec.decode(new byte[0])).isInstanceOf(SessionCodec.UnusableSnapshotException.class);
    }

    @ParameterizedTest(name = "{1}")
    @CsvSource(delimiter = '|', value = {
            "{\"cookies\": [], \"origins\": [                      | is not valid JSON",
            "{\"cookies\": [], \"origins\": []} []                    | more text after",
            "[\"origins\"]                                              | is not a JSON object",
            "{\"cookies\": {}, \"origins\": []}                        | field cookies is not an array",
            "{\"cookies\": [], \"origins\": \"web.whatsapp.com\"}       | field origins is not an array",
            "{\"cookies\": []}                                         | has no origins",
            "{\"cookies\": [\"wa\"], \"origins\": []}                    | field cookies[0] is not an object",
            "{\"cookies\": [{\"name\": \"wa\", \"value\": 1}], \"origins\": []} | field cookies[0].value is not a string",
            "{\"cookies\": [], \"origins\": [{\"localStorage\": []}]}     | field origins[0] has no origin",
            "{\"cookies\": [], \"origins\": [{\"origin\": \"o\", \"localStorage\": {}}]} | origins[0].localStorage is not an array",
    })
    void aSnapshotWhoseStorageStateIsMalformedOrWronglyShapedIsRefusedWithTheReason(String state, String reason) {
        assertThatThrownBy(() -> SessionCodec.decode(SessionCodec.encode(state)))
                .isInstanceOf(SessionCodec.UnusableSnapshotException.class).hasMessageContaining(reason);
    }

    @Test
    void fieldsTheStorageStateCheckDoesNotKnowPassUnchecked() throws Exception {
        String state = "{\"cookies\": [{\"name\": \"wa\", \"value\": \"1\", \"sameSite\": \"Lax\", \"expires\": -1}],"
                + " \"origins\": [{\"origin\": \"https://web.whatsapp.com\", \"localStorage\": [{\"name\": \"k\","
                + " \"value\": \"v\"}], \"indexedDB\": [{\"name\": \"wawc\", \"stores\": [[[]]]}]}], \"extra\": {\"a\": [1]}}";
        assertThat(SessionCodec.decode(SessionCodec.encode(state))).isEqualTo(state);
    }

    @Test
    void theBrowserIsTheConfiguredOneThenTheEnvironmentsThenOneOnThePath() throws Exception {
        Path configured = dir.resolve("my-chrome");
        assertThat(BrowserProcesses.resolveExecutable(configured, Map.of("WASCHED_CHROMIUM", "/opt/x"))).contains(configured);
        assertThat(BrowserProcesses.resolveExecutable(null, Map.of("WASCHED_CHROMIUM", "/opt/x"))).contains(Path.of("/opt/x"));
        Path bin = Files.createDirectories(dir.resolve("bin"));
        Path chromium = Files.createFile(bin.resolve("chromium-browser"));
        chromium.toFile().setExecutable(true);
        assertThat(BrowserProcesses.resolveExecutable(null, Map.of("PATH", "/nonexistent:" + bin))).contains(chromium);
        assertThat(BrowserProcesses.resolveExecutable(null, Map.of("PATH", dir.resolve("empty").toString()))).isEmpty();
    }

    @Test
    void qrRenderingHasTwoModulesPerTextRow() {
        String payload = "2@abc,def,ghi,jkl";
        String dark = QrRendering.toTerminal(payload);
        String light = QrRendering.toTerminal(payload, false);
        String[] rows = dark.split("\n");
        assertThat(rows.length).isGreaterThan(10);
        assertThat(rows).allSatisfy(r -> assertThat(r).hasSize(rows[0].length()).matches("[ █▀▄]+"));
        // The same modules, drawn inverted.
        assertThat(light.chars().filter(ch -> ch == '█').count()).isNotEqualTo(dark.chars().filter(ch -> ch == '█').count());
        assertThat(QrRendering.toPng(payload)).startsWith(0x89, 'P', 'N', 'G');
        assertThatThrownBy(() -> QrRendering.toTerminal("")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void reconnectDelaysGrowToTheMaximumAndTheCircuitOpensAfterTheThreshold() {
        Reconnects r = new Reconnects(new ReconnectPolicy(Duration.ofMillis(100), Duration.ofMillis(350), 0.0, 4,
                Duration.ofMinutes(1)));
        assertThat(r.mayAttempt()).isTrue();
        assertThat(r.failed()).isEqualTo(Duration.ofMillis(100));
        assertThat(r.failed()).isEqualTo(Duration.ofMillis(200));
        assertThat(r.failed()).isEqualTo(Duration.ofMillis(350));
        assertThat(r.isOpen()).isFalse();
        assertThat(r.failed()).as("open: wait it out").isGreaterThan(Duration.ofSeconds(50));
        assertThat(r.isOpen()).isTrue();
        assertThat(r.mayAttempt()).isFalse();
    }
}
