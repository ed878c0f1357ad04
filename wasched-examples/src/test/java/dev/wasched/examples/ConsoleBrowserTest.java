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
import com.microsoft.playwright.Download;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import com.microsoft.playwright.options.AriaRole;
import com.microsoft.playwright.options.WaitForSelectorState;
import com.sun.net.httpserver.HttpServer;
import dev.wasched.PageRequest;
import dev.wasched.Secret;
import dev.wasched.Wasched;
import dev.wasched.access.Role;
import dev.wasched.contact.Contact;
import dev.wasched.contact.ContactSpec;
import dev.wasched.delivery.DeliveryQuery;
import dev.wasched.delivery.DeliveryStatus;
import dev.wasched.policy.PacingPolicy;
import dev.wasched.schedule.Schedule;
import dev.wasched.schedule.Trigger;
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
 * WhatsApp Web transport in a second Chromium against the simulator. The login QR code on the page follows the
 * simulator's rotations and is read off the page and scanned by the simulated phone; a spreadsheet with a bad row is
 * imported; a template, a cron and an interval schedule are written; a campaign's counts reach READ while the page
 * stays open; a dead letter is requeued; an operator edits a contact and a schedule (a change made meanwhile is
 * refused with a clear message) and sends a picture with a caption; long lists are paged and exported as CSV; a viewer
 * finds no buttons and the API refuses them too; a forged cross-site form, and a same-site request without the CSRF
 * token, are refused; a locked-out login is told so; the audit log lists what the test changed; the page carries its
 * Content-Security-Policy and asks nothing of another origin. Screenshots go to {@code target/console-screenshots},
 * or with {@code -Dwasched.screenshots=docs} straight into {@code docs/console} (how the documentation's pictures are
 * refreshed). Playwright is not thread-safe: every wait that touches a page polls on the test's own thread.
 */
@Tag("browser")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ConsoleBrowserTest {
    private static final String ACCOUNT = "shop";
    private static final String ADMIN_PASSWORD = "correct horse battery staple";
    private static final Duration WAIT = Duration.ofSeconds(30);
    /** The tallest screenshot, in CSS pixels (a phone screen is 844). */
    private static final int SHOT_HEIGHT = 1500;
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
    private String origin;
    /** Every request the console's pages made, and those among them that went to another origin. */
    private final List<String> requests = java.util.Collections.synchronizedList(new ArrayList<>());
    private final List<String> foreign = java.util.Collections.synchronizedList(new ArrayList<>());

    @BeforeAll
    void start() throws Exception {
        dir = Files.createTempDirectory("wasched-console");
        // The documentation's pictures are refreshed by running this test with -Dwasched.screenshots=docs.
        shots = Files.createDirectories("docs".equals(System.getProperty("wasched.screenshots"))
                ? Path.of("..", "docs", "console") : Path.of("target", "console-screenshots"));
        // A code lives 4 s (WhatsApp: 20 s) so the page is seen to follow a rotation; many before it expires.
        sim = resources.add(WhatsAppWebSimulator.builder().loadingScreen(Duration.ofMillis(100))
                .qrRotationInterval(Duration.ofSeconds(4)).qrRotationsBeforeExpiry(50)
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
        origin = "http://127.0.0.1:" + connector.getLocalPort();
        console = origin + "/wasched/";
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

    /** A phone-sized page of the console, not signed in; its requests are noted. */
    private Page consolePage() {
        BrowserContext ctx = browser.newContext(new Browser.NewContextOptions().setViewportSize(390, 844));
        resources.add(ctx::close);
        Page page = ctx.newPage();
        page.setDefaultTimeout(WAIT.toMillis());
        page.onRequest(r -> {
            requests.add(r.url());
            if (!r.url().startsWith(origin + "/")) {
                foreign.add(r.url());
            }
        });
        page.navigate(console);
        return page;
    }

    /** A phone-sized page, signed in as {@code user}. */
    private Page signIn(String user, String password) {
        Page page = consolePage();
        page.getByLabel("User").fill(user);
        page.getByLabel("Password").fill(password);
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Sign in")).click();
        page.locator("#me").getByText(user).waitFor();
        return page;
    }

    private void shot(Page page, String name) {
        // The last action's toast sits at the bottom of the window, which a full-page picture puts mid-page.
        page.evaluate("() => { document.getElementById('toast').hidden = true; }");
        // The whole page, cut off where a long list would make the picture too tall to read.
        int height = ((Number) page.evaluate("() => document.documentElement.scrollHeight")).intValue();
        page.screenshot(new Page.ScreenshotOptions().setPath(shots.resolve(name + ".png")).setFullPage(true)
                .setClip(0, 0, page.viewportSize().width, Math.min(height, SHOT_HEIGHT)));
    }

    /** The text of the QR code the page shows now, or null while it shows none that reads (a new one loading). */
    private static String qrOnPage(Page page) {
        try {
            byte[] png = page.locator("img.qr").screenshot();
            return new MultiFormatReader().decode(new BinaryBitmap(new HybridBinarizer(new BufferedImageLuminanceSource(
                    ImageIO.read(new ByteArrayInputStream(png)))))).getText();
        } catch (com.google.zxing.NotFoundException | java.io.IOException e) {
            return null;
        }
    }

    private static Page.GetByRoleOptions named(String name) {
        return new Page.GetByRoleOptions().setName(name).setExact(true);
    }

    /** The rows of the table shown, by their data-id. */
    private static List<String> rowIds(Page page) {
        return page.locator("tbody tr[data-id]").evaluateAll("rows => rows.map(r => r.dataset.id)") instanceof List<?> l
                ? l.stream().map(String::valueOf).toList() : List.of();
    }

    @Test
    @Order(1)
    void anAdministratorLinksImportsWritesAndWatchesTheCampaignLive() throws Exception {
        Page page = signIn("admin", ADMIN_PASSWORD);

        // Link: the page follows the phone's code as it rotates, without being reloaded.
        page.locator("img.qr").waitFor();
        page.evaluate("() => { window.notReloaded = true; }");
        String firstSrc = page.locator("img.qr").getAttribute("src");
        String[] firstCode = new String[1];
        await().pollInSameThread().atMost(WAIT).until(() -> (firstCode[0] = qrOnPage(page)) != null);
        await().pollInSameThread().atMost(WAIT).pollInterval(Duration.ofMillis(200)).until(() -> {
            String now = qrOnPage(page);
            return now != null && !now.equals(firstCode[0]);
        });
        assertThat(page.locator("img.qr").getAttribute("src")).isNotEqualTo(firstSrc);
        assertThat(page.evaluate("() => window.notReloaded")).isEqualTo(true);
        shot(page, "console-link");
        // The code on the console's page is the one the phone scans.
        await().pollInSameThread().atMost(WAIT).pollInterval(Duration.ofMillis(200)).until(() -> {
            String payload = qrOnPage(page);
            if (payload == null) {
                return false;
            }
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

        // An interval schedule, to a tag nobody has yet: every 12 hours from now.
        page.locator("nav").getByText("Schedules").click();
        page.getByLabel("Name (optional)").fill("Twice a day");
        page.getByLabel("Tag, group name").fill("night-shift");
        page.getByLabel("Text (or leave empty").fill("Shift change in one hour");
        page.locator("#next li").nth(4).waitFor();
        String cronTimes = page.locator("#next").textContent();
        page.locator("#schedule select[name=kind]").selectOption("every");
        page.getByLabel("Cron (minute hour").fill("PT12H");
        await().pollInSameThread().atMost(WAIT).until(() -> page.locator("#next li").count() == 5
                && page.locator("#next li.error").count() == 0 && !page.locator("#next").textContent().equals(cronTimes)
                && page.locator("#cron-text").textContent().isEmpty());
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Create")).click();
        page.waitForURL("**#campaign/*");
        page.locator("nav").getByText("Schedules").click();
        page.locator("tbody td").getByText("Twice a day").waitFor();
        assertThat(wasched.schedules().list(dev.wasched.PageRequest.first(10)).items())
                .filteredOn(x -> "Twice a day".equals(x.name())).singleElement()
                .extracting(x -> x.trigger()).isInstanceOfSatisfying(dev.wasched.schedule.Trigger.Every.class,
                        t -> assertThat(t.interval()).isEqualTo(Duration.ofHours(12)));

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
    @Order(2)
    void anOperatorEditsAContactAndAScheduleAndSendsAPicture() throws Exception {
        web.users().addUser("olga", Role.OPERATOR, "password of olga".toCharArray(), "test");
        Page page = signIn("olga", "password of olga");
        String ann = wasched.contacts().findByPhone(ANN).orElseThrow().id();

        // A contact: its name, tags and a field for templates.
        page.locator("nav").getByText("Contacts").click();
        page.locator("tr[data-id='" + ann + "']").getByRole(AriaRole.LINK, new Locator.GetByRoleOptions()
                .setName("Edit")).click();
        page.waitForURL("**#contact/*");
        assertThat(page.getByLabel("Phone").inputValue()).isEqualTo(ANN);
        page.getByLabel("Name", new Page.GetByLabelOptions().setExact(true)).fill("Ann Smith");
        page.getByLabel("Tags").fill("team, vip");
        page.getByLabel("Fields, one").fill("city=Berlin\nshoe=38");
        shot(page, "console-contact");
        page.getByRole(AriaRole.BUTTON, named("Save")).click();
        page.waitForURL("**#contacts");
        page.locator("tr[data-id='" + ann + "']").getByText("Ann Smith").waitFor();
        Contact edited = wasched.contacts().get(ann);
        assertThat(edited.displayName()).isEqualTo("Ann Smith");
        assertThat(edited.tags()).containsExactlyInAnyOrder("team", "vip");
        assertThat(edited.fields()).isEqualTo(Map.of("city", "Berlin", "shoe", "38"));

        // The cron schedule: the form shows it as stored, and saves with the version it was read at.
        Schedule cron = wasched.schedules().list(PageRequest.first(20)).items().stream()
                .filter(x -> x.trigger() instanceof Trigger.Cron).findFirst().orElseThrow();
        page.locator("nav").getByText("Schedules").click();
        page.locator("tr[data-id='" + cron.id() + "']").getByRole(AriaRole.LINK, new Locator.GetByRoleOptions()
                .setName("Edit")).click();
        page.waitForURL("**#schedule/*");
        assertThat(page.getByLabel("Cron (minute hour").inputValue()).isEqualTo("30 9 * * MON-FRI");
        assertThat(page.getByLabel("Template", new Page.GetByLabelOptions().setExact(true)).inputValue())
                .isEqualTo("hello");
        page.getByLabel("Name (optional)").fill("Weekday hello");
        page.getByLabel("Cron (minute hour").fill("0 10 * * MON-FRI");
        page.locator("#cron-text").getByText("Runs at 10:00, on Monday to Friday.").waitFor();
        // Meanwhile someone pauses it: saving the page's copy now would undo that, so it is refused and said so.
        wasched.schedules().pause(cron.id());
        page.getByRole(AriaRole.BUTTON, named("Save")).click();
        page.locator("#schedule-error").getByText("changed by someone else").waitFor();
        shot(page, "console-schedule-conflict");
        assertThat(wasched.schedules().get(cron.id()).trigger()).isEqualTo(cron.trigger());
        page.getByRole(AriaRole.BUTTON, named("Load the current version")).click();
        page.locator("#schedule-error").getByText("changed by someone else").waitFor(new Locator.WaitForOptions()
                .setState(WaitForSelectorState.DETACHED));
        assertThat(page.getByLabel("Cron (minute hour").inputValue()).isEqualTo("30 9 * * MON-FRI");
        page.getByLabel("Name (optional)").fill("Weekday hello");
        page.getByLabel("Cron (minute hour").fill("0 10 * * MON-FRI");
        page.getByRole(AriaRole.BUTTON, named("Save")).click();
        page.waitForURL("**#schedules");
        page.locator("tbody td").getByText("Weekday hello").waitFor();
        Schedule saved = wasched.schedules().get(cron.id());
        assertThat(saved.name()).isEqualTo("Weekday hello");
        assertThat(((Trigger.Cron) saved.trigger()).expression()).isEqualTo("0 10 * * MON-FRI");
        assertThat(saved.paused()).as("the pause made meanwhile stays").isTrue();

        // A picture with a caption, to Ann: the file is uploaded, then a schedule sends it.
        Path picture = dir.resolve("menu.png");
        java.awt.image.BufferedImage image = new java.awt.image.BufferedImage(60, 40,
                java.awt.image.BufferedImage.TYPE_INT_RGB);
        image.setRGB(10, 10, 0x128c7e);
        ImageIO.write(image, "png", picture.toFile());
        page.locator("#schedule select[name=toKind]").selectOption("contacts");
        page.getByLabel("Tag, group name").fill(ann);
        page.getByLabel("Text (or leave empty").fill("Our new menu, {{name}}");
        page.setInputFiles("#schedule input[name=media]", picture);
        page.locator("#schedule select[name=kind]").selectOption("once");
        page.getByLabel("Cron (minute hour").fill(java.time.LocalDateTime.now().toString());
        page.getByRole(AriaRole.BUTTON, named("Create")).click();
        page.waitForURL("**#campaign/*");
        List<dev.wasched.testkit.whatsapp.ReceivedMessage> toAnn = sim.awaitReceived(ANN, 2, WAIT);
        assertThat(toAnn.get(1).caption()).isEqualTo("Our new menu, Ann Smith");
        byte[] sent = Files.readAllBytes(picture);
        assertThat(toAnn.get(1).media()).hasValueSatisfying(m -> {
            assertThat(m.fileName()).isEqualTo("menu.png");
            assertThat(m.bytes()).isEqualTo(sent);
        });
    }

    @Test
    @Order(3)
    void longListsArePagedAndExportedWithTheirFilters() throws Exception {
        for (int i = 1; i <= 55; i++) {
            wasched.contacts().create(ContactSpec.builder().name(String.format("Guest %02d", i))
                    .phone(String.format("+49151234590%02d", i)).tags(java.util.Set.of("crowd")).build());
        }
        int contacts = wasched.contacts().list(PageRequest.first(1000)).items().size();
        Page page = signIn("admin", ADMIN_PASSWORD);

        // Contacts: the first page, then the rest after the cursor.
        page.locator("nav").getByText("Contacts").click();
        page.locator("tbody tr[data-id]").first().waitFor();
        List<String> first = rowIds(page);
        assertThat(first).hasSize(50);
        assertThat(page.getByRole(AriaRole.LINK, named("First page")).count()).isZero();
        page.getByRole(AriaRole.LINK, named("Next")).click();
        page.getByRole(AriaRole.LINK, named("First page")).waitFor();
        assertThat(page.url()).contains("#contacts?cursor=");
        assertThat(rowIds(page)).hasSize(contacts - 50).doesNotContainAnyElementsOf(first);
        assertThat(page.getByRole(AriaRole.LINK, named("Next")).count()).isZero();

        // Deliveries: 55 wait while the account is paused; filtered, paged, and exported with the filter.
        wasched.accounts().pause(ACCOUNT);
        Schedule crowd = wasched.schedules().create(dev.wasched.schedule.ScheduleSpec.builder().account(ACCOUNT)
                .to(dev.wasched.schedule.Target.tag("crowd")).text("Doors open at 8")
                .trigger(Trigger.once(java.time.Instant.now())).build());
        java.util.function.Supplier<List<String>> waiting = () -> wasched.deliveries().history(
                DeliveryQuery.status(DeliveryStatus.PENDING), PageRequest.first(1000)).items().stream()
                .filter(d -> crowd.id().equals(d.scheduleId())).map(d -> d.id()).toList();
        await().atMost(WAIT).until(() -> waiting.get().size() == 55);
        page.locator("nav").getByText("Deliveries").click();
        page.locator("#filter select[name=status]").selectOption("PENDING");
        page.getByRole(AriaRole.BUTTON, named("Show")).click();
        page.waitForURL("**#deliveries?status=PENDING");
        page.locator("td.status").first().waitFor();
        List<String> shown = new ArrayList<>(rowIds(page));
        assertThat(shown).hasSize(50);
        page.getByRole(AriaRole.LINK, named("Next")).click();
        page.getByRole(AriaRole.LINK, named("First page")).waitFor();
        shown.addAll(rowIds(page));
        assertThat(page.locator("td.status").allTextContents()).hasSize(5).allMatch("PENDING"::equals);
        assertThat(shown).containsExactlyInAnyOrderElementsOf(waiting.get());
        shot(page, "console-deliveries");
        Download export = page.waitForDownload(() -> page.getByRole(AriaRole.LINK, named("Export CSV")).click());
        List<String> csv = Files.readAllLines(export.path(), StandardCharsets.UTF_8);
        assertThat(csv.get(0)).startsWith("id,schedule_id,");
        assertThat(csv.subList(1, csv.size())).as("every waiting delivery, not just the page shown").hasSize(55)
                .allMatch(line -> line.contains(",PENDING,"));

        wasched.schedules().delete(crowd.id()); // cancels what waits
        wasched.accounts().resume(ACCOUNT);
    }

    @Test
    @Order(9)
    void anAdministratorFiltersDeletesAndLogsTheAccountOut() {
        Page page = signIn("admin", ADMIN_PASSWORD);
        page.onDialog(dialog -> dialog.accept()); // the confirmations of destructive actions
        page.locator("nav").getByText("Deliveries").click();
        page.locator("#filter select[name=status]").selectOption("READ");
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Show")).click();
        page.waitForURL("**#deliveries?status=READ");
        page.locator("td.status").first().waitFor();
        assertThat(page.locator("td.status").allTextContents()).isNotEmpty().allMatch("READ"::equals);
        assertThat(page.getByRole(AriaRole.LINK, named("Export CSV")).getAttribute("href"))
                .isEqualTo("api/v1/deliveries.csv?status=READ");

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
    @Order(4)
    void aViewerFindsNoButtonsAndTheApiRefusesThemToo() {
        web.users().addUser("vera", Role.VIEWER, "password of vera".toCharArray(), "test");
        Page page = signIn("vera", "password of vera");
        page.locator("nav").getByText("Contacts").click();
        page.locator("tbody tr[data-id]").first().waitFor();
        assertThat(page.locator("#add-contact").count()).isZero();
        assertThat(page.locator("#import").count()).isZero();
        assertThat(page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Opt out")).count()).isZero();
        assertThat(page.getByRole(AriaRole.LINK, named("Edit")).count()).isZero();
        assertThat(page.locator("nav a[href='#users']").isVisible()).isFalse();
        shot(page, "console-viewer");
        page.locator("nav").getByText("Schedules").click();
        page.locator("tbody tr[data-id]").first().waitFor();
        assertThat(page.locator("#schedule").count()).as("no form for a new schedule").isZero();
        assertThat(page.getByRole(AriaRole.LINK, named("Edit")).count()).isZero();
        assertThat(page.locator("button[data-act]").count()).isZero();
        // The edit pages themselves, asked for by address: they show, they offer nothing to change.
        String scheduleId = page.locator("tbody tr[data-id]").first().getAttribute("data-id");
        page.navigate(console + "#schedule/" + scheduleId);
        page.getByText("Changing a schedule needs the operator role").waitFor();
        assertThat(page.locator("form").count()).isZero();
        page.navigate(console + "#contact/" + wasched.contacts().findByPhone(ANN).orElseThrow().id());
        page.locator("main td").getByText(ANN).waitFor();
        assertThat(page.locator("form").count()).isZero();
        page.locator("nav").getByText("Deliveries").click();
        page.getByRole(AriaRole.LINK, named("Export CSV")).waitFor(); // reading is a viewer's right
        page.locator("nav").getByText("Dead letters").click();
        page.locator("table").waitFor();
        assertThat(page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Requeue")).count()).isZero();
        Object status = page.evaluate("async () => { const me = await (await fetch('api/v1/session')).json();"
                + " const r = await fetch('api/v1/contacts', {method: 'POST', headers: {'Content-Type':"
                + " 'application/json', 'X-CSRF-Token': me.csrfToken}, body: JSON.stringify({phone: '+4915199999999'})});"
                + " return r.status; }");
        assertThat(status).isEqualTo(403);
        assertThat(wasched.contacts().findByPhone("+4915199999999")).isEmpty();
    }

    @Test
    @Order(5)
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
        // Opened in another tab of the same browser, which holds the console's session cookie.
        Page other = page.context().newPage();
        com.microsoft.playwright.Response answer = other.waitForResponse(r -> r.url().endsWith("/api/v1/users"),
                () -> other.navigate("http://localhost:" + evil.getAddress().getPort() + "/"));
        assertThat(answer.status()).as("refused").isIn(401, 403, 415);
        assertThat(web.users().user("mallory")).as("nobody was added").isEmpty();
    }

    @Test
    @Order(6)
    void aSameSiteRequestWithTheCookieButWithoutTheCsrfTokenIsRefused() {
        Page page = signIn("admin", ADMIN_PASSWORD);
        // From the console's own origin the session cookie goes along (SameSite does not hold it back); only the
        // header is missing. The answer's code 'csrf' shows the session was recognised and refused for that alone.
        Object fetched = page.evaluate("async () => { const r = await fetch('api/v1/users', {method: 'POST',"
                + " credentials: 'same-origin', headers: {'Content-Type': 'application/json'}, body: JSON.stringify("
                + "{name: 'mallory', role: 'ADMIN', password: 'password of mallory'})});"
                + " return [r.status, (await r.json()).error.code]; }");
        assertThat(fetched).isEqualTo(List.of(403, "csrf"));
        // A form posted by a page of the same origin: no script can add a header to it.
        com.microsoft.playwright.Response posted = page.waitForResponse(r -> r.url().endsWith("/api/v1/contacts")
                && r.request().method().equals("POST"), () -> page.evaluate("() => { const f ="
                + " document.createElement('form'); f.method = 'post'; f.enctype = 'text/plain';"
                + " f.action = 'api/v1/contacts'; const i = document.createElement('input');"
                + " i.name = '{\"phone\":\"+4915199999998\",\"x\":\"'; i.value = '\"}'; f.append(i);"
                + " document.body.append(f); f.submit(); }"));
        assertThat(posted.status()).isEqualTo(403);
        assertThat(posted.text()).contains("\"csrf\"");
        assertThat(web.users().user("mallory")).isEmpty();
        assertThat(wasched.contacts().findByPhone("+4915199999998")).isEmpty();
    }

    @Test
    @Order(7)
    void aLockedOutLoginIsToldSo() {
        web.users().addUser("otto", Role.OPERATOR, "password of otto".toCharArray(), "test");
        Page page = consolePage();
        for (int i = 0; i < 5; i++) {
            page.getByLabel("User").fill("otto");
            page.getByLabel("Password").fill("wrong " + i);
            // One attempt at a time: the message of the one before is the same, so it cannot tell this one ended.
            page.waitForResponse(r -> r.url().endsWith("/api/v1/session") && r.request().method().equals("POST"),
                    () -> page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Sign in")).click());
            page.locator("#login-error").getByText(i < 4 ? "unknown user or wrong password" : "Locked").waitFor();
        }
        page.getByLabel("Password").fill("password of otto");
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Sign in")).click();
        page.locator("#login-error").getByText("Locked").waitFor();
        assertThat(page.locator("#nav").isVisible()).isFalse();
    }

    @Test
    @Order(10)
    void theAuditLogListsWhatTheseUsersChanged() {
        String ann = wasched.contacts().findByPhone(ANN).orElseThrow().id();
        String cron = wasched.schedules().list(PageRequest.first(20)).items().stream()
                .filter(x -> x.trigger() instanceof Trigger.Cron).findFirst().orElseThrow().id();
        Page page = signIn("admin", ADMIN_PASSWORD);
        page.locator("nav").getByText("Users").click();
        page.locator("#audit tbody tr").first().waitFor();
        shot(page, "console-audit");
        List<String> rows = page.locator("#audit tbody tr").evaluateAll("rows => rows.map(r =>"
                + " [...r.cells].slice(1).map(c => c.textContent).join(' ').trim())") instanceof List<?> l
                ? l.stream().map(String::valueOf).toList() : List.of();
        for (String change : List.of("user:admin contact.import", "user:admin template.save hello",
                "user:admin delivery.requeue", "user:olga contact.update " + ann, "user:olga schedule.update " + cron,
                "user:olga media.upload", "user:olga schedule.create", "user:admin template.delete hello")) {
            assertThat(rows).as(change).anyMatch(r -> r.startsWith(change));
        }
        assertThat(rows).filteredOn(r -> r.startsWith("user:admin schedule.create")).hasSize(3);
    }

    @Test
    @Order(11)
    void theConsoleSendsItsContentSecurityPolicyAndAsksNothingOfAnotherOrigin() {
        Page page = consolePage();
        com.microsoft.playwright.Response index = page.navigate(console);
        assertThat(index.headers().get("content-security-policy")).contains("default-src 'self'")
                .contains("frame-ancestors 'none'");
        assertThat(page.request().get(console + "console/app.js").headers().get("content-security-policy"))
                .contains("default-src 'self'");
        // Every page of every test above was watched: the console, its script, its API and its live events.
        assertThat(requests).anyMatch(u -> u.endsWith("/console/app.js")).anyMatch(u -> u.contains("/api/v1/events"))
                .anyMatch(u -> u.contains("/qr.svg"));
        assertThat(foreign).as("requests the console made to another origin").isEmpty();
    }
}
