package dev.wasched.whatsapp.cloud;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.wasched.Secret;
import dev.wasched.ValidationException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The webhook receiver: handshake, signatures, redeliveries, over the JDK server and as a servlet. */
class CloudWebhookTest {
    private final CloudFixture fixture = new CloudFixture();
    private final HttpClient http = HttpClient.newHttpClient();

    @AfterEach
    void stop() {
        fixture.close();
    }

    private HttpResponse<String> get(String query) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(fixture.server.url() + "?" + query)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void theHandshakeAnswersTheChallengeOnlyForTheVerifyToken() throws Exception {
        HttpResponse<String> ok = get("hub.mode=subscribe&hub.verify_token=verify-me&hub.challenge=1158201444");
        assertThat(ok.statusCode()).isEqualTo(200);
        assertThat(ok.body()).isEqualTo("1158201444");
        assertThat(get("hub.mode=subscribe&hub.verify_token=guess&hub.challenge=1").statusCode()).isEqualTo(403);
        assertThat(get("hub.mode=unsubscribe&hub.verify_token=verify-me&hub.challenge=1").statusCode()).isEqualTo(403);
        assertThat(get("hub.challenge=1").statusCode()).isEqualTo(403);
        assertThat(get("hub.mode=subscribe&hub.verify_token=&hub.challenge=1").statusCode()).isEqualTo(403);
    }

    private static byte[] incoming(String phoneNumberId, String messageId) {
        return ("{\"object\":\"whatsapp_business_account\",\"entry\":[{\"id\":\"1\",\"changes\":[{\"field\":\"messages\","
                + "\"value\":{\"messaging_product\":\"whatsapp\",\"metadata\":{\"display_phone_number\":\"15550100200\","
                + "\"phone_number_id\":\"" + phoneNumberId + "\"},\"contacts\":[{\"wa_id\":\"491701234567\",\"profile\":"
                + "{\"name\":\"Ann\"}}],\"messages\":[{\"from\":\"491701234567\",\"id\":\"" + messageId + "\","
                + "\"timestamp\":\"1700000000\",\"type\":\"text\",\"text\":{\"body\":\"hi\"}}]}}]}]}")
                .getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void aForgedOrUnsignedNotificationIsRefusedAndNothingIsApplied() {
        byte[] body = incoming(fixture.api.phoneNumberId(), "wamid.forged");
        assertThat(fixture.api.post(body, "sha256=" + "0".repeat(64))).isEqualTo(401);
        assertThat(fixture.api.post(body, null)).isEqualTo(401);
        byte[] tampered = incoming(fixture.api.phoneNumberId(), "wamid.other");
        assertThat(fixture.api.post(tampered, fixture.api.signature(body))).isEqualTo(401);
        assertThat(fixture.webhook.refusedNotifications()).isEqualTo(3);
        assertThat(fixture.webhook.windows().wroteEver(fixture.api.phoneNumberId(), "491701234567")).isFalse();
    }

    @Test
    void aSignedNotificationForANumberNotStartedHereIsAnswered503SoMetaDeliversItAgain() {
        byte[] body = incoming(fixture.api.phoneNumberId(), "wamid.early");
        assertThat(fixture.api.post(body, fixture.api.signature(body))).isEqualTo(503);
        byte[] notJson = "nope".getBytes(StandardCharsets.UTF_8);
        assertThat(fixture.api.post(notJson, fixture.api.signature(notJson))).isEqualTo(400);
    }

    @Test
    void theServletInAContainerAnswersTheHandshakeAndChecksSignatures() throws Exception {
        org.eclipse.jetty.server.Server jetty = new org.eclipse.jetty.server.Server();
        org.eclipse.jetty.server.ServerConnector connector = new org.eclipse.jetty.server.ServerConnector(jetty);
        connector.setHost("127.0.0.1");
        jetty.addConnector(connector);
        org.eclipse.jetty.ee10.servlet.ServletContextHandler context = new org.eclipse.jetty.ee10.servlet
                .ServletContextHandler();
        context.addServlet(new org.eclipse.jetty.ee10.servlet.ServletHolder(new CloudWebhookServlet(fixture.webhook)),
                "/hooks/whatsapp");
        jetty.setHandler(context);
        jetty.start();
        try {
            String url = "http://127.0.0.1:" + connector.getLocalPort() + "/hooks/whatsapp";
            HttpResponse<String> handshake = http.send(HttpRequest.newBuilder(URI.create(url
                    + "?hub.mode=subscribe&hub.verify_token=" + CloudFixture.VERIFY_TOKEN + "&hub.challenge=42"))
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertThat(handshake.statusCode()).isEqualTo(200);
            assertThat(handshake.body()).isEqualTo("42");
            assertThat(http.send(HttpRequest.newBuilder(URI.create(url + "?hub.mode=subscribe&hub.verify_token=guess"
                    + "&hub.challenge=42")).build(), HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(403);

            byte[] body = incoming(fixture.api.phoneNumberId(), "wamid.servlet");
            assertThat(post(url, body, "sha256=" + "0".repeat(64))).as("forged").isEqualTo(401);
            assertThat(post(url, body, null)).as("unsigned").isEqualTo(401);
            assertThat(post(url, body, fixture.api.signature(body))).as("signed, for a number not started here")
                    .isEqualTo(503);
        } finally {
            jetty.stop();
        }
    }

    private int post(String url, byte[] body, String signature) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (signature != null) {
            b.header("X-Hub-Signature-256", signature);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString()).statusCode();
    }

    @Test
    void settingsAreValidatedNamingTheProblem() {
        assertThatThrownBy(() -> CloudWebhook.builder().verifyToken(Secret.of("v")).build())
                .isInstanceOf(ValidationException.class).hasMessageContaining("appSecret");
        assertThatThrownBy(() -> CloudApiConfig.builder().account("a").phoneNumberId("+4917012")
                .accessToken(Secret.of("t")).build()).isInstanceOf(ValidationException.class)
                .hasMessageContaining("phoneNumberId");
        assertThatThrownBy(() -> CloudApiConfig.builder().account("a").phoneNumberId("1234567")
                .accessToken(Secret.of("t")).apiVersion("23").build()).isInstanceOf(ValidationException.class)
                .hasMessageContaining("apiVersion");
        assertThatThrownBy(() -> new CloudTemplate("Order Shipped", "en_US", "x"))
                .isInstanceOf(ValidationException.class).hasMessageContaining("template.name");
        assertThat(CloudApiConfig.builder().account("a").phoneNumberId("1234567").accessToken(Secret.of("tok"))
                .build().toString()).doesNotContain("tok");
    }

    @Test
    void aTemplateBodyGivesItsParametersInOrderOnlyForItsOwnText() {
        CloudTemplate t = new CloudTemplate("order_shipped", "en_US", "Hi {{name}}, order {{order}} ships {{day}}.");
        assertThat(t.placeholders()).containsExactly("name", "order", "day");
        assertThat(t.parametersOf("Hi Ann, order A-1 ships on Monday.")).hasValue(java.util.List.of("Ann", "A-1",
                "on Monday"));
        assertThat(t.parametersOf("Hello Ann, order A-1 ships on Monday.")).isEmpty();
        assertThat(t.parametersOf("Hi Ann, order A-1 ships on Monday. Thanks")).isEmpty();
        assertThat(new CloudTemplate("hello", "en", "Hello!").parametersOf("Hello!")).hasValue(java.util.List.of());
    }
}
