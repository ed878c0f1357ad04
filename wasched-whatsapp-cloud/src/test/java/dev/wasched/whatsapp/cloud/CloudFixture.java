package dev.wasched.whatsapp.cloud;

import static org.awaitility.Awaitility.await;

import dev.wasched.Secret;
import dev.wasched.testkit.cloud.FakeCloudApi;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;

/** The fake Cloud API with a webhook receiver on the JDK server that it pushes to. */
final class CloudFixture implements AutoCloseable {
    static final String ANN = "+491701234567";
    static final String BOB = "+491707654321";
    static final String NOBODY = "+491709990000";
    static final String VERIFY_TOKEN = "verify-me";

    final FakeCloudApi api;
    final CloudWebhook webhook;
    final CloudWebhookServer server;

    CloudFixture() {
        this(FakeCloudApi.builder());
    }

    CloudFixture(FakeCloudApi.Builder builder) {
        api = builder.start();
        webhook = CloudWebhook.builder().appSecret(Secret.of(api.appSecret())).verifyToken(Secret.of(VERIFY_TOKEN))
                .build();
        server = CloudWebhookServer.start(webhook, new InetSocketAddress("127.0.0.1", 0), "/whatsapp");
        api.webhookUrl(server.url());
        api.registerNumber(ANN);
        api.registerNumber(BOB);
    }

    CloudApiConfig.Builder config(String account) {
        return CloudApiConfig.builder().account(account).phoneNumberId(api.phoneNumberId())
                .accessToken(Secret.of(api.accessToken())).baseUrl(api.baseUrl()).webhook(webhook)
                .requestTimeout(Duration.ofSeconds(5));
    }

    /** The customer writes to the business; returns once the webhook has seen it (the window is open). */
    String customerWrote(String number) {
        String id = api.injectIncoming(number, "hello");
        await().atMost(Duration.ofSeconds(10)).until(() -> webhook.windows()
                .open(api.phoneNumberId(), number.substring(1), Instant.now()));
        return id;
    }

    @Override
    public void close() {
        server.close();
        api.close();
    }
}
