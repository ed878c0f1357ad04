package dev.wasched.readme;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wasched.Secret;
import dev.wasched.Wasched;
import dev.wasched.memory.InMemoryStore;
import dev.wasched.testkit.transport.RecordingTransport;
import dev.wasched.webhook.WebhookEndpoint;
import dev.wasched.webhook.WebhookSpec;
import java.net.URI;
import org.junit.jupiter.api.Test;

/**
 * The endpoint example of docs/events-and-webhooks.md (the signature and options examples run in wasched-web, which
 * has a servlet container to receive them).
 */
class DocSnippetsWebhooksTest {

    @Test
    void endpointsAreRegisteredFromTheEnvironmentAndRemoved() {
        try (Wasched wasched = Wasched.builder().store(new InMemoryStore()).transport(new RecordingTransport("shop"))
                .build()) {
            // docs:docs/events-and-webhooks.md#webhooks:begin
            WebhookEndpoint hook = wasched.webhooks().register(WebhookSpec.of("https://crm.example.com/wasched",
                    Secret.fromEnv("WASCHED_WEBHOOK_SECRET"), "DeliverySent", "DeliveryDead", "MessageReceived"));
            wasched.webhooks().list();                   // every endpoint
            wasched.webhooks().update(hook.id(), WebhookSpec.of("https://crm.example.com/wasched/v2",
                    Secret.fromEnv("WASCHED_WEBHOOK_SECRET")));   // new URL, events (none: all of them) or secret
            wasched.webhooks().failed(hook.id(), 50);    // events given up on
            wasched.webhooks().remove(hook.id());        // and its undelivered events
            // docs:docs/events-and-webhooks.md#webhooks:end

            assertThat(hook.spec().url()).isEqualTo(URI.create("https://crm.example.com/wasched"));
            assertThat(hook.spec().events()).containsExactlyInAnyOrder("DeliverySent", "DeliveryDead", "MessageReceived");
            assertThat(hook.spec().secret()).as("read from the environment").isEqualTo(Secret.of("docs-webhook-secret"));
            assertThat(wasched.webhooks().list()).isEmpty();
            assertThat(wasched.webhooks().find(hook.id())).isEmpty();
        }
    }
}
