package dev.wasched.telegram;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wasched.NotFoundException;
import dev.wasched.schedule.Schedule;
import dev.wasched.schedule.ScheduleSpec;
import dev.wasched.schedule.Target;
import dev.wasched.schedule.Trigger;
import dev.wasched.testkit.telegram.EditedMessage;
import dev.wasched.testkit.telegram.InlineButton;
import dev.wasched.testkit.telegram.SentMessage;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class SchedulesCommandTest extends TelegramFixture {
    private final List<Schedule> schedules = new ArrayList<>();

    @BeforeEach
    void start() {
        startAll();
        String ann = contact("Ann", "+4915112345678").id();
        for (int i = 1; i <= 7; i++) {
            schedules.add(wasched.schedules().create(ScheduleSpec.builder().name("s" + i).account(ACCOUNT)
                    .to(i % 2 == 0 ? Target.tag("customers") : Target.contacts(ann))
                    .text("Message " + i).trigger(Trigger.cron("0 8 * * MON-FRI", ZoneId.of("Europe/Berlin")))
                    .build()));
        }
    }

    @Test
    void pagesOfFiveWithButtonsAndPageTurning() {
        SentMessage page1 = ask(ME, "/schedules");

        assertThat(page1.text()).startsWith("Schedules, page 1")
                .contains("1. 's1'\n   to Ann (+4915112345678) via shop\n   “Message 1”\n   cron 0 8 * * MON-FRI (Europe/Berlin) · next ",
                        "2. 's2'\n   to #customers", "5. 's5'")
                .doesNotContain("'s6'");
        assertThat(page1.buttons()).extracting(InlineButton::text).containsExactly(
                "⏸ Pause 1", "🗑 Delete 1", "⏸ Pause 2", "🗑 Delete 2", "⏸ Pause 3", "🗑 Delete 3",
                "⏸ Pause 4", "🗑 Delete 4", "⏸ Pause 5", "🗑 Delete 5", "Next »");
        assertThat(page1.buttons()).allSatisfy(b -> assertThat(b.callbackData().getBytes()).hasSizeLessThanOrEqualTo(64));

        press(ME, page1, "Next »");
        EditedMessage page2 = telegram.awaitEdit(ME, e -> e.text().startsWith("Schedules, page 2"), WAIT);
        assertThat(page2.messageId()).isEqualTo(page1.messageId());
        assertThat(page2.text()).contains("6. 's6'", "7. 's7'").doesNotContain("'s5'");
        assertThat(page2.buttons()).extracting(InlineButton::text)
                .containsExactly("⏸ Pause 6", "🗑 Delete 6", "⏸ Pause 7", "🗑 Delete 7", "« First");

        assertThat(press(ME, page1.messageId(), "s:n")).isEqualTo("This is the last page");
        press(ME, page1.messageId(), "s:f");
        telegram.awaitEdit(ME, e -> e.text().startsWith("Schedules, page 1") && e.text().contains("'s5'"), WAIT);
    }

    @Test
    void aListFromBeforeARestartTurnsToItsSecondPage() {
        SentMessage page1 = ask(ME, "/schedules");
        controller.close();
        startController(c -> { }); // a new controller knows nothing of the pages it did not show

        press(ME, page1, "Next »");

        EditedMessage page2 = telegram.awaitEdit(ME, e -> e.text().startsWith("Schedules, page 2"), WAIT);
        assertThat(page2.messageId()).isEqualTo(page1.messageId());
        assertThat(page2.text()).contains("6. 's6'", "7. 's7'");
        assertThat(press(ME, page1.messageId(), "s:n")).isEqualTo("This is the last page");
    }

    @Test
    void pauseAndResumeWithButtonsEditTheList() {
        SentMessage page1 = ask(ME, "/schedules");

        assertThat(press(ME, page1, "⏸ Pause 2")).isEqualTo("Paused 's2'");
        assertThat(wasched.schedules().get(schedules.get(1).id()).paused()).isTrue();
        EditedMessage edited = telegram.awaitEdit(ME, e -> e.text().contains("⏸ paused"), WAIT);
        assertThat(edited.buttons()).extracting(InlineButton::text).contains("▶ Resume 2", "⏸ Pause 1");

        assertThat(press(ME, page1.messageId(), edited.buttons().stream()
                .filter(b -> b.text().equals("▶ Resume 2")).findFirst().orElseThrow().callbackData()))
                .isEqualTo("Resumed 's2'");
        assertThat(wasched.schedules().get(schedules.get(1).id()).paused()).isFalse();
        telegram.awaitEdit(ME, e -> e.text().contains("2. 's2'") && !e.text().contains("⏸ paused")
                && e.editedAt().isAfter(edited.editedAt()), WAIT);
    }

    @Test
    void deleteAsksFirstThenDeletes() {
        SentMessage page1 = ask(ME, "/schedules");

        assertThat(press(ME, page1, "🗑 Delete 3")).isNull();
        EditedMessage confirm = telegram.awaitEdit(ME, e -> e.text().startsWith("Delete schedule 's3'?"), WAIT);
        assertThat(confirm.buttons()).extracting(InlineButton::text).containsExactly("🗑 Yes, delete", "Keep it");
        assertThat(wasched.schedules().get(schedules.get(2).id())).isNotNull();

        String answer = press(ME, page1.messageId(), confirm.buttons().get(0).callbackData());

        assertThat(answer).isEqualTo("Deleted 's3'");
        Assertions.assertThatThrownBy(() -> wasched.schedules().get(schedules.get(2).id()))
                .isInstanceOf(NotFoundException.class);
        EditedMessage after = telegram.awaitEdit(ME, e -> e.text().startsWith("Schedules, page 1"), WAIT);
        assertThat(after.text()).doesNotContain("'s3'").contains("'s6'");

        // a stale button for the deleted schedule answers clearly
        assertThat(press(ME, page1, "⏸ Pause 3")).isEqualTo("That schedule no longer exists");
        assertThat(press(ME, page1.messageId(), "s:p:../../etc")).startsWith("❌ button: malformed id");
        assertThat(press(ME, page1.messageId(), "zz:unknown")).isEqualTo("Unknown button");
    }
}
