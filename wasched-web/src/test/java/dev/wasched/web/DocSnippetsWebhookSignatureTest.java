package dev.wasched.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.wasched.Secret;
import dev.wasched.Wasched;
import dev.wasched.contact.Contact;
import dev.wasched.contact.ContactSpec;
import dev.wasched.memory.InMemoryStore;
import dev.wasched.policy.RetryPolicy;
import dev.wasched.schedule.ScheduleSpec;
import dev.wasched.schedule.Target;
import dev.wasched.schedule.Trigger;
import dev.wasched.testkit.transport.RecordingTransport;
import dev.wasched.webhook.WebhookOptions;
import dev.wasched.webhook.WebhookSignature;
import dev.wasched.webhook.WebhookSpec;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The webhook examples of docs/events-and-webhooks.md that need a receiver: wasched built with the options shown
 * posts to a servlet, which checks each request's signature both ways shown.
 */
class DocSnippetsWebhookSignatureTest {
    private final Server server = new Server();

    /** What the servlet made of each request: its type, and whether each check found it genuine. */
    record Received(String type, boolean withWasched, boolean withoutWasched, boolean withAnotherSecret) {
    }

    @AfterEach
    void stop() throws Exception {
        server.stop();
    }

    @Test
    void signedEventsReachTheReceiverAndBothChecksFindThemGenuine() throws Exception {
        Secret secret = Secret.of("docs-webhook-secret");
        List<Received> received = new CopyOnWriteArrayList<>();
        String url = receiver(secret, received);
        InMemoryStore store = new InMemoryStore();
        RecordingTransport whatsapp = new RecordingTransport("shop");

        // docs:docs/events-and-webhooks.md#webhooks:begin
        Wasched wasched = Wasched.builder().store(store).transport(whatsapp)
                .webhooks(WebhookOptions.DEFAULT.withPollInterval(Duration.ofMillis(500))
                    .withRetry(new RetryPolicy(10, Duration.ofSeconds(2), Duration.ofMinutes(5), 2.0, 0.25))
                    .withRequestTimeout(Duration.ofSeconds(5)).withMaxAge(Duration.ofHours(6)).withRetention(Duration.ofDays(1)))
                .build();
        // docs:docs/events-and-webhooks.md#webhooks:end

        try (wasched) {
            wasched.webhooks().register(WebhookSpec.of(url, secret, "DeliverySent"));
            wasched.start();
            Contact ann = wasched.contacts().create(ContactSpec.builder().name("Ann").phone("+4915112345678").build());
            wasched.schedules().create(ScheduleSpec.builder().account("shop").to(Target.contacts(ann.id()))
                    .text("Hello").trigger(Trigger.once(Instant.now())).build());
            await().atMost(Duration.ofSeconds(30)).until(() -> !received.isEmpty());
        }
        assertThat(received).singleElement()
                .isEqualTo(new Received("DeliverySent", true, true, false));
    }

    /** Starts a servlet that checks what it is sent; its URL. */
    private String receiver(Secret secret, List<Received> received) throws Exception {
        HttpServlet servlet = new HttpServlet() {
            @Override
            protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
                // docs:docs/events-and-webhooks.md#webhooks:begin
                String body = new String(request.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                boolean genuine = WebhookSignature.verify(secret, request.getHeader("X-Wasched-Timestamp"), body,
                        request.getHeader("X-Wasched-Signature"), Duration.ofMinutes(5), Instant.now());
                // docs:docs/events-and-webhooks.md#webhooks:end
                String timestamp = request.getHeader("X-Wasched-Timestamp");
                String signature = request.getHeader("X-Wasched-Signature");
                received.add(new Received(request.getHeader("X-Wasched-Event-Type"), genuine,
                        withoutWasched(secret.reveal(), timestamp, body, signature),
                        withoutWasched("another secret", timestamp, body, signature)));
                response.setStatus(204);
            }
        };
        ServerConnector connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        server.addConnector(connector);
        ServletContextHandler context = new ServletContextHandler();
        context.addServlet(new ServletHolder(servlet), "/hook");
        server.setHandler(context);
        server.start();
        return "http://127.0.0.1:" + connector.getLocalPort() + "/hook";
    }

    /** The check the page shows for a receiver without wasched on its class path. */
    private static boolean withoutWasched(String secret, String timestamp, String body, String signature) {
        try {
            // docs:docs/events-and-webhooks.md#webhooks:begin
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            String expected = "sha256=" + HexFormat.of().formatHex(
                    mac.doFinal((timestamp + "." + body).getBytes(StandardCharsets.UTF_8)));
            boolean genuine = MessageDigest.isEqual(expected.getBytes(StandardCharsets.US_ASCII),
                    signature.getBytes(StandardCharsets.US_ASCII));
            // docs:docs/events-and-webhooks.md#webhooks:end
            return genuine;
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
