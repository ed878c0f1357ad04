package dev.wasched.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.wasched.Secret;
import dev.wasched.ValidationException;
import dev.wasched.Wasched;
import dev.wasched.memory.InMemoryStore;
import java.net.URI;
import java.util.Set;
import org.junit.jupiter.api.Test;

class WebhookSpecTest {
    private static final Secret S = Secret.of("s");

    private static void rejected(Runnable r, String field) {
        assertThatThrownBy(r::run).isInstanceOf(ValidationException.class)
                .satisfies(e -> assertThat(((ValidationException) e).field()).isEqualTo(field));
    }

    @Test
    void aUrlMustBeHttpOrHttpsWithAHost() {
        rejected(() -> WebhookSpec.of("ftp://example.com/x", S), "url");
        rejected(() -> WebhookSpec.of("mailto:ops@example.com", S), "url");
        rejected(() -> WebhookSpec.of("https:///no-host", S), "url");
        rejected(() -> WebhookSpec.of("/relative", S), "url");
        rejected(() -> WebhookSpec.of("http://exa mple.com", S), "url");
        rejected(() -> WebhookSpec.of(" ", S), "url");
        assertThat(WebhookSpec.of("HTTPS://hooks.example.com:8443/in?x=1", S).url())
                .isEqualTo(URI.create("HTTPS://hooks.example.com:8443/in?x=1"));
    }

    @Test
    void eventTypesMustBeKnownAndEmptyMeansAll() {
        rejected(() -> WebhookSpec.of("https://h.example/x", S, "DeliverySent", "NoSuchEvent"), "events");
        WebhookSpec all = WebhookSpec.of("https://h.example/x", S);
        assertThat(all.events()).isEmpty();
        assertThat(WebhookEventTypes.ALL).allSatisfy(t -> assertThat(all.wants(t)).isTrue());
        WebhookSpec some = WebhookSpec.of("https://h.example/x", S, "DeliveryDead");
        assertThat(some.wants("DeliveryDead")).isTrue();
        assertThat(some.wants("DeliverySent")).isFalse();
        assertThat(WebhookEventTypes.ALL).contains("DeliverySent", "DeliveryAcknowledged", "MessageReceived",
                "AccountStateChanged");
    }

    @Test
    void aSecretIsRequiredAndNotEmpty() {
        rejected(() -> new WebhookSpec(URI.create("https://h.example/x"), Set.of(), null), "secret");
        rejected(() -> WebhookSpec.of("https://h.example/x", Secret.of("")), "secret");
    }

    @Test
    void theServiceRegistersListsUpdatesAndRemovesEndpointsInTheStore() {
        InMemoryStore store = new InMemoryStore();
        try (Wasched wasched = Wasched.builder().store(store).instanceId("hooks").build()) {
            WebhookEndpoint e = wasched.webhooks().register(WebhookSpec.of("https://h.example/x", S, "DeliveryDead"));
            assertThat(wasched.webhooks().list()).containsExactly(e);
            assertThat(store.webhooks().endpoints()).containsExactly(e);
            WebhookEndpoint u = wasched.webhooks().update(e.id(), WebhookSpec.of("http://h.example/y", Secret.of("t")));
            assertThat(u.version()).isEqualTo(1);
            assertThat(wasched.webhooks().find(e.id())).contains(u);
            assertThatThrownBy(() -> wasched.webhooks().update("nope", u.spec()))
                    .isInstanceOf(dev.wasched.NotFoundException.class);
            assertThat(wasched.webhooks().failed(e.id(), 10)).isEmpty();
            assertThat(wasched.webhooks().remove(e.id())).isTrue();
            assertThat(wasched.webhooks().list()).isEmpty();
        }
    }
}
