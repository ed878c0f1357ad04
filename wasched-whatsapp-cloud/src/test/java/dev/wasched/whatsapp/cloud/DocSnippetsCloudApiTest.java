package dev.wasched.whatsapp.cloud;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.wasched.Secret;
import dev.wasched.Wasched;
import dev.wasched.memory.InMemoryStore;
import dev.wasched.schedule.ScheduleSpec;
import dev.wasched.schedule.Target;
import dev.wasched.schedule.Trigger;
import dev.wasched.testkit.cloud.CloudMessage;
import dev.wasched.testkit.cloud.TemplateStatus;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The examples of docs/cloud-api.md: the webhook and the number's configuration (secrets from the environment the
 * build sets), and the engine sending an approved template through the fake Cloud API.
 */
class DocSnippetsCloudApiTest {

    @Test
    void theWebhookAnswersMetasHandshakeAndTheConfigurationNamesTheNumber() throws Exception {
        // docs:docs/cloud-api.md#setting-up-a-number:begin
        CloudWebhook webhook = CloudWebhook.builder()
                .appSecret(Secret.fromEnv("META_APP_SECRET"))          // signs every notification
                .verifyToken(Secret.fromEnv("META_VERIFY_TOKEN"))      // what you typed in the app's webhook settings
                .build();
        CloudWebhookServer server = CloudWebhookServer.start(webhook, new InetSocketAddress("127.0.0.1", 8089), "/whatsapp");

        CloudApiConfig shop = CloudApiConfig.builder()
                .account("shop")
                .phoneNumberId("106540352242922")
                .accessToken(Secret.fromEnv("META_ACCESS_TOKEN"))
                .apiVersion("v23.0")                                   // the Graph API version (default v23.0)
                .template("order_shipped", "en_US", "Your order {{order}} ships on {{day}}.")
                .webhook(webhook)
                .build();
        // docs:docs/cloud-api.md#setting-up-a-number:end

        try (server) {
            HttpResponse<String> handshake = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(
                    "http://127.0.0.1:8089/whatsapp?hub.mode=subscribe&hub.verify_token=docs-verify-token"
                            + "&hub.challenge=1158201444")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(handshake.statusCode()).isEqualTo(200);
            assertThat(handshake.body()).isEqualTo("1158201444");
        }
        assertThat(shop.account()).isEqualTo("shop");
        assertThat(shop.phoneNumberId()).isEqualTo("106540352242922");
        assertThat(shop.accessToken()).isEqualTo(Secret.of("docs-access-token"));
        assertThat(shop.webhook()).isSameAs(webhook);
    }

    @Test
    void theEngineSendsTheSavedTemplateAsTheApprovedOneOutsideTheWindow() {
        try (CloudFixture fixture = new CloudFixture()) {
            fixture.api.template("order_shipped", "en_US", "Your order {{1}} ships on {{2}}.", TemplateStatus.APPROVED);
            // As shown, but against the fake Graph API.
            CloudApiConfig shop = fixture.config("shop")
                    .template("order_shipped", "en_US", "Your order {{order}} ships on {{day}}.").build();
            InMemoryStore store = new InMemoryStore();

            // docs:docs/cloud-api.md#setting-up-a-number:begin
            Wasched wasched = Wasched.builder()
                    .store(store)
                    .transport("shop", () -> new CloudApiTransport(shop))
                    .pacing("shop", CloudApiTransport.PACING)              // no ban-avoidance gaps on the official API
                    .build();
            wasched.templates().save("order_shipped", "Your order {{order}} ships on {{day}}.");
            wasched.start();                                           // and wasched.close(), server.close() when the application stops
            // docs:docs/cloud-api.md#setting-up-a-number:end

            try (wasched) {
                wasched.schedules().create(ScheduleSpec.builder().account("shop").to(Target.number(CloudFixture.BOB))
                        .template("order_shipped", Map.of("order", "A-17", "day", "Monday"))
                        .trigger(Trigger.once(Instant.now())).build());
                await().atMost(Duration.ofSeconds(30)).until(() -> !fixture.api.receivedBy(CloudFixture.BOB).isEmpty());
            }
            CloudMessage m = fixture.api.receivedBy(CloudFixture.BOB).get(0);
            assertThat(m.templateName()).isEqualTo("order_shipped");
            assertThat(m.templateLanguage()).isEqualTo("en_US");
            assertThat(m.templateParameters()).containsExactly("A-17", "Monday");
        }
    }
}
