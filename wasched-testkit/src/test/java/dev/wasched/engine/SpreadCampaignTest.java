package dev.wasched.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.wasched.ValidationException;
import dev.wasched.Wasched;
import dev.wasched.account.UnknownAccountException;
import dev.wasched.delivery.Delivery;
import dev.wasched.delivery.DeliveryStatus;
import dev.wasched.policy.PacingPolicy;
import dev.wasched.schedule.Schedule;
import dev.wasched.schedule.ScheduleSpec;
import dev.wasched.schedule.Target;
import dev.wasched.schedule.Trigger;
import dev.wasched.session.AccountState;
import dev.wasched.testkit.transport.MessageLog;
import dev.wasched.testkit.transport.RecordingTransport;
import java.time.Duration;
import java.time.ZoneId;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** A campaign spread over several accounts: sticky per contact, each account paced, a paused one's share moved. */
class SpreadCampaignTest extends EngineFixture {
    private static final List<String> NUMBERS = List.of("shop", "shop-2", "shop-3");
    private final Map<String, RecordingTransport> transports = new HashMap<>();

    private Wasched spreadEngine(PacingPolicy pacing) {
        return build(b -> {
            b.pacing(pacing);
            for (String n : NUMBERS.subList(1, NUMBERS.size())) {
                RecordingTransport t = new RecordingTransport(n, log);
                transports.put(n, t);
                b.transport(t);
            }
        });
    }

    private Schedule weekly(String... accounts) {
        return wasched.schedules().create(ScheduleSpec.builder().accounts(accounts).to(Target.tag("all"))
                .text("offer for {{name}}").trigger(Trigger.cron("0 9 * * MON", ZoneId.of("UTC"))).build());
    }

    /** The account each contact heard from, by phone; fails if one heard from two. */
    private Map<String, String> senders(List<MessageLog.Entry> entries) {
        Map<String, Set<String>> by = entries.stream().collect(Collectors.groupingBy(MessageLog.Entry::recipient,
                Collectors.mapping(MessageLog.Entry::account, Collectors.toSet())));
        by.forEach((phone, accounts) -> assertThat(accounts).as("%s heard from one number", phone).hasSize(1));
        return by.entrySet().stream().collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().iterator().next()));
    }

    @Test
    void eachContactHearsFromOneNumberTheSameEveryWeekAndEveryAccountGetsAShare() {
        spreadEngine(PacingPolicy.unlimited());
        for (int i = 0; i < 300; i++) {
            contact("C" + i, String.format("+49151123%05d", i), "all");
        }
        Schedule s = weekly("shop", "shop-2", "shop-3");
        assertThat(s.accounts()).containsExactly("shop", "shop-2", "shop-3");
        assertThat(wasched.schedules().get(s.id()).accounts()).as("stored").containsExactlyElementsOf(s.accounts());

        clock.set(java.time.Instant.parse("2026-06-01T09:00:00Z")); // a Monday
        wasched.runDue();
        Map<String, String> first = senders(log.entries());
        assertThat(first).hasSize(300);
        Map<String, Long> share = first.values().stream().collect(Collectors.groupingBy(a -> a, Collectors.counting()));
        assertThat(share.keySet()).containsExactlyInAnyOrderElementsOf(NUMBERS);
        share.values().forEach(n -> assertThat(n).as("shares %s", share).isBetween(60L, 140L));

        int sentBefore = log.size();
        clock.set(java.time.Instant.parse("2026-06-08T09:00:00Z"));
        wasched.runDue();
        Map<String, String> second = senders(log.entries().subList(sentBefore, log.size()));
        assertThat(second).as("next week, the same number for each contact").isEqualTo(first);
    }

    @Test
    void eachAccountKeepsItsOwnPacing() {
        spreadEngine(PacingPolicy.unlimited().withGap(Duration.ofSeconds(10), Duration.ZERO));
        for (int i = 0; i < 30; i++) {
            contact("C" + i, String.format("+49151123%05d", i), "all");
        }
        weekly("shop", "shop-2", "shop-3");
        clock.set(java.time.Instant.parse("2026-06-01T09:00:00Z"));
        int sent = wasched.runDue();
        assertThat(sent).as("one per account: each has its own gap").isEqualTo(3);
        assertThat(log.entries()).extracting(MessageLog.Entry::account).containsExactlyInAnyOrderElementsOf(NUMBERS);
        assertThat(runAfter(Duration.ofSeconds(5))).as("within the gap").isZero();
        assertThat(runAfter(Duration.ofSeconds(5))).isEqualTo(3);
    }

    @Test
    void aPausedAccountsShareMovesToTheOthersAndComesBackForNewOccurrencesAfterResume() {
        spreadEngine(PacingPolicy.unlimited());
        for (int i = 0; i < 90; i++) {
            contact("C" + i, String.format("+49151123%05d", i), "all");
        }
        Schedule s = weekly("shop", "shop-2", "shop-3");
        // Made ahead (the look-ahead), not yet sent: then shop-2 is paused.
        clock.set(java.time.Instant.parse("2026-06-01T08:59:30Z"));
        wasched.runDue();
        List<Delivery> made = deliveries(DeliveryStatus.PENDING);
        assertThat(made).hasSize(90);
        long ofPaused = made.stream().filter(d -> d.account().equals("shop-2")).count();
        assertThat(ofPaused).isPositive();

        wasched.accounts().pause("shop-2");
        assertThat(deliveries(DeliveryStatus.PENDING)).as("moved before anything was sent")
                .noneMatch(d -> d.account().equals("shop-2")).hasSize(90);
        clock.set(java.time.Instant.parse("2026-06-01T09:00:01Z"));
        wasched.runDue();
        Map<String, String> week1 = senders(log.entries());
        assertThat(week1).hasSize(90).doesNotContainValue("shop-2");

        int before = log.size();
        clock.set(java.time.Instant.parse("2026-06-08T09:00:00Z"));
        wasched.runDue();
        assertThat(senders(log.entries().subList(before, log.size()))).as("still paused").doesNotContainValue("shop-2");

        wasched.accounts().resume("shop-2");
        before = log.size();
        clock.set(java.time.Instant.parse("2026-06-15T09:00:00Z"));
        wasched.runDue();
        Map<String, String> week3 = senders(log.entries().subList(before, log.size()));
        assertThat(week3.values().stream().filter("shop-2"::equals).count()).as("its contacts back").isEqualTo(ofPaused);
        week1.forEach((phone, account) -> {
            if (!week3.get(phone).equals("shop-2")) {
                assertThat(week3.get(phone)).as("the others' contacts never moved").isEqualTo(account);
            }
        });
        assertThat(log.duplicates()).isEmpty();
        assertThat(wasched.schedules().get(s.id()).accounts()).hasSize(3);
    }

    @Test
    void aRestrictedAccountsShareMovesWhileItIsRestrictedAndItSendsAgainOnceItIsBack() {
        spreadEngine(PacingPolicy.unlimited().withGap(Duration.ofSeconds(10), Duration.ZERO));
        for (int i = 0; i < 30; i++) {
            contact("C" + i, String.format("+49151123%05d", i), "all");
        }
        weekly("shop", "shop-2", "shop-3");
        clock.set(java.time.Instant.parse("2026-06-01T09:00:00Z"));
        wasched.runDue();
        transports.get("shop-3").showScreen(AccountState.RESTRICTED, "account restricted");
        wasched.runDue(); // the screen is applied (on the transport-event thread) ...
        wasched.runDue(); // ... and the next heartbeat moves the share
        assertThat(wasched.accounts().get("shop-3").status()).as("not paused: it comes back by itself")
                .isEqualTo(dev.wasched.account.Account.Status.ACTIVE);
        assertThat(deliveries(DeliveryStatus.PENDING)).as("its share moved").noneMatch(d -> d.account().equals("shop-3"));
        for (int i = 0; i < 20; i++) {
            runAfter(Duration.ofSeconds(10));
        }
        assertThat(deliveries(DeliveryStatus.SENT)).hasSize(30);
        senders(log.entries());

        transports.get("shop-3").reconnect();
        int before = log.size();
        clock.set(java.time.Instant.parse("2026-06-08T09:00:00Z"));
        for (int i = 0; i < 20; i++) {
            runAfter(Duration.ofSeconds(10));
        }
        assertThat(log.entries().subList(before, log.size())).extracting(MessageLog.Entry::account)
                .as("back in the campaign").contains("shop-3").hasSize(30);
    }

    @Test
    void everyAccountOfACampaignMustBeRegisteredAndNamedOnce() {
        spreadEngine(PacingPolicy.unlimited());
        assertThatThrownBy(() -> weekly("shop", "nobody")).isInstanceOf(UnknownAccountException.class)
                .hasMessageContaining("'nobody'");
        assertThatThrownBy(() -> weekly("shop", "shop-2", "shop")).isInstanceOf(ValidationException.class)
                .hasMessageContaining("'shop' is named twice");
    }
}
