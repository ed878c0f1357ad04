package dev.wasched.whatsapp.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Error texts without queries, a browser environment without secrets, masked numbers, the linked account's id. */
class RedactionAndEnvironmentTest {

    @Test
    void queriesAreCutOutOfErrorTexts() {
        String driver = "Error {\n  message='net::ERR_CONNECTION_REFUSED at http://127.0.0.1:4711/send?phone=491701234567"
                + "&text=Take%20your%20pills\n  name='Error'";
        String line = BrowserSession.firstLine(new RuntimeException(driver));
        assertThat(line).isEqualTo("net::ERR_CONNECTION_REFUSED at http://127.0.0.1:4711/send?(query removed)");
        assertThat(BrowserSession.withoutQueries("navigating to \"https://web.whatsapp.com/send?phone=49170\", waiting"))
                .isEqualTo("navigating to \"https://web.whatsapp.com/send?(query removed)\", waiting");
        assertThat(BrowserSession.withoutQueries("is this a question? no")).isEqualTo("is this a question? no");
    }

    @Test
    void theBrowserGetsTheEnvironmentWithoutSecrets() {
        Map<String, String> env = new LinkedHashMap<>();
        for (String keep : new String[]{"PATH", "HOME", "LANG", "LC_ALL", "DISPLAY", "WAYLAND_DISPLAY", "XAUTHORITY",
                "XDG_RUNTIME_DIR", "XDG_CONFIG_HOME", "TZ", "DBUS_SESSION_BUS_ADDRESS", "TMPDIR", "USER"}) {
            env.put(keep, "v");
        }
        for (String drop : new String[]{"WASCHED_SESSION_KEY", "WASCHED_CHROMIUM", "wasched_db_url", "TELEGRAM_TOKEN",
                "GITHUB_TOKEN", "AWS_SECRET_ACCESS_KEY", "AWS_ACCESS_KEY_ID", "api_key", "DB_PASSWORD", "PGPASS",
                "PGPASSFILE", "MY_CREDENTIALS", "SSH_AUTH_SOCK", "GPG_PRIVATE", "client_secret"}) {
            env.put(drop, "secret");
        }
        Map<String, String> browser = BrowserEnvironment.forBrowser(env);
        assertThat(browser).containsOnlyKeys("PATH", "HOME", "LANG", "LC_ALL", "DISPLAY", "WAYLAND_DISPLAY",
                "XAUTHORITY", "XDG_RUNTIME_DIR", "XDG_CONFIG_HOME", "TZ", "DBUS_SESSION_BUS_ADDRESS", "TMPDIR", "USER");
    }

    @Test
    void numbersAreMaskedButForTheirLastFourDigits() {
        assertThat(BrowserSession.masked("4915112345678")).isEqualTo("+*********5678");
        assertThat(BrowserSession.masked("123")).isEqualTo("+123");
    }

    @Test
    void theLinkedAccountIsReadFromWhatsAppWebsOwnId() {
        assertThat(WhatsAppWebPage.digitsOfWid("\"4915112345678:12@c.us\"")).isEqualTo("4915112345678");
        assertThat(WhatsAppWebPage.digitsOfWid("4915112345678@c.us")).isEqualTo("4915112345678");
        assertThat(WhatsAppWebPage.digitsOfWid("\"4915112345678:3@s.whatsapp.net\"")).isEqualTo("4915112345678");
        assertThat(WhatsAppWebPage.digitsOfWid("\"\"")).isNull();
        assertThat(WhatsAppWebPage.digitsOfWid("garbage")).isNull();
    }
}
