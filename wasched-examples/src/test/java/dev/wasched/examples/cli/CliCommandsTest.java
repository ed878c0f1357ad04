package dev.wasched.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.wasched.whatsapp.SelectorProfile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The CLI's commands on an embedded store, through the same entry point as {@code ./wasched}. */
class CliCommandsTest {
    @TempDir
    Path dir;
    Path config;


    @BeforeEach
    void writeConfig() throws Exception {
        config = dir.resolve("wasched.properties");
        Files.writeString(config, "store.url = h2:" + dir.resolve("db/wasched") + "\ndefaultRegion = DE\nzone = Europe/Berlin\n"
                + "accounts = shop\n");
    }

    private static CliResult run(String... args) {
        return CliResult.run(args);
    }

    @Test
    void helpOnEveryCommand() {
        for (String cmd : new String[]{"demo", "run", "import", "schedule", "edit-schedule", "status", "deliveries",
                "cancel", "dlq", "webhooks", "report", "export", "accounts", "user"}) {
            CliResult r = run(cmd, "--help");
            assertThat(r.code()).as(cmd).isZero();
            assertThat(r.out()).as(cmd).contains("Usage: wasched " + cmd);
        }
        assertThat(run("--help").out()).contains("Exit codes:");
        assertThat(run("--version").out()).contains("wasched 0.1.0-SNAPSHOT");
    }

    @Test
    void scheduleThenStatusAndDeliveries() {
        CliResult created = run("schedule", "-c", config.toString(), "--account", "shop", "--to", "0151 12345678",
                "--text", "Hello {{phone}}", "--cron", "0 9 * * MON-FRI");
        assertThat(created.code()).as(created.err()).isZero();
        assertThat(created.out()).contains("created; first fire at");
        CliResult status = run("status", "-c", config.toString());
        assertThat(status.code()).as(status.err()).isZero();
        assertThat(status.out()).contains("queue: 0 pending").contains("replies: 0 deliveries answered")
                .contains("account shop (ACTIVE): run by nobody, 0 deliveries answered");
        CliResult deliveries = run("deliveries", "-c", config.toString(), "--status", "SENT,DEAD");
        assertThat(deliveries.code()).isZero();
        assertThat(deliveries.out()).contains("STATUS");
        CliResult replied = run("deliveries", "-c", config.toString(), "--replied");
        assertThat(replied.code()).as(replied.err()).isZero();
        assertThat(replied.out()).contains("STATUS");
        assertThat(run("dlq", "list", "-c", config.toString()).code()).isZero();
    }

    @Test
    void accountsAreAddedPausedAndRemovedAndSchedulesNameOnlyRegisteredOnes() {
        CliResult unknown = run("schedule", "-c", config.toString(), "--account", "shop-2", "--to", "0151 12345678",
                "--text", "Hi", "--at", "now");
        assertThat(unknown.code()).isEqualTo(ExitCodes.INVALID_INPUT);
        assertThat(unknown.err()).contains("'shop-2'");

        CliResult added = run("accounts", "add", "-c", config.toString(), "shop-2", "--set", "headless=false");
        assertThat(added.code()).as(added.err()).isZero();
        assertThat(added.out()).contains("shop-2 ACTIVE");
        assertThat(run("accounts", "add", "-c", config.toString(), "shop-2").code()).isEqualTo(ExitCodes.INVALID_INPUT);
        assertThat(run("accounts", "pause", "-c", config.toString(), "shop-2").out()).contains("shop-2 PAUSED");
        CliResult list = run("accounts", "-c", config.toString());
        assertThat(list.out()).containsPattern("shop +ACTIVE +code +run by nobody")
                .containsPattern("shop-2 +PAUSED +whatsapp-web +run by nobody");

        CliResult spread = run("schedule", "-c", config.toString(), "--account", "shop,shop-2", "--to", "0151 12345678",
                "--text", "Hi", "--cron", "0 9 * * MON");
        assertThat(spread.code()).as(spread.err()).isZero();
        assertThat(run("accounts", "remove", "-c", config.toString(), "shop-2").out()).contains("shop-2 REMOVED");
        assertThat(run("accounts", "resume", "-c", config.toString(), "shop-2").code())
                .as("a removed account is not resumed").isEqualTo(ExitCodes.INVALID_INPUT);
    }

    @Test
    void usersAndApiKeysAreMadeForTheConsoleWithPasswordsNeverShown() throws Exception {
        Path password = Files.writeString(dir.resolve("admin.password"), "correct horse battery staple\n");
        CliResult added = run("user", "add", "-c", config.toString(), "Ana", "--role", "admin", "--password-file",
                password.toString());
        assertThat(added.code()).as(added.err()).isZero();
        assertThat(added.out()).contains("ana added (ADMIN)");
        Path shortOne = Files.writeString(dir.resolve("short.password"), "short\n");
        CliResult weak = run("user", "add", "-c", config.toString(), "bob", "--role", "viewer", "--password-file",
                shortOne.toString());
        assertThat(weak.code()).isEqualTo(ExitCodes.INVALID_INPUT);
        assertThat(weak.err()).contains("password").contains("12");
        assertThat(run("user", "add", "-c", config.toString(), "bob", "--role", "owner", "--password-file",
                password.toString()).err()).contains("'owner'");

        CliResult key = run("user", "key", "-c", config.toString(), "crm-sync", "--role", "operator");
        assertThat(key.code()).as(key.err()).isZero();
        String secret = key.out().lines().filter(l -> l.startsWith("wsk_")).findFirst().orElseThrow();
        CliResult list = run("user", "-c", config.toString());
        assertThat(list.out()).containsPattern("ana +ADMIN").contains("crm-sync").doesNotContain(secret)
                .doesNotContain("argon2");
        String id = key.out().split(" ")[1];
        assertThat(run("user", "revoke", "-c", config.toString(), id).out()).contains("key " + id + " revoked");
        assertThat(run("user", "remove", "-c", config.toString(), "ana").err()).contains("last administrator");
    }

    @Test
    void webhooksAreAddedListedAndRemoved() throws Exception {
        Path secret = Files.writeString(dir.resolve("hook.secret"), "s3cret\n");
        CliResult bad = run("webhooks", "add", "-c", config.toString(), "ftp://hooks.example.com/in", "--secret-file",
                secret.toString());
        assertThat(bad.code()).isEqualTo(ExitCodes.INVALID_INPUT);
        assertThat(bad.err()).contains("url");
        CliResult added = run("webhooks", "add", "-c", config.toString(), "https://hooks.example.com/in",
                "--event", "DeliverySent", "--secret-file", secret.toString());
        assertThat(added.code()).as(added.err()).isZero();
        assertThat(added.out()).contains("https://hooks.example.com/in  DeliverySent").doesNotContain("s3cret");
        String id = added.out().strip().split(" ")[0];
        assertThat(run("webhooks", "list", "-c", config.toString()).out()).contains(id);
        assertThat(run("webhooks", "failed", "-c", config.toString(), id).code()).isZero();
        assertThat(run("webhooks", "remove", "-c", config.toString(), id).out()).contains("removed " + id);
        assertThat(run("webhooks", "list", "-c", config.toString()).out()).doesNotContain(id);
    }

    @Test
    void aQuartzOrSpringCronIsChosenByItsOption() {
        CliResult quartz = run("schedule", "-c", config.toString(), "--account", "shop", "--group", "g",
                "--text", "x", "--quartz-cron", "0 0 12 ? * 6L", "--zone", "UTC");
        assertThat(quartz.code()).as(quartz.err()).isZero();
        assertThat(quartz.out()).containsPattern("first fire at \\d{4}-\\d{2}-\\d{2}T12:00:00Z");
        CliResult spring = run("schedule", "-c", config.toString(), "--account", "shop", "--group", "g",
                "--text", "x", "--spring-cron", "@hourly");
        assertThat(spring.code()).as(spring.err()).isZero();
        CliResult unix = run("schedule", "-c", config.toString(), "--account", "shop", "--group", "g",
                "--text", "x", "--cron", "0 0 12 ? * 6L");
        assertThat(unix.code()).isEqualTo(ExitCodes.INVALID_INPUT);
        assertThat(unix.err()).contains("(read as Unix)", "a seconds field is Quartz or Spring syntax");
        assertThat(run("schedule", "-c", config.toString(), "--account", "shop", "--group", "g", "--text", "x",
                "--cron", "@daily", "--quartz-cron", "0 0 0 * * ?").code()).as("one cron option").isEqualTo(ExitCodes.USAGE);
    }

    @Test
    void errorsHaveStableExitCodesAndNameTheProblem() {
        CliResult badPhone = run("schedule", "-c", config.toString(), "--account", "shop", "--to", "12",
                "--text", "x", "--at", "now");
        assertThat(badPhone.code()).isEqualTo(ExitCodes.INVALID_INPUT);
        assertThat(badPhone.err()).contains("'12'");
        CliResult badCron = run("schedule", "-c", config.toString(), "--account", "shop", "--group", "g",
                "--text", "x", "--cron", "every day");
        assertThat(badCron.code()).isEqualTo(ExitCodes.INVALID_INPUT);
        assertThat(badCron.err()).contains("'every day'");
        CliResult unknown = run("dlq", "requeue", "-c", config.toString(), "no-such-id");
        assertThat(unknown.code()).isEqualTo(ExitCodes.INVALID_INPUT);
        assertThat(unknown.err()).contains("no-such-id");
        CliResult noConfig = run("status", "-c", dir.resolve("missing.properties").toString());
        assertThat(noConfig.code()).isEqualTo(ExitCodes.CONFIG);
        assertThat(noConfig.err()).contains("missing.properties");
        assertThat(run("schedule", "--account", "shop").code()).isEqualTo(ExitCodes.USAGE);
        assertThat(run("no-such-command").code()).isEqualTo(ExitCodes.USAGE);
    }

    @Test
    void anUncertainDeliveryIsShownWithItsEvidenceAndRequeuedOnlyWhenToldTwice() {
        String id;
        try (var store = dev.wasched.store.jdbc.JdbcStore.embedded(dir.resolve("db/wasched"))) {
            java.time.Instant now = java.time.Instant.now();
            dev.wasched.delivery.Delivery d = dev.wasched.delivery.Delivery.pending("0190aaaa-0000-7000-8000-000000000001",
                    "s-1", now, dev.wasched.delivery.Recipient.group("family", java.time.ZoneOffset.UTC), "shop",
                    dev.wasched.message.MessageContent.text("the secret text"), now);
            store.deliveries().insertAll(java.util.List.of(d));
            dev.wasched.delivery.Delivery sending = d.claim("i1", null, now).startSending(now);
            store.deliveries().update(d.claim("i1", null, now));
            store.deliveries().update(sending);
            store.deliveries().recordEvidence(sending.id(), sending.version(), "after:wamid.0", "wamid.1");
            store.deliveries().update(store.deliveries().findById(d.id()).orElseThrow()
                    .uncertain("outcome unknown: the browser went away", now));
            id = d.id();
        }
        CliResult listed = run("dlq", "uncertain", "-c", config.toString());
        assertThat(listed.code()).as(listed.err()).isZero();
        assertThat(listed.out()).contains(id).contains("the browser went away")
                .contains("WhatsApp id seen before confirmation: yes").doesNotContain("the secret text");
        CliResult refused = run("dlq", "requeue", "-c", config.toString(), id);
        assertThat(refused.code()).isEqualTo(ExitCodes.INVALID_INPUT);
        assertThat(refused.err()).contains("UNCERTAIN").contains("--resend-uncertain");
        CliResult requeued = run("dlq", "requeue", "--resend-uncertain", "-c", config.toString(), id);
        assertThat(requeued.code()).as(requeued.err()).isZero();
        assertThat(requeued.out()).contains("requeued " + id);
    }

    @Test
    void aScheduleIsEditedAPendingDeliveryCancelledAndADeadOneDismissed() {
        java.time.Instant now = java.time.Instant.now();
        String pending = "0190aaaa-0000-7000-8000-000000000011";
        String dead = "0190aaaa-0000-7000-8000-000000000012";
        try (var store = dev.wasched.store.jdbc.JdbcStore.embedded(dir.resolve("db/wasched"))) {
            var group = dev.wasched.delivery.Recipient.group("family", java.time.ZoneOffset.UTC);
            var p = dev.wasched.delivery.Delivery.pending(pending, "s-1", now.plusSeconds(3600), group, "shop",
                    dev.wasched.message.MessageContent.text("later"), now);
            var d = dev.wasched.delivery.Delivery.pending(dead, "s-1", now, group, "shop",
                    dev.wasched.message.MessageContent.text("now"), now);
            store.deliveries().insertAll(java.util.List.of(p, d));
            var claimed = d.claim("i1", null, now);
            store.deliveries().update(claimed);
            var sending = claimed.startSending(now);
            store.deliveries().update(sending);
            store.deliveries().update(sending.dead("invalid number", now));
        }
        CliResult cancelled = run("cancel", "-c", config.toString(), pending);
        assertThat(cancelled.code()).as(cancelled.err()).isZero();
        assertThat(cancelled.out()).contains("cancelled " + pending);
        CliResult refused = run("cancel", "-c", config.toString(), dead);
        assertThat(refused.code()).isEqualTo(ExitCodes.INVALID_INPUT);
        assertThat(refused.err()).contains(dead).contains("DEAD");
        CliResult dismissed = run("dlq", "dismiss", "-c", config.toString(), dead);
        assertThat(dismissed.code()).as(dismissed.err()).isZero();
        assertThat(dismissed.out()).contains("dismissed " + dead);
        assertThat(run("dlq", "list", "-c", config.toString()).out()).doesNotContain(dead);
        assertThat(run("deliveries", "-c", config.toString(), "--status", "DISMISSED").out()).contains(dead);

        CliResult created = run("schedule", "-c", config.toString(), "--account", "shop", "--group", "family",
                "--text", "old words", "--cron", "0 9 * * MON-FRI");
        assertThat(created.code()).as(created.err()).isZero();
        String schedule = created.out().replaceAll("(?s).*schedule (\\S+) created.*", "$1");
        CliResult edited = run("edit-schedule", "-c", config.toString(), schedule, "--text", "new words",
                "--cron", "30 8 * * *");
        assertThat(edited.code()).as(edited.err()).isZero();
        assertThat(edited.out()).contains("schedule " + schedule + " edited; next fire at");
        try (var store = dev.wasched.store.jdbc.JdbcStore.embedded(dir.resolve("db/wasched"))) {
            var s = store.schedules().findById(schedule).orElseThrow();
            assertThat(s.message().text()).isEqualTo("new words");
            assertThat(((dev.wasched.schedule.Trigger.Cron) s.trigger()).expression()).isEqualTo("30 8 * * *");
            assertThat(s.target()).isEqualTo(dev.wasched.schedule.Target.group("family"));
        }
        assertThat(run("edit-schedule", "-c", config.toString(), "no-such-schedule", "--text", "x").code())
                .isEqualTo(ExitCodes.INVALID_INPUT);
    }

    @Test
    void theSampleConfigurationIsValid() {
        CliConfig sample = CliConfig.load(Path.of("..", "wasched.sample.properties"), java.util.Map.of());
        assertThat(sample.storeUrl()).startsWith("h2:");
        assertThat(sample.accounts()).containsExactly("shop");
        assertThat(RunCommand.transport(sample, "shop").account()).isEqualTo("shop");
        assertThat(RunCommand.pacing(sample)).isEqualTo(dev.wasched.policy.PacingPolicy.DEFAULT.withZone(sample.zone()));
    }

    @Test
    void replyKeywordsAndThePageLayerComeFromTheConfigurationWithClearErrors() throws Exception {
        CliConfig c = configWith("accounts = shop, cafe", "replies.optOut = STOP, Austragen", "replies.optIn = none",
                "whatsapp.cafe.pageLayer = ui_only");
        assertThat(RunCommand.replyKeywords(c).optsOut("austragen")).isTrue();
        assertThat(RunCommand.replyKeywords(c).optsIn("start")).as("none").isFalse();
        assertThat(RunCommand.transport(c, "shop").pageLayer()).isEqualTo(dev.wasched.whatsapp.PageLayer.AUTO);
        assertThat(RunCommand.transport(c, "cafe").pageLayer()).isEqualTo(dev.wasched.whatsapp.PageLayer.UI_ONLY);
        assertThat(RunCommand.replyKeywords(configWith("accounts = shop")))
                .isEqualTo(dev.wasched.inbound.ReplyKeywords.DEFAULT);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> RunCommand.transport(
                        configWith("accounts = shop", "whatsapp.pageLayer = sometimes"), "shop"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("whatsapp.pageLayer");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> RunCommand.replyKeywords(
                        configWith("accounts = shop", "replies.optOut = STOP", "replies.optIn = stop")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("replies.optOut");
        dev.wasched.inbound.ReplyKeywords confirmed = RunCommand.replyKeywords(configWith("accounts = shop",
                "replies.optOutConfirmation = No more messages. Reply START to come back."));
        assertThat(confirmed.optOutConfirmation()).isEqualTo("No more messages. Reply START to come back.");
        assertThat(confirmed.optInConfirmation()).isNull();
        assertThat(confirmed.optOut()).isEqualTo(dev.wasched.inbound.ReplyKeywords.DEFAULT.optOut());
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> RunCommand.replyKeywords(
                        configWith("accounts = shop", "replies.optInConfirmation = Hi {{name}}")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("replies.optInConfirmation");
    }

    @Test
    void selectorsAreOverriddenFromTheConfigurationPerKeyPerAccountAndFromAFile() throws Exception {
        Path file = dir.resolve("selectors.json");
        Files.writeString(file, "{\"selectors\": {\"attachButton\": \"span[data-icon=plus]\", \"sendButton\": \"#file\"}}");
        CliConfig c = configWith("accounts = shop, cafe",
                "whatsapp.selectorsFile = " + file,
                "whatsapp.selector.sendButton = button[aria-label=\"Send\"]",
                "whatsapp.cafe.selector.sendButton = #cafe-send",
                "whatsapp.cafe.selector.searchBox = #cafe-search");
        SelectorProfile shop = RunCommand.transport(c, "shop").selectors();
        assertThat(shop.get("sendButton")).as("a key wins over the file").isEqualTo("button[aria-label=\"Send\"]");
        assertThat(shop.get("attachButton")).isEqualTo("span[data-icon=plus]");
        assertThat(shop.get("searchBox")).isEqualTo(SelectorProfile.defaults().get("searchBox"));
        SelectorProfile cafe = RunCommand.transport(c, "cafe").selectors();
        assertThat(cafe.overrides()).containsOnlyKeys("attachButton", "sendButton", "searchBox")
                .containsEntry("sendButton", "#cafe-send").containsEntry("searchBox", "#cafe-search");

        // The sample's example override is a valid one.
        String sample = Files.readAllLines(Path.of("..", "wasched.sample.properties")).stream()
                .filter(l -> l.startsWith("#whatsapp.selector.")).findFirst().orElseThrow().substring(1);
        assertThat(RunCommand.transport(configWith(sample), "shop").selectors().overrides()).hasSize(1);
    }

    @Test
    void aWrongSelectorSettingIsAConfigurationErrorNamingItsKey() throws Exception {
        assertThatThrownBy(() -> RunCommand.transport(configWith("whatsapp.selector.sendButon = #x"), "shop"))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("whatsapp.selector.sendButon: ").hasMessageContaining("unknown selector key");
        assertThatThrownBy(() -> RunCommand.transport(configWith("whatsapp.shop.selector.chatTitle = span[title]"), "shop"))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("whatsapp.shop.selector.chatTitle: ").hasMessageContaining("{name}");
        assertThatThrownBy(() -> RunCommand.transport(configWith("whatsapp.shop.selectorsFile = " + dir.resolve("none.json")),
                "shop")).isInstanceOf(ConfigException.class).hasMessageStartingWith("whatsapp.shop.selectorsFile: ");

        Files.writeString(config, "store.url = h2:" + dir.resolve("db/wasched") + "\naccounts = shop\n"
                + "whatsapp.selector.sendButon = #x\n");
        CliResult r = run("run", "-c", config.toString());
        assertThat(r.code()).isEqualTo(ExitCodes.CONFIG);
        assertThat(r.err()).contains("whatsapp.selector.sendButon");
    }

    private CliConfig configWith(String... lines) throws Exception {
        Path file = Files.writeString(dir.resolve("selectors.properties"), String.join("\n", lines) + "\n");
        return CliConfig.load(file, Map.of());
    }

    @Test
    void runNeedsAnAccountAndAChatListForTelegram() throws Exception {
        Files.writeString(config, "store.url = h2:" + dir.resolve("db/wasched") + "\n");
        CliResult noAccount = run("run", "-c", config.toString());
        assertThat(noAccount.code()).isEqualTo(ExitCodes.CONFIG);
        assertThat(noAccount.err()).contains("accounts");
        Files.writeString(config, "store.url = h2:" + dir.resolve("db/wasched") + "\naccounts = shop\n"
                + "telegram.token.env = WASCHED_TEST_UNSET_VARIABLE\n");
        CliResult noToken = run("run", "-c", config.toString());
        assertThat(noToken.code()).isEqualTo(ExitCodes.CONFIG);
        assertThat(noToken.err()).contains("WASCHED_TEST_UNSET_VARIABLE");
    }

    @Test
    void secretsComeFromTheEnvironmentNeverFromTheFile() throws Exception {
        Files.writeString(config, "store.url = jdbc:postgresql://127.0.0.1:1/x\nstore.password = hunter2\n");
        CliResult r = run("status", "-c", config.toString());
        assertThat(r.code()).isEqualTo(ExitCodes.CONFIG);
        assertThat(r.err()).contains("store.password.env").doesNotContain("hunter2");
    }

    /** {@code schedule} on the test's store for account shop, with {@code args} after the common ones. */
    private CliResult schedule(String... args) {
        String[] all = new String[4 + args.length];
        System.arraycopy(new String[]{"schedule", "-c", config.toString(), "--account"}, 0, all, 0, 4);
        System.arraycopy(args, 0, all, 4, args.length);
        return run(all);
    }

    @Test
    void aBirthdayScheduleForATag() {
        CliResult created = schedule("shop", "--tag", "friends", "--text", "Happy birthday, {{name}}!",
                "--yearly-on", "birthday", "--at", "09:00");
        assertThat(created.code()).as(created.err()).isZero();
        assertThat(created.out()).contains("every year on each contact's birthday at 09:00");
    }

    @Test
    void aYearlyScheduleNeedsATimeAndContacts() {
        assertThat(List.of(
                schedule("shop", "--tag", "friends", "--text", "x", "--yearly-on", "birthday"),
                schedule("shop", "--tag", "friends", "--text", "x", "--yearly-on", "birthday", "--at", "9 o'clock"),
                schedule("shop", "--group", "Team", "--text", "x", "--yearly-on", "birthday", "--at", "09:00"),
                schedule("shop", "--tag", "friends", "--text", "x")))
                .allSatisfy(r -> assertThat(r.code()).isEqualTo(ExitCodes.INVALID_INPUT))
                .extracting(CliResult::err).satisfiesExactly(
                        noTime -> assertThat(noTime).contains("--at 09:00"),
                        badTime -> assertThat(badTime).contains("'9 o'clock'"),
                        group -> assertThat(group).contains("group").contains("birthday"),
                        nothing -> assertThat(nothing).contains("--yearly-on"));
    }
}
