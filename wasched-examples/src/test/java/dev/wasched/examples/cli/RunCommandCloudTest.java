package dev.wasched.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wasched.PageRequest;
import dev.wasched.Wasched;
import dev.wasched.delivery.Delivery;
import dev.wasched.delivery.DeliveryQuery;
import dev.wasched.delivery.DeliveryStatus;
import dev.wasched.testkit.cloud.CloudMessage;
import dev.wasched.testkit.cloud.CloudStatus;
import dev.wasched.testkit.cloud.FakeCloudApi;
import dev.wasched.testkit.cloud.TemplateStatus;
import java.net.URI;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@code wasched run} with an account on the Cloud API (the fake one): no browser, its webhook served by the CLI. */
class RunCommandCloudTest extends RunCommandFixture {
    private static final String BODY = "Your order {{order}} ships on {{day}}.";
    FakeCloudApi meta;

    @BeforeEach
    void startMeta() throws Exception {
        meta = FakeCloudApi.builder().autoStatusUpTo(CloudStatus.READ).start();
        meta.registerNumber(ALICE);
        meta.registerNumber(BOB);
        meta.template("order_shipped", "en_US", "Your order {{1}} ships on {{2}}.", TemplateStatus.APPROVED);
        writeConfig("accounts = support",
                "cloud.support.phoneNumberId = " + meta.phoneNumberId(),
                "cloud.support.accessToken.env = META_TOKEN",
                "cloud.support.templates = order_shipped:en_US",
                "cloud.baseUrl = " + meta.baseUrl(),
                "cloud.webhook.appSecret.env = META_APP_SECRET",
                "cloud.webhook.verifyToken.env = META_VERIFY_TOKEN",
                "cloud.webhook.port = 0");
        CliConfig c = CliConfig.load(config, Map.of());
        try (OpenStore store = OpenStore.open(c); Wasched w = ConfigOption.offline(c, store)) {
            w.templates().save("order_shipped", BODY); // the approved body, as a wasched template
        }
    }

    @AfterEach
    void stopMeta() {
        meta.close();
    }

    @Test
    void sendsATemplateOutsideTheWindowHearsARepliesAndAnswersInsideItWithStatusesByWebhook() throws Exception {
        Instance run = new Instance(Map.of("META_TOKEN", meta.accessToken(), "META_APP_SECRET", meta.appSecret(),
                "META_VERIFY_TOKEN", "handshake-token"));
        await("the webhook's address", run, () -> run.lines().stream().anyMatch(l -> l.startsWith("Cloud API webhook at ")));
        String line = run.lines().stream().filter(l -> l.startsWith("Cloud API webhook at ")).findFirst().orElseThrow();
        meta.webhookUrl(URI.create(line.substring("Cloud API webhook at ".length()).split(" ")[0]));
        await("READY", run, () -> run.printed("account support: READY"));

        assertThat(CliResult.run("schedule", "-c", config.toString(), "--account", "support", "--to", "0151 2345 6702",
                "--template", "order_shipped", "--var", "order=42", "--var", "day=Monday", "--at", "now").code()).isZero();
        await("the template message to Bob", run, () -> meta.receivedBy(BOB).size() == 1);
        CloudMessage toBob = meta.receivedBy(BOB).get(0);
        assertThat(toBob.isTemplate()).as("Bob never wrote: outside the window only the approved template goes").isTrue();
        assertThat(toBob.templateParameters()).containsExactly("42", "Monday");

        meta.injectIncoming(ALICE, "Is my order ready?");
        await("Alice's message heard", run, () -> run.lines().stream().anyMatch(l -> l.contains("Is my order ready?")));
        assertThat(CliResult.run("schedule", "-c", config.toString(), "--account", "support", "--to", "0151 2345 6701",
                "--text", "Yes, it ships today", "--at", "now").code()).isZero();
        await("the answer to Alice", run, () -> meta.textsReceivedBy(ALICE).contains("Yes, it ships today"));
        await("both read, by webhook", run, () -> deliveries().stream().allMatch(d -> d.status() == DeliveryStatus.READ)
                && deliveries().size() == 2);
        run.stop();
        assertThat(meta.sendRequests()).as("one request per message").isEqualTo(2);
    }

    @Test
    void aCloudAccountHasNothingToLinkAndAMissingTokenIsNamed() throws Exception {
        CliResult link = ForkedCli.run(dir, Map.of("META_TOKEN", "x"), "link", "support", "-c", config.toString());
        assertThat(link.code()).as(link.out() + link.err()).isNotZero();
        assertThat(link.err()).contains("account support runs on the Cloud API");

        CliResult run = ForkedCli.run(dir, Map.of("META_APP_SECRET", "s", "META_VERIFY_TOKEN", "t"), "run",
                "-c", config.toString());
        assertThat(run.code()).as(run.out() + run.err()).isNotZero();
        assertThat(run.err()).contains("cloud.support.accessToken.env names environment variable META_TOKEN, which is not set");
    }

    private List<Delivery> deliveries() {
        CliConfig c = CliConfig.load(config, Map.of());
        try (OpenStore store = OpenStore.open(c)) {
            return store.store().deliveries().history(DeliveryQuery.all(), PageRequest.first(10)).items();
        }
    }
}
