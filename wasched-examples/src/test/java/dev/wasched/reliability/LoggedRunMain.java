package dev.wasched.reliability;

import static org.awaitility.Awaitility.await;

import dev.wasched.Secret;
import dev.wasched.Wasched;
import dev.wasched.contact.ContactSpec;
import dev.wasched.policy.PacingPolicy;
import dev.wasched.schedule.ScheduleSpec;
import dev.wasched.schedule.Target;
import dev.wasched.schedule.Trigger;
import dev.wasched.session.AccountState;
import dev.wasched.store.jdbc.JdbcStore;
import dev.wasched.telegram.TelegramController;
import dev.wasched.telegram.TelegramControllerConfig;
import dev.wasched.testkit.transport.RecordingTransport;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;

/**
 * The JVM whose every log line {@link LogSecrecyTest} reads: an engine on an H2 file store with encrypted sessions,
 * an account linked by QR login, one scheduled message, and a Telegram controller on the test's fake Bot API. Runs
 * until its standard input closes, then shuts everything down.
 *
 * <p>Secrets come from the environment as a host would pass them: {@code BOT_TOKEN}, {@code SESSION_KEY}, and
 * {@code BOT_API_URL}, {@code MESSAGE_BODY}. Argument: the store file.
 */
public final class LoggedRunMain {
    static final String ACCOUNT = "shop";
    static final long CHAT = 42;
    static final String CONTACT_PHONE = "+4915112345678";
    private static final Duration WAIT = Duration.ofSeconds(60);

    private LoggedRunMain() {
    }

    public static void main(String[] args) throws Exception {
        RecordingTransport transport = new RecordingTransport(ACCOUNT).requireLogin();
        try (JdbcStore store = JdbcStore.embedded(Path.of(args[0]))) {
            Wasched wasched = Wasched.builder().store(store).transport(transport).instanceId("logged-run")
                    .sessionKey(Secret.of(System.getenv("SESSION_KEY"))).pacing(PacingPolicy.unlimited())
                    .defaultRegion("DE").build();
            try (wasched) {
                wasched.start();
                await("QR login offered").atMost(WAIT).until(() -> transport.state() == AccountState.QR);
                transport.scanQr();
                await("account linked").atMost(WAIT).until(() -> transport.state() == AccountState.READY);
                wasched.contacts().create(ContactSpec.builder().name("Ann").phone(CONTACT_PHONE).tag("vip").build());
                wasched.schedules().create(ScheduleSpec.builder().name("greeting").account(ACCOUNT)
                        .to(Target.tag("vip")).text(System.getenv("MESSAGE_BODY"))
                        .trigger(Trigger.once(Instant.now())).build());
                await("scheduled message sent").atMost(WAIT).until(() -> transport.sent().size() == 1);

                TelegramControllerConfig config = TelegramControllerConfig.builder()
                        .token(Secret.of(System.getenv("BOT_TOKEN"))).allowChat(CHAT)
                        .baseUrl(System.getenv("BOT_API_URL")).pollTimeout(Duration.ofSeconds(1))
                        .perChatInterval(Duration.ofMillis(20)).build();
                try (TelegramController controller = new TelegramController(wasched, config)) {
                    controller.start();
                    while (System.in.read() != -1) {
                        // The test closes our standard input when it is done talking to the bot.
                    }
                }
            }
        }
    }
}
