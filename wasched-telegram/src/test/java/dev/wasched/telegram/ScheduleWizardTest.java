package dev.wasched.telegram;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wasched.PageRequest;
import dev.wasched.schedule.Schedule;
import dev.wasched.schedule.Target;
import dev.wasched.schedule.Trigger;
import dev.wasched.testkit.SettableClock;
import dev.wasched.testkit.telegram.InlineButton;
import dev.wasched.testkit.telegram.SentMessage;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import org.junit.jupiter.api.Test;

class ScheduleWizardTest extends TelegramFixture {
    private final SettableClock clock = new SettableClock(Instant.now());

    private List<Schedule> schedules() {
        return wasched.schedules().list(PageRequest.first(100)).items();
    }

    @Test
    void tagTemplateCronAndConfirmWithButtons() {
        startAll();
        contact("Ann", "+4915112345678", "customers");
        wasched.templates().save("morning", "Good morning, {{name}}!");

        SentMessage step1 = ask(ME, "/schedule");
        assertThat(step1.text()).contains("New schedule (via shop)", "Step 1/4");
        SentMessage step2 = ask(ME, "#Customers");
        assertThat(step2.text()).startsWith("To: everyone tagged #customers").contains("Step 2/4");
        assertThat(step2.buttons()).extracting(InlineButton::text).containsExactly("📄 morning", "✖ Cancel");

        int before = telegram.sentMessages(ME).size();
        assertThat(press(ME, step2, "📄 morning")).isEqualTo("Template morning");
        SentMessage step3 = telegram.awaitSentMessage(ME, m -> m.text().contains("Step 3/4"), WAIT);
        assertThat(telegram.sentMessages(ME)).hasSize(before + 1);
        assertThat(step3.text()).startsWith("Message: template 'morning'").contains("Europe/Berlin");

        SentMessage step4 = ask(ME, "0 8 * * MON-FRI");
        assertThat(step4.text()).startsWith("Step 4/4").contains("To: everyone tagged #customers",
                "Message: template 'morning'", "When: cron 0 8 * * MON-FRI (Europe/Berlin), first ", "Account: shop");
        assertThat(schedules()).isEmpty();

        assertThat(press(ME, step4, "✅ Create")).isEqualTo("Creating");

        SentMessage done = telegram.awaitSentMessage(ME, m -> m.text().startsWith("✅ Schedule created"), WAIT);
        assertThat(done.text()).contains("/schedules lists it");
        Schedule s = schedules().get(0);
        assertThat(s.target()).isEqualTo(Target.tag("customers"));
        assertThat(s.message().templateName()).isEqualTo("morning");
        assertThat(s.trigger()).isEqualTo(Trigger.cron("0 8 * * MON-FRI", ZoneId.of("Europe/Berlin")));
        assertThat(s.account()).isEqualTo(ACCOUNT);
        // the wizard is over: its buttons say so
        assertThat(press(ME, step4, "✅ Create")).isEqualTo("This wizard is over; /schedule starts a new one");
    }

    @Test
    void newNumberTextNowTypedYesSendsTheMessage() {
        startAll();
        ask(ME, "/schedule");
        assertThat(ask(ME, "0151 12345678").text()).startsWith("To: +4915112345678 (new contact)");
        assertThat(ask(ME, "Hello {{name}}, the shop opens at 9").text()).startsWith("Message: “Hello {{name}}");
        SentMessage confirm = ask(ME, "now");
        assertThat(confirm.text()).contains("When: now");
        assertThat(wasched.contacts().count()).isZero(); // a new number becomes a contact only on create

        assertThat(ask(ME, "yes").text()).startsWith("✅ Schedule created");

        awaitTrue("sent", () -> log.size() == 1);
        assertThat(log.entries().get(0).recipient()).isEqualTo("+4915112345678");
        assertThat(log.entries().get(0).text()).isEqualTo("Hello , the shop opens at 9");
    }

    @Test
    void severalMatchingContactsArePickedWithAButtonAndTimesAreRead() {
        startAll(c -> c.clock(clock));
        contact("Ann Smith", "+4915112345678");
        contact("Ann Jones", "+4915112345679");
        ask(ME, "/schedule");

        SentMessage choice = ask(ME, "ann");
        assertThat(choice.text()).isEqualTo("Several contacts match 'ann'. Which one?");
        assertThat(press(ME, choice, "Ann Jones (+4915112345679)")).isEqualTo("Ann Jones (+4915112345679)");
        telegram.awaitSentMessage(ME, m -> m.text().startsWith("To: Ann Jones (+4915112345679)"), WAIT);
        ask(ME, "Reminder");

        assertThat(ask(ME, "in 2h").text()).contains("When: once, ");
        ask(ME, "/cancel");
        ask(ME, "/schedule");
        ask(ME, "+4915112345678");
        ask(ME, "Reminder");
        assertThat(ask(ME, "every 90m").text()).contains("When: every 1h 30m");
        assertThat(ask(ME, "yes").text()).startsWith("✅ Schedule created");
        assertThat(schedules().get(0).trigger()).isInstanceOf(Trigger.Every.class);
    }

    @Test
    void badAnswersAreExplainedAndTheStepIsAskedAgain() {
        startAll();
        ask(ME, "/schedule");
        assertThat(ask(ME, "+49 12").text()).isEqualTo("❌ phone: invalid phone number '+49 12': not a valid number");
        assertThat(ask(ME, "nobody").text()).startsWith("No contact matches 'nobody'");
        assertThat(ask(ME, "#no tags!").text()).contains("invalid tag");
        assertThat(ask(ME, "x".repeat(200)).text()).contains("recipient: is 200 characters, the limit is 100");
        ask(ME, "+4915112345678");

        assertThat(ask(ME, "Hi {{oops").text()).contains("malformed placeholder");
        assertThat(ask(ME, "template nosuch").text()).isEqualTo("❌ template not found: 'nosuch'");
        ask(ME, "Hi");

        assertThat(ask(ME, "0 8 * * FOO").text()).contains("invalid cron expression '0 8 * * FOO'");
        assertThat(ask(ME, "2020-01-01 08:00").text()).contains("is in the past");
        assertThat(ask(ME, "2026-02-30 08:00").text()).contains("not a valid date and time");
        assertThat(ask(ME, "someday").text()).contains("could not read 'someday'");
        assertThat(ask(ME, "now").text()).startsWith("Step 4/4");
        assertThat(ask(ME, "maybe").text()).isEqualTo("Press Create or Cancel (or send yes or no).");

        assertThat(ask(ME, "/cancel").text()).isEqualTo("Cancelled; nothing was created.");
        assertThat(ask(ME, "/cancel").text()).isEqualTo("Nothing to cancel.");
        assertThat(schedules()).isEmpty();
    }

    @Test
    void aWizardLeftAloneExpiresAndTheNextAnswerIsToldSo() {
        startAll(c -> c.clock(clock).wizardExpiry(Duration.ofMinutes(10)));
        ask(ME, "/schedule");
        clock.advance(Duration.ofMinutes(9));
        SentMessage step2 = ask(ME, "+4915112345678"); // an answer within the expiry keeps the wizard alive
        assertThat(step2.text()).contains("Step 2/4");
        clock.advance(Duration.ofMinutes(11));

        assertThat(ask(ME, "Hello").text()).isEqualTo("⌛ Your /schedule wizard expired: no answer for 10m. "
                + "Nothing was created. Send /schedule to start again.");
        assertThat(ask(ME, "Hello again").text()).isEqualTo("I understand commands only: /help lists them.");

        // a button of an expired wizard is answered too
        ask(ME, "/schedule");
        SentMessage step1 = ask(ME, "+4915112345678");
        clock.advance(Duration.ofMinutes(11));
        assertThat(press(ME, step1, "✖ Cancel")).isEqualTo("This wizard expired");
        telegram.awaitSentMessage(ME, m -> m.messageId() > step1.messageId() && m.text().startsWith("⌛"), WAIT);
        assertThat(schedules()).isEmpty();
    }

    @Test
    void wizardsOfTwoChatsAreSeparate() {
        startAll();
        ask(ME, "/schedule");
        ask(OTHER, "/schedule");
        assertThat(ask(ME, "+4915112345678").text()).startsWith("To: +4915112345678");
        assertThat(ask(OTHER, "#vip").text()).startsWith("To: everyone tagged #vip");
        ask(ME, "/cancel");
        assertThat(ask(OTHER, "Hi").text()).startsWith("Message: “Hi”");
    }
}
