package dev.wasched.whatsapp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wasched.PageRequest;
import dev.wasched.Wasched;
import dev.wasched.account.AccountSpec;
import dev.wasched.contact.ContactSpec;
import dev.wasched.delivery.Delivery;
import dev.wasched.delivery.DeliveryQuery;
import dev.wasched.delivery.DeliveryStatus;
import dev.wasched.event.WaschedEvent;
import dev.wasched.memory.InMemoryStore;
import dev.wasched.policy.PacingPolicy;
import dev.wasched.schedule.ScheduleSpec;
import dev.wasched.schedule.Target;
import dev.wasched.schedule.Trigger;
import dev.wasched.session.AccountState;
import dev.wasched.testkit.whatsapp.LinkRejectedException;
import dev.wasched.testkit.whatsapp.ReceivedMessage;
import dev.wasched.testkit.whatsapp.WhatsAppWebSimulator;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A campaign spread over three accounts added at run time, each a WhatsApp Web page of its own (one simulator per
 * phone, one Chromium per account): every contact hears from exactly one number, each account keeps its pacing gap,
 * and pausing one mid-campaign moves its share to the other two. What the simulators received is the truth.
 *
 * <p>{@code -Dwasched.spreadCampaign.contacts=3000} runs it at full size (about a minute on two cores); the suite
 * runs 90.
 */
@Tag("browser")
class SpreadCampaignBrowserTest extends BrowserTestBase {
    private static final Logger log = LoggerFactory.getLogger(SpreadCampaignBrowserTest.class);
    private static final List<String> ACCOUNTS = List.of("north", "south", "east");
    private static final Duration GAP = Duration.ofMillis(150);
    private static final int CONTACTS = Integer.getInteger("wasched.spreadCampaign.contacts", 90);

    @Test
    void eachContactHearsFromOneNumberPacingHoldsAndAPausedAccountsShareMoves() {
        Map<String, WhatsAppWebSimulator> sims = new HashMap<>();
        for (String account : ACCOUNTS) {
            sims.put(account, simulator());
        }
        List<String> phones = new ArrayList<>();
        for (int i = 0; i < CONTACTS; i++) {
            String phone = String.format("+4917088%05d", i);
            phones.add(phone);
            sims.values().forEach(sim -> sim.registerNumber(phone));
        }
        List<WaschedEvent> events = new CopyOnWriteArrayList<>();
        Wasched w = Wasched.builder().store(new InMemoryStore()).instanceId("spread")
                .pacing(PacingPolicy.unlimited().withGap(GAP, Duration.ZERO)).fallbackPoll(Duration.ofMillis(500))
                .heartbeatInterval(Duration.ofMillis(500)).listener(events::add)
                .transportFactory("whatsapp-web", a -> new PlaywrightTransport(
                        TestSupport.config(a.name(), sims.get(a.name()).url(), workDir).build()))
                .build();
        toClose.add(w);
        w.start();
        for (String account : ACCOUNTS) {
            w.accounts().add(AccountSpec.builder(account).kind("whatsapp-web").build());
        }
        TestSupport.await("three accounts linked by their QR codes", Duration.ofMinutes(3), () -> {
            for (String account : ACCOUNTS) {
                if (w.sessions().status(account).state() != AccountState.READY) {
                    events.stream().filter(e -> e instanceof WaschedEvent.LoginQrCode q && q.account().equals(account))
                            .map(e -> ((WaschedEvent.LoginQrCode) e).payload()).reduce((a, b) -> b)
                            .ifPresent(qr -> scan(sims.get(account), qr));
                    return false;
                }
            }
            return true;
        });
        for (String phone : phones) {
            w.contacts().create(ContactSpec.builder().name("C " + phone).phone(phone).tag("all").build());
        }
        w.schedules().create(ScheduleSpec.builder().accounts(ACCOUNTS).to(Target.tag("all"))
                .text("Spring offer for {{name}}").trigger(Trigger.once(Instant.now())).build());

        // Bounds for a stuck engine, not claims about speed: they grow with the campaign.
        Duration patience = Duration.ofSeconds(120 + CONTACTS / 2);
        TestSupport.await("a third sent", patience, () -> sent(w).size() >= CONTACTS / 3);
        w.accounts().pause("south");
        int southAtPause = sims.get("south").allReceived().size();
        TestSupport.await("every message sent", patience, () -> sent(w).size() == CONTACTS);

        Map<String, String> senderOf = new HashMap<>();
        for (String account : ACCOUNTS) {
            for (ReceivedMessage m : sims.get(account).allReceived()) {
                assertThat(senderOf.put(m.chat(), account)).as("%s heard once, from one number", m.chat()).isNull();
            }
        }
        assertThat(senderOf.keySet()).containsExactlyInAnyOrderElementsOf(phones);
        assertThat(sims.get("south").allReceived().size()).as("the paused account stopped (one send in flight at most)")
                    .isBetween(southAtPause, southAtPause + 1);
        assertThat(w.deliveries().history(DeliveryQuery.all(), PageRequest.first(1)).items()).isNotEmpty();
        for (String account : ACCOUNTS) {
            List<Instant> times = sent(w).stream().filter(d -> d.account().equals(account)).map(Delivery::sentAt)
                    .sorted(Comparator.naturalOrder()).toList();
            for (int i = 1; i < times.size(); i++) {
                assertThat(Duration.between(times.get(i - 1), times.get(i))).as("%s keeps its gap", account)
                        .isGreaterThanOrEqualTo(GAP.multipliedBy(8).dividedBy(10));
            }
            log.info("{} sent {}", account, times.size());
        }
        assertThat(sent(w).stream().filter(d -> d.account().equals("north")).count()).isPositive();
        assertThat(sent(w).stream().filter(d -> d.account().equals("east")).count()).isPositive();
    }

    private static void scan(WhatsAppWebSimulator sim, String qr) {
        try {
            sim.scanQr(qr);
        } catch (LinkRejectedException e) {
            // rotated meanwhile, or linked already: the next look brings the news
        }
    }

    private static List<Delivery> sent(Wasched w) {
        List<Delivery> out = new ArrayList<>();
        PageRequest page = PageRequest.first(1000);
        while (true) {
            var found = w.deliveries().history(DeliveryQuery.status(DeliveryStatus.SENT, DeliveryStatus.DELIVERED,
                    DeliveryStatus.READ), page);
            out.addAll(found.items());
            if (found.nextCursor().isEmpty()) {
                return out;
            }
            page = PageRequest.after(found.nextCursor().get(), 1000);
        }
    }
}
