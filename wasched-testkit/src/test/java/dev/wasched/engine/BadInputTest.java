package dev.wasched.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.wasched.NotFoundException;
import dev.wasched.PageRequest;
import dev.wasched.ValidationException;
import dev.wasched.contact.Contact;
import dev.wasched.contact.ContactSpec;
import dev.wasched.contact.DuplicateContactException;
import dev.wasched.contact.InvalidPhoneNumberException;
import dev.wasched.message.MissingTemplateVariableException;
import dev.wasched.schedule.InvalidCronExpressionException;
import dev.wasched.schedule.ScheduleSpec;
import dev.wasched.schedule.Target;
import dev.wasched.schedule.Trigger;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Every kind of bad input is a typed error that names the problem, and nothing already stored changes. */
class BadInputTest extends EngineFixture {
    private Contact ann;
    private List<Object> before;

    @BeforeEach
    void seed() {
        build();
        ann = contact("Ann", "+4915112345678", "vip");
        wasched.templates().save("promo", "Hi {{name}}, use {{code}}");
        wasched.schedules().create(ScheduleSpec.builder().account(ACCOUNT).to(Target.contacts(ann.id()))
                .template("promo", Map.of("code", "X")).trigger(Trigger.cron("0 9 * * *", ZoneId.of("UTC"))).build());
        before = snapshot();
    }

    private List<Object> snapshot() {
        return List.of(wasched.contacts().list(PageRequest.first(100)).items(), wasched.templates().list(),
                wasched.schedules().list(PageRequest.first(100)).items(), deliveries());
    }

    private void rejected(ThrowingCallable call, Class<? extends Throwable> type, String... mentions) {
        var a = assertThatThrownBy(call).isInstanceOf(type);
        for (String m : mentions) {
            a.hasMessageContaining(m);
        }
        assertThat(snapshot()).as("nothing stored changed").isEqualTo(before);
    }

    @Test
    void invalidPhone() {
        rejected(() -> contact("Bob", "12-not-a-number"), InvalidPhoneNumberException.class, "'12-not-a-number'");
        rejected(() -> wasched.contacts().update(ann.id(), ContactSpec.builder().phone("+1").build()),
                InvalidPhoneNumberException.class, "'+1'");
    }

    @Test
    void duplicatePhone() {
        rejected(() -> contact("Ann again", "+49 151 12345678"), DuplicateContactException.class, "+4915112345678");
    }

    @Test
    void invalidTagAndField() {
        rejected(() -> contact("Bob", "+4915112345679", "no spaces allowed"), ValidationException.class,
                "'no spaces allowed'");
        rejected(() -> wasched.contacts().create(ContactSpec.builder().phone("+4915112345679").field("1bad", "x").build()),
                ValidationException.class, "'1bad'");
    }

    @Test
    void missingTemplateVariable() {
        rejected(() -> wasched.schedules().create(ScheduleSpec.builder().account(ACCOUNT).to(Target.contacts(ann.id()))
                        .template("promo", Map.of()).trigger(Trigger.once(clock.instant())).build()),
                MissingTemplateVariableException.class, "'code'");
        rejected(() -> wasched.templates().render("promo", Map.of("name", "x")), MissingTemplateVariableException.class,
                "'code'");
    }

    @Test
    void invalidCron() {
        rejected(() -> wasched.schedules().create(ScheduleSpec.builder().account(ACCOUNT).to(Target.contacts(ann.id()))
                        .text("x").trigger(Trigger.cron("every monday", ZoneId.of("UTC"))).build()),
                InvalidCronExpressionException.class, "'every monday'");
    }

    @Test
    void emptyOrOverlongMessage() {
        rejected(() -> ScheduleSpec.builder().account(ACCOUNT).to(Target.contacts(ann.id())).text("   ")
                .trigger(Trigger.once(clock.instant())).build(), ValidationException.class, "empty");
        rejected(() -> ScheduleSpec.builder().account(ACCOUNT).to(Target.contacts(ann.id())).text("x".repeat(70_000))
                .trigger(Trigger.once(clock.instant())).build(), ValidationException.class, "70000", "65536");
        rejected(() -> wasched.templates().save("long", "x".repeat(70_000)), ValidationException.class, "65536");
    }

    @Test
    void unknownContactTemplateScheduleAndDelivery() {
        rejected(() -> wasched.schedules().create(ScheduleSpec.builder().account(ACCOUNT).to(Target.contacts("nope"))
                .text("x").trigger(Trigger.once(clock.instant())).build()), NotFoundException.class, "contact", "'nope'");
        rejected(() -> wasched.schedules().create(ScheduleSpec.builder().account(ACCOUNT).to(Target.contacts(ann.id()))
                .template("missing", Map.of()).trigger(Trigger.once(clock.instant())).build()),
                NotFoundException.class, "template", "'missing'");
        rejected(() -> wasched.contacts().get("nope"), NotFoundException.class, "'nope'");
        rejected(() -> wasched.schedules().pause("nope"), NotFoundException.class, "schedule");
        rejected(() -> wasched.deliveries().requeue("nope"), NotFoundException.class, "delivery");
        rejected(() -> wasched.templates().delete("missing"), NotFoundException.class, "template");
        rejected(() -> wasched.sessions().status("no-such-account"), NotFoundException.class, "account");
    }

    @Test
    void triggerThatNeverFires() {
        rejected(() -> wasched.schedules().create(ScheduleSpec.builder().account(ACCOUNT).to(Target.contacts(ann.id()))
                        .text("x").trigger(Trigger.cron("0 0 30 2 *", ZoneId.of("UTC"))).build()),
                ValidationException.class, "never fires");
        rejected(() -> wasched.schedules().create(ScheduleSpec.builder().account(ACCOUNT).to(Target.contacts(ann.id()))
                        .text("x").trigger(Trigger.once(clock.instant().plusSeconds(60))).endAt(clock.instant()).build()),
                ValidationException.class, "never fires");
    }

    @Test
    void requeueOfAnActiveDeliveryIsRefused() {
        wasched.schedules().create(ScheduleSpec.builder().account(ACCOUNT).to(Target.contacts(ann.id())).text("now")
                .trigger(Trigger.once(clock.instant())).build());
        wasched.runDue();
        var sent = deliveries().get(0);
        assertThatThrownBy(() -> wasched.deliveries().requeue(sent.id()))
                .isInstanceOf(dev.wasched.delivery.IllegalDeliveryTransitionException.class).hasMessageContaining("SENT");
    }

    @Test
    void pageLimitsAreChecked() {
        rejected(() -> PageRequest.first(0), ValidationException.class, "limit");
        rejected(() -> PageRequest.first(100_000), ValidationException.class, "limit");
    }
}
