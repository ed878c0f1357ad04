package dev.wasched.whatsapp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import dev.wasched.Secret;
import dev.wasched.ValidationException;
import dev.wasched.Wasched;
import dev.wasched.contact.PhoneNumber;
import dev.wasched.event.WaschedEvent;
import dev.wasched.memory.InMemoryStore;
import dev.wasched.session.AccountState;
import dev.wasched.testkit.whatsapp.LinkRejectedException;
import dev.wasched.testkit.whatsapp.WhatsAppWebSimulator;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The examples of docs/whatsapp-web.md: the configuration, an engine linked by its printed QR code, selector packs. */
class DocSnippetsWhatsAppWebTest extends BrowserTestBase {
    private static final String SHOP_NUMBER = "+4915112345678";

    @Test
    void theConfigurationRefusesALinkByAnotherNumberAndOtherwiseUsesTheRealPage() {
        // docs:docs/whatsapp-web.md#whatsapp-web-transport-wasched-whatsapp-playwright:begin
        PlaywrightTransportConfig shop = PlaywrightTransportConfig.builder("shop")
                .expectedNumber(PhoneNumber.of("+4915112345678"))     // optional: refuse a link by another account
                .build();
        // docs:docs/whatsapp-web.md#whatsapp-web-transport-wasched-whatsapp-playwright:end

        assertThat(shop.account()).isEqualTo("shop");
        assertThat(shop.expectedNumber()).isEqualTo(PhoneNumber.of(SHOP_NUMBER));
        assertThat(shop.webUrl()).isEqualTo(PlaywrightTransportConfig.WHATSAPP_WEB);
    }

    @Test
    @Tag("browser")
    void theEnginePrintsTheQrCodeAndIsLinkedOnceItIsScanned() {
        WhatsAppWebSimulator sim = simulator();
        // As shown, but on the simulator's page with the tests' quick timeouts.
        PlaywrightTransportConfig shop = TestSupport.config("shop", sim.url(), workDir)
                .expectedNumber(PhoneNumber.of(SHOP_NUMBER)).build();
        InMemoryStore store = new InMemoryStore();
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        PrintStream console = System.out;
        System.setOut(new PrintStream(printed, true, StandardCharsets.UTF_8));
        Wasched[] running = new Wasched[1];
        try {
            // docs:docs/whatsapp-web.md#whatsapp-web-transport-wasched-whatsapp-playwright:begin
            Wasched wasched = Wasched.builder()
                    .store(store)
                    .sessionKey(Secret.fromEnv("WASCHED_SESSION_KEY"))
                    .transport("shop", () -> new PlaywrightTransport(shop))   // a factory: a takeover can start it again
                    .listener(e -> {
                        if (e instanceof WaschedEvent.LoginQrCode qr) {       // re-sent on every QR rotation
                            System.out.println(QrRendering.toTerminal(qr.payload()));
                        }
                    })
                    .build();
            wasched.start();   // and wasched.close() when the application stops: it saves the session
            // docs:docs/whatsapp-web.md#whatsapp-web-transport-wasched-whatsapp-playwright:end
            running[0] = wasched;
            toClose.add(wasched);

            TestSupport.await("the page's QR code printed", () -> sim.currentQrPayload()
                    .map(p -> printed.toString(StandardCharsets.UTF_8).contains(QrRendering.toTerminal(p)))
                    .orElse(false));
        } finally {
            System.setOut(console);
        }
        TestSupport.await("the QR code scanned by the shop's phone", () -> {
            try {
                sim.scanQrAs(sim.currentQrPayload().orElseThrow(), SHOP_NUMBER);
                return true;
            } catch (LinkRejectedException | java.util.NoSuchElementException rotated) {
                return false;
            }
        });
        TestSupport.await("linked", () -> running[0].sessions().status("shop").state() == AccountState.READY);
    }

    @Test
    void packsComeShippedFromAFileOrPinnedFromAUrlAndTheConfigurationAdjustsThem() throws Exception {
        byte[] json = """
                {"format": 2, "name": "cohort-b", "version": "2027.01.3",
                 "selectors": {"searchBox": ["#search-b"]}}""".getBytes(StandardCharsets.UTF_8);
        Path packFile = Files.write(workDir.resolve("selectors.json"), json);
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/selectors.json", exchange -> {
            exchange.sendResponseHeaders(200, json.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(json);
            }
        });
        server.start();
        toClose.add(() -> server.stop(0));
        URI packUrl = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/selectors.json");
        String packSha256 = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(json));

        // docs:docs/whatsapp-web.md#selector-packs:begin
        SelectorProfile pack = SelectorProfile.defaults();                      // shipped
        SelectorProfile fromFile = SelectorProfile.fromFile(packFile);          // a Path, e.g. selectors.json
        SelectorProfile pinned = SelectorProfile.fromUrl(packUrl, packSha256);  // refused unless the SHA-256 matches
        PlaywrightTransportConfig config = PlaywrightTransportConfig.builder("shop")
                .selectors(pinned)
                .selectorPrepend("sendButton", "button[aria-label=\"Senden\"]")    // tried first, shipped ones after
                .selectorOverride("attachButton", "span[data-icon=\"plus-rounded\"]")  // replaces the list
                .build();
        // docs:docs/whatsapp-web.md#selector-packs:end

        assertThat(fromFile.candidates("searchBox")).containsExactly("#search-b");
        assertThat(pinned.describe()).isEqualTo("cohort-b 2027.01.3");
        assertThat(pinned.candidates("sendButton")).as("left out: the shipped ones")
                .isEqualTo(pack.candidates("sendButton"));
        assertThat(config.selectors().candidates("searchBox")).containsExactly("#search-b");
        assertThat(config.selectors().candidates("sendButton")).first().isEqualTo("button[aria-label=\"Senden\"]");
        assertThat(config.selectors().candidates("sendButton")).containsSubsequence(pack.candidates("sendButton"));
        assertThat(config.selectors().candidates("attachButton")).containsExactly("span[data-icon=\"plus-rounded\"]");
        assertThatThrownBy(() -> SelectorProfile.fromUrl(packUrl, "0".repeat(64)))
                .isInstanceOf(ValidationException.class);
    }
}
