package dev.wasched.examples.cli;

import dev.wasched.Secret;
import dev.wasched.ValidationException;
import dev.wasched.Wasched;
import dev.wasched.webhook.WebhookEndpoint;
import dev.wasched.webhook.WebhookOptions;
import dev.wasched.webhook.WebhookSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Webhooks declared in the configuration: {@code webhook.NAME.url}, {@code webhook.NAME.events} (comma-separated,
 * none for all) and {@code webhook.NAME.secret.env}; and the delivery settings {@code webhooks.pollInterval},
 * {@code webhooks.requestTimeout}, {@code webhooks.maxAge}. A declared endpoint is matched to a registered one by
 * its URL: registered when missing, updated when its events or secret differ. Endpoints registered otherwise (API,
 * {@code webhooks add}) are left alone.
 */
final class ConfiguredWebhooks {
    private static final String PREFIX = "webhook.";

    private ConfiguredWebhooks() {
    }

    static WebhookOptions options(CliConfig c) {
        WebhookOptions d = WebhookOptions.DEFAULT;
        return d.withPollInterval(c.duration("webhooks.pollInterval", d.pollInterval()))
                .withRequestTimeout(c.duration("webhooks.requestTimeout", d.requestTimeout()))
                .withMaxAge(c.duration("webhooks.maxAge", d.maxAge()));
    }

    /** Makes the declared endpoints exist as declared; returns them as registered. */
    static List<WebhookEndpoint> apply(CliConfig c, Wasched w) {
        List<WebhookEndpoint> out = new ArrayList<>();
        for (String key : c.keysStartingWith(PREFIX)) {
            if (!key.endsWith(".url")) {
                continue;
            }
            String name = key.substring(0, key.length() - ".url".length());
            WebhookSpec spec = spec(c, name);
            Optional<WebhookEndpoint> same = w.webhooks().list().stream().filter(e -> e.url().equals(spec.url()))
                    .findFirst();
            if (same.isEmpty()) {
                out.add(w.webhooks().register(spec));
            } else if (!same.get().spec().equals(spec)) {
                out.add(w.webhooks().update(same.get().id(), spec));
            } else {
                out.add(same.get());
            }
        }
        return out;
    }

    private static WebhookSpec spec(CliConfig c, String name) {
        Secret secret = c.secret(name + ".secret").orElseThrow(() -> new ConfigException(name
                + ".secret.env: name the environment variable that holds the signing secret"));
        try {
            return WebhookSpec.of(c.get(name + ".url", ""), secret, c.list(name + ".events").toArray(String[]::new));
        } catch (ValidationException e) {
            throw new ConfigException(name + "." + e.field() + ": " + e.getMessage());
        }
    }
}
