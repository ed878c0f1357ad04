package dev.wasched.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.wasched.PageRequest;
import dev.wasched.Secret;
import dev.wasched.Wasched;
import dev.wasched.contact.Contact;
import dev.wasched.contact.ContactSpec;
import dev.wasched.delivery.Delivery;
import dev.wasched.delivery.DeliveryQuery;
import dev.wasched.delivery.DeliveryStatus;
import dev.wasched.event.WaschedEvent;
import dev.wasched.inbound.InboundMessage;
import dev.wasched.policy.PacingPolicy;
import dev.wasched.schedule.Schedule;
import dev.wasched.schedule.ScheduleSpec;
import dev.wasched.schedule.Target;
import dev.wasched.schedule.Trigger;
import dev.wasched.session.AccountState;
import dev.wasched.spi.store.WaschedStore;
import dev.wasched.store.jdbc.JdbcStore;
import dev.wasched.testkit.cloud.CloudMessage;
import dev.wasched.testkit.cloud.CloudStatus;
import dev.wasched.testkit.cloud.FakeCloudApi;
import dev.wasched.testkit.cloud.TemplateStatus;
import dev.wasched.testkit.whatsapp.LinkRejectedException;
import dev.wasched.testkit.whatsapp.ReceivedMessage;
import dev.wasched.testkit.whatsapp.WhatsAppWebSimulator;
import dev.wasched.whatsapp.PlaywrightTransport;
import dev.wasched.whatsapp.cloud.CloudApiConfig;
import dev.wasched.whatsapp.cloud.CloudApiTransport;
import dev.wasched.whatsapp.cloud.CloudWebhook;
import dev.wasched.whatsapp.cloud.CloudWebhookServer;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The Cloud API transport as a host wires it, on H2 and on PostgreSQL: the fake Cloud API over HTTP pushing signed
 * webhooks to a {@link CloudWebhookServer}, and in the same engine a WhatsApp Web account: the browser transport in
 * Chromium against the WhatsApp Web simulator, linked by its QR code. A tag campaign reaches READ by webhook (and the one customer outside the
 * 24-hour window is refused before sending), a reply arrives as an inbound message linked to what it answers, a
 * template goes out outside the window, a forged webhook is refused, a redelivered one is applied once, and a send
 * whose HTTP answer was dropped is settled by its status webhook without a second send.
 */
@Tag("browser")
class CloudApiEndToEndTest {
    private static final String CLOUD = "shop-cloud";
    private static final String WEB = "shop-web";
    private static final String ANN = "+491701234567";
    private static final String BOB = "+491707654321";
    private static final String CID = "+491705550000";
    private static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    @RegisterExtension
    final Resources resources = new Resources();
    private final List<WaschedEvent> events = new CopyOnWriteArrayList<>();
    private Wasched wasched;

    private WaschedStore store(String kind) throws Exception {
        if (kind.equals("h2")) {
            return resources.add(JdbcStore.embedded(dir.resolve("wasched")));
        }
        EmbeddedPostgres postgres = resources.add(EmbeddedPostgres.builder().start());
        HikariConfig pool = new HikariConfig();
        pool.setDataSource(postgres.getPostgresDatabase());
        pool.setMaximumPoolSize(6);
        return resources.add(JdbcStore.builder(resources.add(new HikariDataSource(pool))).autoMigrate(true).build());
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgresql"})
    void aCloudNumberAndAWebAccountSideBySide(String storeKind) throws Exception {
        FakeCloudApi api = resources.add(FakeCloudApi.builder().start());
        api.registerNumber(ANN);
        api.registerNumber(BOB);
        api.registerNumber(CID);
        api.template("appointment_reminder", "en_US", "Hi {{1}}, see you on {{2}}.", TemplateStatus.APPROVED);
        CloudWebhook webhook = CloudWebhook.builder().appSecret(Secret.of(api.appSecret()))
                .verifyToken(Secret.of("verify")).build();
        CloudWebhookServer server = resources.add(CloudWebhookServer.start(webhook,
                new InetSocketAddress("127.0.0.1", 0), "/whatsapp"));
        api.webhookUrl(server.url());
        CloudApiConfig cloud = CloudApiConfig.builder().account(CLOUD).phoneNumberId(api.phoneNumberId())
                .accessToken(Secret.of(api.accessToken())).baseUrl(api.baseUrl()).webhook(webhook)
                .template("appointment_reminder", "en_US", "Hi {{name}}, see you on {{day}}.").build();
        // The WhatsApp Web account: the browser transport in Chromium against the simulator, linked by its QR code.
        WhatsAppWebSimulator phone = resources.add(WhatsAppWebSimulator.builder().loadingScreen(Duration.ofMillis(100))
                .pollInterval(Duration.ofMillis(100)).build().start());
        phone.registerNumber(CID, "Cid");

        wasched = resources.add(Wasched.builder()
                .store(store(storeKind))
                .instanceId("cloud-e2e-" + storeKind)
                .transport(CLOUD, () -> new CloudApiTransport(cloud))
                .transport(WEB, () -> new PlaywrightTransport(SimulatorTransport.config(WEB, phone,
                        dir.resolve("browser")).build()))
                .pacing(CLOUD, CloudApiTransport.PACING)
                .pacing(WEB, PacingPolicy.unlimited())
                .heartbeatInterval(Duration.ofMillis(300)) // uncertain deliveries are looked up once per heartbeat
                .listener(events::add)
                .build());
        wasched.start();
        await().atMost(WAIT).pollInterval(Duration.ofMillis(100)).until(() -> {
            try {
                phone.scanQr(phone.awaitQrPayload(WAIT));
                return true;
            } catch (LinkRejectedException e) {
                return false; // rotated meanwhile
            }
        });
        await().atMost(WAIT).until(() -> wasched.sessions().status(CLOUD).state() == AccountState.READY
                && wasched.sessions().status(WEB).state() == AccountState.READY);

        Contact ann = wasched.contacts().create(ContactSpec.builder().name("Ann").phone(ANN).tag("vip").build());
        Contact bob = wasched.contacts().create(ContactSpec.builder().name("Bob").phone(BOB).tag("vip").build());
        Contact cid = wasched.contacts().create(ContactSpec.builder().name("Cid").phone(CID).tag("vip").build());
        // Ann and Bob wrote to the business today: their 24-hour windows are open. Cid never wrote.
        api.injectIncoming(ANN, "Do you open on Sunday?");
        api.injectIncoming(BOB, "Hello");
        await().atMost(WAIT).until(() -> inbound(ann).size() == 1 && inbound(bob).size() == 1);

        // 1. A tag campaign: Ann and Bob get it and read it; Cid, outside the window, is refused before sending.
        Schedule sale = wasched.schedules().create(ScheduleSpec.builder().account(CLOUD).to(Target.tag("vip"))
                .text("Spring sale starts today").trigger(Trigger.once(Instant.now())).build());
        await().atMost(WAIT).until(() -> status(sale, ann) == DeliveryStatus.DELIVERED
                && status(sale, bob) == DeliveryStatus.DELIVERED && status(sale, cid) == DeliveryStatus.DEAD);
        assertThat(delivery(sale, cid).lastError()).contains("outside the 24-hour customer-service window");
        assertThat(api.receivedBy(CID)).isEmpty();
        api.readAllBy(ANN);
        api.readAllBy(BOB);
        await().atMost(WAIT).until(() -> status(sale, ann) == DeliveryStatus.READ
                && status(sale, bob) == DeliveryStatus.READ);

        // 2. Ann answers the campaign message: an inbound message linked to the delivery it quotes.
        Delivery toAnn = delivery(sale, ann);
        api.injectIncoming(ANN, "Count me in", toAnn.transportMessageId());
        await().atMost(WAIT).until(() -> inbound(ann).size() == 2);
        InboundMessage reply = inbound(ann).stream().filter(m -> m.text().equals("Count me in")).findFirst()
                .orElseThrow();
        assertThat(reply.sender()).isEqualTo(ANN);
        assertThat(reply.account()).isEqualTo(CLOUD);
        assertThat(reply.repliedDeliveryId()).isEqualTo(toAnn.id());

        // 3. Outside Cid's window, the wasched template goes out as the approved Cloud template.
        wasched.templates().save("appointment_reminder", "Hi {{name}}, see you on {{day}}.");
        Schedule reminder = wasched.schedules().create(ScheduleSpec.builder().account(CLOUD)
                .to(Target.contacts(cid.id())).template("appointment_reminder", Map.of("day", "Friday"))
                .trigger(Trigger.once(Instant.now())).build());
        await().atMost(WAIT).until(() -> status(reminder, cid) == DeliveryStatus.DELIVERED);
        CloudMessage template = api.receivedBy(CID).get(0);
        assertThat(template.templateName()).isEqualTo("appointment_reminder");
        assertThat(template.templateParameters()).containsExactly("Cid", "Friday");
        String cidMessage = delivery(reminder, cid).transportMessageId();
        assertThat(cidMessage).isEqualTo(template.id());

        // 4. A forged READ for it is refused and changes nothing.
        byte[] forged = ("{\"object\":\"whatsapp_business_account\",\"entry\":[{\"id\":\"1\",\"changes\":[{\"field\":"
                + "\"messages\",\"value\":{\"messaging_product\":\"whatsapp\",\"metadata\":{\"display_phone_number\":"
                + "\"15550100200\",\"phone_number_id\":\"" + api.phoneNumberId() + "\"},\"statuses\":[{\"id\":\""
                + cidMessage + "\",\"status\":\"read\",\"timestamp\":\"" + Instant.now().getEpochSecond()
                + "\",\"recipient_id\":\"491705550000\"}]}}]}]}").getBytes(StandardCharsets.UTF_8);
        assertThat(api.post(forged, "sha256=" + "ab".repeat(32))).isEqualTo(401);
        assertThat(api.post(forged, null)).isEqualTo(401);
        assertThat(status(reminder, cid)).isEqualTo(DeliveryStatus.DELIVERED);

        // 5. The real READ arrives; Meta delivering it again is applied once.
        api.status(cidMessage, CloudStatus.READ);
        await().atMost(WAIT).until(() -> status(reminder, cid) == DeliveryStatus.READ);
        assertThat(api.awaitWebhooksPushed(WAIT)).isTrue();
        long duplicatesBefore = webhook.duplicateEvents();
        assertThat(api.redeliverLastNotification()).isEqualTo(200);
        assertThat(webhook.duplicateEvents()).isEqualTo(duplicatesBefore + 1);
        assertThat(acknowledgements(delivery(reminder, cid).id(), DeliveryStatus.READ)).isEqualTo(1);

        // 6. The answer to a send is lost: UNCERTAIN, then settled by its status webhook, never sent twice.
        api.dropNextResponses(1);
        Schedule lost = wasched.schedules().create(ScheduleSpec.builder().account(CLOUD)
                .to(Target.contacts(bob.id())).text("Your voucher: SPRING10").trigger(Trigger.once(Instant.now()))
                .build());
        await().atMost(WAIT).until(() -> events.stream().anyMatch(e -> e instanceof WaschedEvent.DeliveryUncertain u
                && u.delivery().scheduleId().equals(lost.id())));
        await().atMost(WAIT).until(() -> status(lost, bob) == DeliveryStatus.DELIVERED);
        List<CloudMessage> vouchers = api.receivedBy(BOB).stream()
                .filter(m -> m.text().equals("Your voucher: SPRING10")).toList();
        assertThat(vouchers).hasSize(1);
        assertThat(delivery(lost, bob).transportMessageId()).isEqualTo(vouchers.get(0).id());
        assertThat(delivery(lost, bob).attempts()).isEqualTo(1);

        // 7. The WhatsApp Web account of the same engine sends on its own.
        Schedule viaWeb = wasched.schedules().create(ScheduleSpec.builder().account(WEB)
                .to(Target.contacts(cid.id())).text("Sent from the phone's WhatsApp").trigger(Trigger.once(Instant.now()))
                .build());
        assertThat(phone.awaitReceived(CID, 1, WAIT)).extracting(ReceivedMessage::text)
                .containsExactly("Sent from the phone's WhatsApp");
        await().atMost(WAIT).until(() -> status(viaWeb, cid).isSent());
        assertThat(api.receivedBy(CID)).as("not through the Cloud number").hasSize(1);
        assertThat(phone.allReceived()).hasSize(1);
    }

    private List<InboundMessage> inbound(Contact c) {
        return wasched.inbound().list(CLOUD, c.id(), PageRequest.first(50)).items();
    }

    private long acknowledgements(String deliveryId, DeliveryStatus level) {
        return events.stream().filter(e -> e instanceof WaschedEvent.DeliveryAcknowledged a
                && a.delivery().id().equals(deliveryId) && a.delivery().status() == level).count();
    }

    private Delivery delivery(Schedule schedule, Contact contact) {
        List<Delivery> found = wasched.deliveries().history(DeliveryQuery.all().forSchedule(schedule.id())
                .forContact(contact.id()), PageRequest.first(10)).items();
        assertThat(found).hasSizeLessThanOrEqualTo(1);
        return found.isEmpty() ? null : found.get(0);
    }

    private DeliveryStatus status(Schedule schedule, Contact contact) {
        Delivery d = delivery(schedule, contact);
        return d == null ? null : d.status();
    }
}
