package dev.wasched.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.zxing.BinaryBitmap;
import com.google.zxing.MultiFormatReader;
import com.google.zxing.client.j2se.BufferedImageLuminanceSource;
import com.google.zxing.common.HybridBinarizer;
import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.BrowserType;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import com.microsoft.playwright.options.AriaRole;
import com.sun.net.httpserver.HttpServer;
import dev.wasched.Secret;
import dev.wasched.Wasched;
import dev.wasched.access.Role;
import dev.wasched.contact.ContactSpec;
import dev.wasched.delivery.DeliveryQuery;
import dev.wasched.delivery.DeliveryStatus;
import dev.wasched.policy.PacingPolicy;
import dev.wasched.store.jdbc.JdbcStore;
import dev.wasched.testkit.whatsapp.LinkRejectedException;
import dev.wasched.testkit.whatsapp.WhatsAppWebSimulator;
import dev.wasched.web.WaschedWeb;
import dev.wasched.whatsapp.PlaywrightTransport;
import dev.wasched.whatsapp.PlaywrightTransportConfig;
import java.io.ByteArrayInputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The web console in Chromium, as its users work with it: on embedded Jetty, over an embedded H2 store, with the
 * WhatsApp Web transport in a second Chromium against the simulator. The login QR code is read off the console's
 * page and scanned by the simulated phone; a spreadsheet with a bad row is imported; a template and a cron schedule
 * are written; a campaign's counts reach READ while the page stays open; a dead letter is requeued; a viewer finds no
 * buttons and the API refuses them too; a forged cross-site form and a locked-out login are refused. Screenshots
 * (for the README) go to {@code target/console-screenshots}. Playwright is not thread-safe: every wait that touches a
 * page polls on the test's own thread.
 */
@Tag("browser")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ConsoleBrowserTest {
    private static final String ACCOUNT = "shop";
    private static final String ADMIN_PASSWORD = "correct horse battery staple";
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String ANN = "+4915123456701";
    private static final String BOB = "+4915123456702";
    /** A number WhatsApp does not know until the test registers it: its message goes to the dead letters. */
    private static final String DAN = "+4915123456704";

    private final Resources resources = new Resources();
    private Path dir;
    private WhatsAppWebSimulator sim;
    private Wasched wasched;
    private WaschedWeb web;
    private String console;
    private Playwright playwright;
    private Browser browser;
    private Path shots;

    @BeforeAll
    void start() throws Exception {
        dir = Files.createTempDirectory("wasched-console");
        shots = Files.createDirectories(Path.of("target", "console-screenshots"));
        sim = resources.add(WhatsAppWebSimulator.builder().loadingScreen(Duration.ofMillis(100))
                .pollInterval(Duration.ofMillis(100)).ackDelays(Duration.ofMillis(300), Duration.ofMillis(800))
                .build().start());
        sim.registerNumber(ANN, "Ann");
        sim.registerNumber(BOB, "Bob");
        JdbcStore store = resources.add(JdbcStore.embedded(dir.resolve("db/wasched")));
        byte[] key = new byte[32];
        new java.security.SecureRandom().nextBytes(key);
        wasched = resources.add(Wasched.builder().store(store).instanceId("console-test").defaultRegion("DE")
                .transport(ACCOUNT, () -> new PlaywrightTransport(transportConfig()))
                .sessionKey(Secret.of(Base64.getEncoder().encodeToString(key)))
                .pacing(PacingPolicy.unlimited()).fallbackPoll(Duration.ofSeconds(1)).build());
        web = resources.add(WaschedWeb.builder().wasched(wasched).store(store).build());
        web.users().addUser("admin", Role.ADMIN, ADMIN_PASSWORD.toCharArray(), "test");
        Server jetty = new Server();
        ServerConnector connector = new ServerConnector(jetty);
        connector.setHost("127.0.0.1");
        jetty.addConnector(connector);
        ServletContextHandler context = new ServletContextHandler();
        ServletHolder holder = new ServletHolder(web.servlet());
        holder.setAsyncSupported(true);
        context.addServlet(holder, "/wasched/*");
        jetty.setHandler(context);
        jetty.start();
        resources.add(jetty::stop);
        console = "http://127.0.0.1:" + connector.getLocalPort() + "/wasched/";
        wasched.start();

        Path chromium = Path.of(System.getenv().getOrDefault("WASCHED_CHROMIUM", "/usr/bin/chromium"));
        List<String> args = new ArrayList<>(List.of("--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--no-first-run", "--disable-gpu"));
        if ("root".equals(System.getProperty("user.name"))) {
            args.add("--no-sandbox");
        }
        playwright = resources.add(Playwright.create(new Playwright.CreateOptions()
                .setEnv(Map.of("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1"))));
        browser = playwright.chromium().launch(new BrowserType.LaunchOptions().setExecutablePath(chromium)
                .setHeadless(true).setArgs(args));
    }

    @AfterAll
    void stop() throws Exception {
        resources.close();
    }

    private PlaywrightTransportConfig transportConfig() {
        return SimulatorTransport.config(ACCOUNT, sim, dir.resolve("browser")).build();
    }

    /** A phone-sized page, signed in as {@code user}. */
    private Page signIn(String user, String password) {
        BrowserContext ctx = browser.newContext(new Browser.NewContextOptions().setViewportSize(390, 844));
        resources.add(ctx::close);
        Page page = ctx.newPage();
        page.setDefaultTimeout(WAIT.toMillis());
        page.navigate(console);
        page.getByLabel("User").fill(user);
        page.getByLabel("Password").fill(password);
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Sign in")).click();
        page.locator("#me").getByText(user).waitFor();
        return page;
    }

    private void shot(Page page, String name) {
        page.screenshot(new Page.ScreenshotOptions().setPath(shots.resolve(name + ".png")).setFullPage(true));
    }

    @Test
    @Order(1)
    void anAdministratorLinksImportsWritesAndWatchesTheCampaignLive() throws Exception {
        Page page = signIn("admin", ADMIN_PASSWORD);

        // Link: the code on the console's page is the one the phone scans.
        page.locator("img.qr").waitFor();
        shot(page, "console-link");
        await().pollInSameThread().atMost(WAIT).pollInterval(Duration.ofMillis(200)).until(() -> {
            byte[] png = page.locator("img.qr").screenshot();
            String payload = new MultiFormatReader().decode(new BinaryBitmap(new HybridBinarizer(
                    new BufferedImageLuminanceSource(ImageIO.read(new ByteArrayInputStream(png)))))).getText();
            try {
                sim.scanQr(payload);
                return true;
            } catch (LinkRejectedException e) {
                return false; // rotated meanwhile: the page shows the next code
            }
        });
        page.locator("section.account .state").getByText("READY").waitFor();

        // Import: three rows, one mistyped, with progress and the rejected rows.
        page.locator("nav").getByText("Contacts").click();
        Path csv = Files.writeString(dir.resolve("team.csv"), "name,phone,tags\nAnn,0151 2345 6701,team\n"
                + "Bob,0151 2345 6702,team\nTypo Tim,0151 23,team\n", StandardCharsets.UTF_8);
        page.setInputFiles("#import input[type=file]", csv);
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Import")).click();
        page.locator(".import-state").getByText("COMPLETED").waitFor();
        assertThat(page.locator(".import-state").textContent()).contains("2 imported").contains("1 rejected");
        assertThat(page.getByText("Rejected rows (CSV)").getAttribute("href")).endsWith("/rejected.csv");
        shot(page, "console-import");

        // A template, previewed for Ann.
        String ann = wasched.contacts().findByPhone(ANN).orElseThrow().id();
        page.locator("nav").getByText("Templates").click();
        page.getByLabel("Name", new Page.GetByLabelOptions().setExact(true)).fill("hello");
        page.getByLabel("Text, with").fill("Hi {{name}}, see you soon");
        page.getByLabel("Preview for contact id").fill(ann);
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Preview")).click();
        await().pollInSameThread().atMost(WAIT).until(() -> !page.locator("#rendered").textContent().isEmpty());
        assertThat(page.locator("#rendered").textContent()).isEqualTo("Hi Ann, see you soon");
        assertThat(wasched.templates().list()).as("a preview saves nothing").isEmpty();
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Save")).click();
        page.locator("table td").getByText("Hi {{name}}, see you soon").waitFor();

        // A cron schedule: the helper says it in words and shows the next fire times.
        page.locator("nav").getByText("Schedules").click();
        page.getByLabel("Tag, group name").fill("team");
        page.getByLabel("Template", new Page.GetByLabelOptions().setExact(true)).fill("hello");
        page.getByLabel("Cron (minute hour").fill("30 9 * * MON-FRI");
        page.locator("#cron-text").getByText("Runs at 09:30, on Monday to Friday.").waitFor();
        await().pollInSameThread().atMost(WAIT).until(() -> page.locator("#next li").count() == 5);
        shot(page, "console-schedule");
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Create")).click();
        page.waitForURL("**#campaign/*");

        // A campaign now, to the same tag and to a number WhatsApp does not know: the page is not reloaded.
        wasched.contacts().create(ContactSpec.builder().name("Dan").phone(DAN).tags(java.util.Set.of("team")).build());
        page.locator("nav").getByText("Schedules").click();
        page.getByLabel("Tag, group name").fill("team");
        page.getByLabel("Text (or leave empty").fill("Doors open at 8");
        page.locator("#schedule select[name=kind]").selectOption("once");
        page.getByLabel("Cron (minute hour").fill(java.time.LocalDateTime.now().toString());
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Create")).click();
        page.waitForURL("**#campaign/*");
        page.locator("#counts .read b").getByText("2").waitFor(new com.microsoft.playwright.Locator.WaitForOptions()
                .setTimeout(60_000));
        assertThat(page.locator("#counts .failed b").textContent()).isEqualTo("1");
        shot(page, "console-campaign");

        // The dead letter: Dan gets WhatsApp, the letter is requeued, and leaves the list by itself.
        page.locator("nav").getByText("Dead letters").click();
        page.getByText(DAN).waitFor();
        sim.registerNumber(DAN, "Dan");
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Requeue")).click();
        sim.awaitReceived(DAN, 1, WAIT);
        page.getByText("None.").waitFor();
        assertThat(sim.received(ANN)).hasSize(1);
        assertThat(wasched.deliveries().history(DeliveryQuery.all(), dev.wasched.PageRequest.first(10)).items())
                .filteredOn(d -> d.status() == DeliveryStatus.DEAD).isEmpty();
    }

    @Test
    @Order(5)
    void anAdministratorFiltersDeletesAndLogsTheAccountOut() {
        Page page = signIn("admin", ADMIN_PASSWORD);
        page.onDialog(dialog -> dialog.accept()); // the confirmations of destructive actions
        page.locator("nav").getByText("Deliveries").click();
        page.locator("#filter select[name=status]").selectOption("READ");
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Show")).click();
        page.waitForURL("**#deliveries?status=READ");
        page.locator("td.status").first().waitFor();
        assertThat(page.locator("td.status").allTextContents()).isNotEmpty().allMatch("READ"::equals);

        page.locator("nav").getByText("Templates").click();
        page.locator("button[data-act=delete-template][data-name=hello]").click();
        page.locator("button[data-act=delete-template][data-name=hello]").waitFor(
                new com.microsoft.playwright.Locator.WaitForOptions().setState(
                        com.microsoft.playwright.options.WaitForSelectorState.DETACHED));
        assertThat(wasched.templates().list()).isEmpty();

        page.locator("nav").getByText("Accounts").click();
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Log out")).click();
        await().atMost(WAIT).until(() -> wasched.sessions().status(ACCOUNT).state()
                != dev.wasched.session.AccountState.READY);
        page.locator("section.account .state").getByText("READY").waitFor(
                new com.microsoft.playwright.Locator.WaitForOptions().setState(
                        com.microsoft.playwright.options.WaitForSelectorState.DETACHED));
    }

    @Test
    @Order(2)
    void aViewerFindsNoButtonsAndTheApiRefusesThemToo() {
        web.users().addUser("vera", Role.VIEWER, "password of vera".toCharArray(), "test");
        Page page = signIn("vera", "password of vera");
        page.locator("nav").getByText("Contacts").click();
        page.locator("table").waitFor();
        assertThat(page.locator("#add-contact").count()).isZero();
        assertThat(page.locator("#import").count()).isZero();
        assertThat(page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Opt out")).count()).isZero();
        assertThat(page.locator("nav a[href='#users']").isVisible()).isFalse();
        page.locator("nav").getByText("Dead letters").click();
        page.locator("table").waitFor();
        assertThat(page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Requeue")).count()).isZero();
        shot(page, "console-viewer");
        Object status = page.evaluate("async () => { const me = await (await fetch('api/v1/session')).json();"
                + " const r = await fetch('api/v1/contacts', {method: 'POST', headers: {'Content-Type':"
                + " 'application/json', 'X-CSRF-Token': me.csrfToken}, body: JSON.stringify({phone: '+4915199999999'})});"
                + " return r.status; }");
        assertThat(status).isEqualTo(403);
        assertThat(wasched.contacts().findByPhone("+4915199999999")).isEmpty();
    }

    @Test
    @Order(3)
    void aForgedCrossSiteFormIsRefused() throws Exception {
        Page page = signIn("admin", ADMIN_PASSWORD);
        // Another site (another origin: localhost, not 127.0.0.1) whose page posts a form to the console's API.
        String form = "<form id=f method=post enctype=text/plain action='" + console + "api/v1/users'>"
                + "<input name='{\"name\":\"mallory\",\"role\":\"ADMIN\",\"password\":\"password of mallory\",\"x\":\"'"
                + " value='\"}'></form><script>document.getElementById('f').submit()</script>";
        HttpServer evil = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        evil.createContext("/", ex -> {
            byte[] b = form.getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().set("Content-Type", "text/html");
            ex.sendResponseHeaders(200, b.length);
            ex.getResponseBody().write(b);
            ex.close();
        });
        evil.start();
        resources.add(() -> evil.stop(0));
        com.microsoft.playwright.Response answer = page.waitForResponse(r -> r.url().endsWith("/api/v1/users"),
                () -> page.navigate("http://localhost:" + evil.getAddress().getPort() + "/"));
        assertThat(answer.status()).as("refused").isIn(401, 403, 415);
        assertThat(web.users().user("mallory")).as("nobody was added").isEmpty();
    }

    @Test
    @Order(4)
    void aLockedOutLoginIsToldSo() {
        web.users().addUser("otto", Role.OPERATOR, "password of otto".toCharArray(), "test");
        BrowserContext ctx = browser.newContext();
        resources.add(ctx::close);
        Page page = ctx.newPage();
        page.setDefaultTimeout(WAIT.toMillis());
        page.navigate(console);
        for (int i = 0; i < 5; i++) {
            page.getByLabel("User").fill("otto");
            page.getByLabel("Password").fill("wrong " + i);
            page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Sign in")).click();
            page.locator("#login-error").getByText(i < 4 ? "unknown user or wrong password" : "Locked").waitFor();
        }
        page.getByLabel("Password").fill("password of otto");
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Sign in")).click();
        page.locator("#login-error").getByText("Locked").waitFor();
        assertThat(page.locator("#nav").isVisible()).isFalse();
    }
}
