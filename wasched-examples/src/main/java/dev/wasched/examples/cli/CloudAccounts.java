package dev.wasched.examples.cli;

import dev.wasched.Secret;
import dev.wasched.message.Template;
import dev.wasched.spi.store.TemplateRepository;
import dev.wasched.whatsapp.cloud.CloudApiConfig;
import dev.wasched.whatsapp.cloud.CloudApiTransport;
import dev.wasched.whatsapp.cloud.CloudWebhook;
import dev.wasched.whatsapp.cloud.CloudWebhookServer;
import dev.wasched.whatsapp.cloud.ServiceWindowPolicy;
import java.net.InetSocketAddress;
import java.util.Locale;
import java.util.Optional;

/**
 * Accounts on Meta's WhatsApp Cloud API: an account with {@code cloud.ACCOUNT.*} keys runs a
 * {@link CloudApiTransport} instead of a browser, and {@code cloud.webhook.*} serves the one webhook every number of
 * this process shares. {@code cloud.KEY} sets a key for every Cloud API account, {@code cloud.ACCOUNT.KEY} for one.
 */
final class CloudAccounts {
    /** The transport kind of registered Cloud API accounts ({@code wasched accounts add NAME --kind cloud}). */
    static final String KIND = "cloud";
    static final int DEFAULT_WEBHOOK_PORT = 8089;

    private CloudAccounts() {
    }

    /** Whether the file configures {@code account} for the Cloud API (any {@code cloud.ACCOUNT.KEY}). */
    static boolean configured(CliConfig c, String account) {
        return !c.keysStartingWith("cloud." + account + ".").isEmpty();
    }

    /**
     * {@code cloud.webhook.appSecret.env} and {@code cloud.webhook.verifyToken.env}: the webhook every Cloud API
     * number of this process reports to; empty when neither is set (then no statuses or replies arrive).
     */
    static Optional<CloudWebhook> webhook(CliConfig c) {
        Optional<Secret> appSecret = c.secret("cloud.webhook.appSecret");
        Optional<Secret> verifyToken = c.secret("cloud.webhook.verifyToken");
        if (appSecret.isEmpty() && verifyToken.isEmpty()) {
            return Optional.empty();
        }
        if (appSecret.isEmpty() || verifyToken.isEmpty()) {
            throw new ConfigException("cloud.webhook: set both cloud.webhook.appSecret.env (the app secret that signs "
                    + "Meta's notifications) and cloud.webhook.verifyToken.env (the token of the handshake)");
        }
        return Optional.of(RunCommand.configured("cloud.webhook",
                () -> CloudWebhook.builder().appSecret(appSecret.get()).verifyToken(verifyToken.get()).build()));
    }

    /** Serves {@code webhook} at {@code cloud.webhook.bind}:{@code cloud.webhook.port}{@code cloud.webhook.path}. */
    static CloudWebhookServer serve(CliConfig c, CloudWebhook webhook) {
        String bind = c.get("cloud.webhook.bind", "127.0.0.1");
        int port = c.integer("cloud.webhook.port", DEFAULT_WEBHOOK_PORT);
        if (port < 0 || port > 65_535) {
            throw new ConfigException("cloud.webhook.port: 0 to 65535, was " + port);
        }
        String path = c.get("cloud.webhook.path", "/whatsapp");
        return RunCommand.configured("cloud.webhook.path",
                () -> CloudWebhookServer.start(webhook, new InetSocketAddress(bind, port), path));
    }

    /**
     * The settings of {@code account}: {@code phoneNumberId}, {@code accessToken.env}, and optionally
     * {@code apiVersion}, {@code baseUrl}, {@code messagesPerSecond}, {@code maxConcurrentSends},
     * {@code serviceWindow} (ENFORCE or LEAVE_TO_API) and {@code templates}: the approved templates as
     * {@code NAME:LANGUAGE, ...}, each one's body being the wasched template of that name in the store.
     */
    static CloudApiConfig config(CliConfig c, String account, TemplateRepository templates,
                                 Optional<CloudWebhook> webhook) {
        String idKey = key(c, account, "phoneNumberId");
        String tokenKey = key(c, account, "accessToken");
        CloudApiConfig.Builder b = CloudApiConfig.builder().account(account)
                .phoneNumberId(c.get(idKey).orElseThrow(() -> new ConfigException(idKey
                        + ": the business phone number id of account " + account + " (WhatsApp Manager, API setup)")))
                .accessToken(c.secret(tokenKey).orElseThrow(() -> new ConfigException(tokenKey
                        + ".env: name the environment variable that holds account " + account + "'s access token")));
        c.get(key(c, account, "apiVersion")).ifPresent(b::apiVersion);
        c.get(key(c, account, "baseUrl")).ifPresent(v -> RunCommand.configured(key(c, account, "baseUrl"),
                () -> b.baseUrl(v)));
        String rate = key(c, account, "messagesPerSecond");
        b.messagesPerSecond(c.integer(rate, CloudApiConfig.DEFAULT_MESSAGES_PER_SECOND));
        String concurrent = key(c, account, "maxConcurrentSends");
        b.maxConcurrentSends(c.integer(concurrent, CloudApiConfig.DEFAULT_CONCURRENT_SENDS));
        String window = key(c, account, "serviceWindow");
        c.get(window).ifPresent(v -> {
            try {
                b.serviceWindow(ServiceWindowPolicy.valueOf(v.strip().toUpperCase(Locale.ROOT)));
            } catch (IllegalArgumentException e) {
                throw new ConfigException(window + ": ENFORCE or LEAVE_TO_API, not '" + v + "'");
            }
        });
        String listed = key(c, account, "templates");
        for (String entry : c.list(listed)) {
            int colon = entry.indexOf(':');
            if (colon <= 0 || colon == entry.length() - 1) {
                throw new ConfigException(listed + ": NAME:LANGUAGE, such as order_shipped:en_US, not '" + entry + "'");
            }
            String name = entry.substring(0, colon).strip();
            String language = entry.substring(colon + 1).strip();
            Template body = templates.findByName(name).orElseThrow(() -> new ConfigException(listed + ": no template "
                    + "named '" + name + "' in the store; save its approved body as a wasched template first"));
            RunCommand.configured(listed, () -> b.template(name, language, body.body()));
        }
        webhook.ifPresent(b::webhook);
        return RunCommand.configured("cloud." + account, b::build);
    }

    /** The account's own key when it is set, else the one shared by every Cloud API account. */
    private static String key(CliConfig c, String account, String option) {
        String own = "cloud." + account + "." + option;
        return c.get(own).isPresent() || c.get(own + ".env").isPresent() ? own : "cloud." + option;
    }
}
