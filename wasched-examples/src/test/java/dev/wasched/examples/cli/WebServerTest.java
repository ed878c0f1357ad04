package dev.wasched.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.wasched.Wasched;
import dev.wasched.access.Role;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The web settings of {@code run}: {@code web.port}, {@code web.bind} and {@code web.allowPlainHttp}. */
class WebServerTest {
    @TempDir
    Path dir;
    private OpenStore store;
    private Wasched wasched;

    @BeforeEach
    void open() throws Exception {
        CliConfig c = config();
        store = OpenStore.open(c);
        wasched = ConfigOption.offline(c, store);
    }

    @AfterEach
    void close() {
        wasched.close();
        store.close();
    }

    private CliConfig config(String... lines) throws Exception {
        Path file = dir.resolve("wasched-" + System.nanoTime() + ".properties");
        List<String> all = new java.util.ArrayList<>(List.of("store.url = h2:" + dir.resolve("data/wasched")));
        all.addAll(List.of(lines));
        Files.write(file, all);
        return CliConfig.load(file, Map.of());
    }

    @Test
    void offServesNothingAndABadPortOrAddressIsNamed() throws Exception {
        assertThat(WebServer.start(config("web.port = off"), wasched, store)).isNull();
        assertThatThrownBy(() -> WebServer.start(config("web.port = eighty"), wasched, store))
                .isInstanceOf(ConfigException.class).hasMessageContaining("web.port").hasMessageContaining("eighty");
        assertThatThrownBy(() -> WebServer.start(config("web.port = 0", "web.bind = no-such-host.invalid"), wasched,
                store)).isInstanceOf(ConfigException.class).hasMessageContaining("web.bind");
    }

    @Test
    void anAddressBeyondLoopbackIsRefusedOverPlainHttpUnlessATlsProxyIsDeclared() throws Exception {
        assertThatThrownBy(() -> WebServer.start(config("web.port = 0", "web.bind = 0.0.0.0"), wasched, store))
                .isInstanceOf(ConfigException.class).hasMessageContaining("not a loopback address")
                .hasMessageContaining("web.allowPlainHttp");

        try (WebServer server = WebServer.start(config("web.port = 0", "web.bind = 0.0.0.0",
                "web.allowPlainHttp = true"), wasched, store)) {
            server.users().addUser("admin", Role.ADMIN, "a long enough password".toCharArray(), "test");
            String api = "http://127.0.0.1:" + URI.create(server.url()).getPort() + "/api/v1";
            // Behind the proxy that ended TLS, the session cookie is marked Secure.
            HttpResponse<String> signedIn = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(api
                            + "/session")).header("Content-Type", "application/json")
                    .header("X-Forwarded-Proto", "https")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"user\":\"admin\",\"password\":\"a long enough password\"}"))
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertThat(signedIn.statusCode()).isEqualTo(200);
            assertThat(signedIn.headers().firstValue("Set-Cookie")).get().asString().contains("; Secure");
        }
    }

    @Test
    void onLoopbackTheProxyHeadersAreNotBelieved() throws Exception {
        try (WebServer server = WebServer.start(config("web.port = 0"), wasched, store)) {
            assertThat(server.url()).startsWith("http://127.0.0.1:").endsWith("/api/v1");
            server.users().addUser("admin", Role.ADMIN, "a long enough password".toCharArray(), "test");
            HttpResponse<String> signedIn = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(
                            server.url() + "/session")).header("Content-Type", "application/json")
                    .header("X-Forwarded-Proto", "https")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"user\":\"admin\",\"password\":\"a long enough password\"}"))
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertThat(signedIn.statusCode()).isEqualTo(200);
            assertThat(signedIn.headers().firstValue("Set-Cookie")).get().asString().doesNotContain("Secure");
        }
    }
}
