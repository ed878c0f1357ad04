package dev.wasched.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.wasched.Wasched;
import dev.wasched.memory.InMemoryStore;
import dev.wasched.webhook.WebhookEndpoint;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfiguredWebhooksTest {
    @TempDir
    Path dir;

    private CliConfig config(String text) throws Exception {
        Path file = Files.writeString(dir.resolve("wasched.properties"), text);
        return CliConfig.load(file, Map.of("HOOK_SECRET", "s1", "OTHER_SECRET", "s2"));
    }

    @Test
    void declaredEndpointsAreRegisteredOnceAndUpdatedWhenTheirDeclarationChanges() throws Exception {
        InMemoryStore store = new InMemoryStore();
        try (Wasched w = Wasched.builder().store(store).instanceId("cli").build()) {
            CliConfig first = config("webhook.crm.url = https://crm.example.com/in\n"
                    + "webhook.crm.events = DeliverySent, DeliveryDead\nwebhook.crm.secret.env = HOOK_SECRET\n");
            List<WebhookEndpoint> made = ConfiguredWebhooks.apply(first, w);
            assertThat(made).singleElement().satisfies(e -> {
                assertThat(e.spec().events()).containsExactlyInAnyOrder("DeliverySent", "DeliveryDead");
                assertThat(e.secret().reveal()).isEqualTo("s1");
            });
            assertThat(ConfiguredWebhooks.apply(first, w)).containsExactlyElementsOf(made);
            assertThat(w.webhooks().list()).hasSize(1);

            CliConfig changed = config("webhook.crm.url = https://crm.example.com/in\n"
                    + "webhook.crm.secret.env = OTHER_SECRET\nwebhooks.requestTimeout = PT3S\n");
            WebhookEndpoint updated = ConfiguredWebhooks.apply(changed, w).get(0);
            assertThat(updated.id()).isEqualTo(made.get(0).id());
            assertThat(updated.spec().events()).as("none: all").isEmpty();
            assertThat(updated.secret().reveal()).isEqualTo("s2");
            assertThat(ConfiguredWebhooks.options(changed).requestTimeout()).isEqualTo(Duration.ofSeconds(3));
        }
    }

    @Test
    void aBadDeclarationNamesItsKey() throws Exception {
        try (Wasched w = Wasched.builder().store(new InMemoryStore()).instanceId("cli").build()) {
            assertThatThrownBy(() -> ConfiguredWebhooks.apply(config("webhook.crm.url = ftp://x.example/in\n"
                    + "webhook.crm.secret.env = HOOK_SECRET\n"), w)).isInstanceOf(ConfigException.class)
                    .hasMessageContaining("webhook.crm.url");
            assertThatThrownBy(() -> ConfiguredWebhooks.apply(config("webhook.crm.url = https://x.example/in\n"), w))
                    .isInstanceOf(ConfigException.class).hasMessageContaining("webhook.crm.secret.env");
            assertThatThrownBy(() -> ConfiguredWebhooks.apply(config("webhook.crm.url = https://x.example/in\n"
                    + "webhook.crm.secret = inline\n"), w)).isInstanceOf(ConfigException.class)
                    .hasMessageContaining("not read from the file");
        }
    }
}
