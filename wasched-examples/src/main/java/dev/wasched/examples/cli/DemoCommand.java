package dev.wasched.examples.cli;

import dev.wasched.Page;
import dev.wasched.PageRequest;
import dev.wasched.Wasched;
import dev.wasched.contact.Contact;
import dev.wasched.contact.imports.ImportReport;
import dev.wasched.delivery.Delivery;
import dev.wasched.delivery.DeliveryQuery;
import dev.wasched.delivery.DeliveryStatus;
import dev.wasched.event.WaschedEvent;
import dev.wasched.event.WaschedListener;
import dev.wasched.policy.PacingPolicy;
import dev.wasched.policy.ReconnectPolicy;
import dev.wasched.schedule.CronDialect;
import dev.wasched.schedule.Schedule;
import dev.wasched.schedule.ScheduleSpec;
import dev.wasched.schedule.Target;
import dev.wasched.schedule.Trigger;
import dev.wasched.session.AccountState;
import dev.wasched.store.jdbc.JdbcStore;
import dev.wasched.testkit.whatsapp.LinkRejectedException;
import dev.wasched.testkit.whatsapp.WhatsAppWebSimulator;
import dev.wasched.whatsapp.PlaywrightTransport;
import dev.wasched.whatsapp.PlaywrightTransportConfig;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicReference;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * The whole product on one machine without a phone: an embedded H2 store, the WhatsApp Web simulator in a real
 * Chromium, a QR login scanned by the simulated phone, a contact import, and a one-time, a cron and a campaign
 * message going out paced. Exits 0 only when every message was delivered, exactly once.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = {"Runs everything locally against a simulated WhatsApp Web (needs Chromium, no phone, no server): "
                + "links by QR, imports contacts, sends a one-time, a cron and a campaign message, and shows "
                + "their delivery.", "Exit code 0 only when every message was delivered exactly once."})
final class DemoCommand implements Callable<Integer> {
    static final String ACCOUNT = "demo";
    private static final Set<DeliveryStatus> DELIVERED = EnumSet.of(DeliveryStatus.DELIVERED, DeliveryStatus.READ);
    private static final Set<DeliveryStatus> GIVEN_UP = EnumSet.of(DeliveryStatus.DEAD, DeliveryStatus.UNCERTAIN,
            DeliveryStatus.CANCELLED, DeliveryStatus.DISMISSED);

    /** The demo's contact file: German numbers written as locals dial them, one row a person would mistype. */
    static final List<String> CONTACT_ROWS = List.of(
            "name,phone,tags,city",
            "Ann Becker,0151 2345 6701,demo,Berlin",
            "Bob Schulz,0151 2345 6702,demo,Hamburg",
            "Cem Yilmaz,+49 151 23456703,demo,Köln",
            "Dora Weiss,0151-2345-6704,demo,München",
            "Typo Tim,0151 23,demo,Bremen");

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--dir", paramLabel = "DIR",
            description = "keep the demo's database and files here (default: a temporary folder, removed at the end)")
    Path dir;
    @Option(names = "--timeout", defaultValue = "PT3M",
            description = "give up when not everything is delivered after this long (default ${DEFAULT-VALUE})")
    Duration timeout;
    @Option(names = "--qr", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "draw the login QR code in the terminal (default: on; --no-qr to leave it out)")
    boolean drawQr;
    @Option(names = "--stay", description = "afterwards, serve the web console on this demo and keep running until"
            + " Ctrl-C (prints its address and a user to sign in with)")
    boolean stay;
    @Option(names = "--port", defaultValue = "8080", description = "the console's port with --stay (default"
            + " ${DEFAULT-VALUE}; 0: any free one)")
    int port;

    private PrintWriter out;

    @Override
    public Integer call() throws Exception {
        out = spec.commandLine().getOut();
        boolean temporary = dir == null;
        Path work = temporary ? Files.createTempDirectory("wasched-demo") : Files.createDirectories(dir);
        try (WhatsAppWebSimulator phone = WhatsAppWebSimulator.builder()
                .ackDelays(Duration.ofMillis(500), Duration.ofMillis(1500))
                .loadingScreen(Duration.ofMillis(500))
                .build().start();
             JdbcStore store = JdbcStore.embedded(work.resolve("db/wasched"))) {
            step("WhatsApp Web simulator at %s; embedded H2 store in %s", phone.url(), work.resolve("db"));
            AtomicReference<String> failure = new AtomicReference<>();
            try (Wasched wasched = Wasched.builder()
                    .store(store)
                    .defaultRegion("DE")
                    .defaultZone(ZoneId.of("Europe/Berlin"))
                    .transport(ACCOUNT, () -> new PlaywrightTransport(transportConfig(phone, work)))
                    // the login is stored encrypted, with a key kept beside the database (created on the first run)
                    .sessionKey(SessionKeys.inFile(work.resolve("db").resolve(SessionKeys.FILE_NAME)))
                    // a gentle pace, as for a real account: about one message a second with jitter
                    .pacing(PacingPolicy.DEFAULT.withGap(Duration.ofMillis(700), Duration.ofMillis(600)).withTypingSimulation(false))
                    .fallbackPoll(Duration.ofSeconds(1))
                    .listener(events(phone, failure))
                    .build()) {
                wasched.start();
                // The numbers the simulated phone knows; the import below turns them into contacts, which the
                // schedules then address (the cron one fires at the next tenth second, up to ten seconds away).
                Path contacts = writeContactFile(work);
                for (String row : CONTACT_ROWS.subList(1, CONTACT_ROWS.size() - 1)) {
                    phone.registerNumber(dev.wasched.contact.PhoneNumber.parse(row.split(",")[1], "DE").e164());
                }
                if (!awaitReady(wasched, failure)) {
                    return ExitCodes.FAILED;
                }
                step("linked: account '%s' is READY", ACCOUNT);

                ImportReport imported = wasched.contacts().importer().from(contacts).tag("imported").start()
                        .await(Duration.ofMinutes(1)).orElseThrow().throwIfFailed();
                step("imported %s: %s", contacts.getFileName(), imported.summary());
                imported.rejected().forEach(r -> out.printf("       line %d rejected: %s (%s)%n", r.line(), r.reason(),
                        r.detail()));

                List<Schedule> schedules = schedule(wasched);
                int expected = expectedDeliveries(wasched);
                step("scheduled %d messages; the cron one goes out at %s", expected,
                        schedules.get(1).nextFireAt().atZone(ZoneId.systemDefault()).toLocalTime());
                List<Delivery> done = awaitDelivered(wasched, expected, failure);
                out.println();
                DeliveriesCommand.print(out, new Page<>(done, java.util.Optional.empty()));
                int verdict = verdict(done, expected, phone);
                if (stay) {
                    stayWithConsole(wasched, store);
                }
                return verdict;
            }
        } finally {
            if (temporary) {
                deleteTree(work);
            }
        }
    }

    private static PlaywrightTransportConfig transportConfig(WhatsAppWebSimulator phone, Path work) {
        return PlaywrightTransportConfig.builder(ACCOUNT)
                .webUrl(phone.url())
                .workDirectory(work)
                .pollInterval(Duration.ofMillis(200))
                .ackSweepInterval(Duration.ofSeconds(1))
                .pageTimeout(Duration.ofSeconds(30))
                .sendTimeout(Duration.ofSeconds(20))
                .reconnect(new ReconnectPolicy(Duration.ofMillis(500), Duration.ofSeconds(5), 0.2, 5,
                        Duration.ofSeconds(30)))
                .build();
    }

    /** Prints what happens, and plays the phone: every QR code the transport shows is scanned by the simulator. */
    private WaschedListener events(WhatsAppWebSimulator phone, AtomicReference<String> failure) {
        ConsoleEvents console = new ConsoleEvents(out, false, null);
        return event -> {
            if (!(event instanceof WaschedEvent.LoginQrCode) || drawQr) {
                console.onEvent(event);
            }
            if (event instanceof WaschedEvent.LoginQrCode qr) {
                try {
                    phone.scanQr(qr.payload());
                } catch (LinkRejectedException e) {
                    // the code rotated before the scan: the next event brings the new one
                }
            } else if (event instanceof WaschedEvent.AccountStateChanged change && change.to() == AccountState.FAILED) {
                failure.set(change.detail());
            }
        };
    }

    private boolean awaitReady(Wasched wasched, AtomicReference<String> failure) throws InterruptedException {
        Instant deadline = Instant.now().plus(Duration.ofMinutes(1));
        while (wasched.sessions().status(ACCOUNT).state() != AccountState.READY) {
            if (failure.get() != null || Instant.now().isAfter(deadline)) {
                spec.commandLine().getErr().println("error: WhatsApp Web did not become ready: "
                        + (failure.get() != null ? failure.get() : "timed out")
                        + " (the demo needs Chromium: apt-get install chromium, or set WASCHED_CHROMIUM)");
                return false;
            }
            Thread.sleep(100);
        }
        return true;
    }

    private static Path writeContactFile(Path work) throws IOException {
        Path file = work.resolve("contacts.csv");
        Files.write(file, CONTACT_ROWS);
        return file;
    }

    /** A one-time welcome now, a cron reminder within ten seconds (once), and a campaign to everyone tagged demo. */
    private static List<Schedule> schedule(Wasched wasched) {
        Contact ann = wasched.contacts().findByPhone("+4915123456701").orElseThrow();
        Contact bob = wasched.contacts().findByPhone("+4915123456702").orElseThrow();
        wasched.templates().save("offer", "Hi {{name}}, fresh bread is out in {{city}} today: {{special}}!");
        List<Schedule> created = new ArrayList<>();
        created.add(wasched.schedules().create(ScheduleSpec.builder().name("welcome").account(ACCOUNT)
                .to(Target.contacts(ann.id())).text("Welcome, {{name}}!")
                .trigger(Trigger.once(Instant.now())).build()));
        created.add(wasched.schedules().create(ScheduleSpec.builder().name("reminder").account(ACCOUNT)
                .to(Target.contacts(bob.id())).text("Reminder for {{name}}: your order is ready.")
                // Quartz syntax, which has seconds: every ten seconds, once, so the demo need not wait for a minute
                .trigger(Trigger.cron("0/10 * * * * ?", ZoneId.of("Europe/Berlin"), CronDialect.QUARTZ)).maxRuns(1)
                .build()));
        created.add(wasched.schedules().create(ScheduleSpec.builder().name("campaign").account(ACCOUNT)
                .to(Target.tag("demo")).template("offer", Map.of("special", "rye and spelt"))
                .trigger(Trigger.once(Instant.now())).build()));
        return created;
    }

    /** The welcome and the reminder, plus one campaign message per contact the import tagged. */
    private static int expectedDeliveries(Wasched wasched) {
        return 2 + wasched.contacts().withTag("demo", PageRequest.first(1000)).items().size();
    }

    private List<Delivery> awaitDelivered(Wasched wasched, int expected, AtomicReference<String> failure)
            throws InterruptedException {
        Instant deadline = Instant.now().plus(timeout);
        String last = "";
        while (true) {
            List<Delivery> all = wasched.deliveries().history(DeliveryQuery.all(), PageRequest.first(1000)).items();
            long delivered = all.stream().filter(d -> DELIVERED.contains(d.status())).count();
            long givenUp = all.stream().filter(d -> GIVEN_UP.contains(d.status())).count();
            long sent = all.stream().filter(d -> d.sentAt() != null).count();
            String line = String.format("progress: %d/%d sent, %d delivered%s", sent, expected, delivered,
                    givenUp > 0 ? ", " + givenUp + " failed" : "");
            if (!line.equals(last)) {
                step("%s", line);
                last = line;
            }
            if (delivered + givenUp >= expected || failure.get() != null || Instant.now().isAfter(deadline)) {
                return all.stream().sorted(Comparator.comparing(Delivery::fireAt).thenComparing(Delivery::id)).toList();
            }
            Thread.sleep(250);
        }
    }

    private int verdict(List<Delivery> done, int expected, WhatsAppWebSimulator phone) {
        boolean allDelivered = done.size() == expected && done.stream().allMatch(d -> DELIVERED.contains(d.status()));
        boolean exactlyOnce = phone.allReceived().size() == expected;
        if (allDelivered && exactlyOnce) {
            step("all %d messages delivered, each exactly once", expected);
            return ExitCodes.OK;
        }
        spec.commandLine().getErr().printf("error: %d of %d messages delivered; the phones received %d%n",
                done.stream().filter(d -> DELIVERED.contains(d.status())).count(), expected, phone.allReceived().size());
        return ExitCodes.FAILED;
    }

    /** Serves the console on the demo until the JVM is stopped (Ctrl-C), with a user made for it. */
    private void stayWithConsole(Wasched wasched, JdbcStore store) throws Exception {
        try (WebServer web = WebServer.serve(wasched, store, "127.0.0.1", port, false)) {
            byte[] bits = new byte[12];
            new java.security.SecureRandom().nextBytes(bits);
            String password = java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(bits);
            String user = "demo-" + Long.toString(System.nanoTime() & 0xffff, 36);
            web.users().addUser(user, dev.wasched.access.Role.ADMIN, password.toCharArray(), "demo");
            step("console at %s (user %s, password %s); Ctrl-C stops the demo", web.consoleUrl(), user, password);
            java.util.concurrent.CountDownLatch forever = new java.util.concurrent.CountDownLatch(1);
            Runtime.getRuntime().addShutdownHook(new Thread(forever::countDown, "wasched-demo-stop"));
            forever.await();
        }
    }

    private void step(String format, Object... args) {
        out.printf("[demo] " + format + "%n", args);
        out.flush();
    }

    private static void deleteTree(Path root) {
        try (var paths = Files.walk(root)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
