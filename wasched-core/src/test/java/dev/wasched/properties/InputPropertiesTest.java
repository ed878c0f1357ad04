package dev.wasched.properties;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wasched.ValidationException;
import dev.wasched.contact.ContactSpec;
import dev.wasched.contact.InvalidPhoneNumberException;
import dev.wasched.contact.PhoneNumber;
import dev.wasched.message.MissingTemplateVariableException;
import dev.wasched.message.Template;
import dev.wasched.schedule.CronDialect;
import dev.wasched.schedule.InvalidCronExpressionException;
import dev.wasched.schedule.Trigger;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.StringLength;

/** Generated input on every parsing path: only the documented typed errors ever escape. */
class InputPropertiesTest {
    private static final Instant T = Instant.parse("2026-03-29T00:30:00Z");

    @Property(tries = 3000)
    void phoneParsingYieldsE164OrATypedError(@ForAll("phoneLike") String input, @ForAll("regions") String region) {
        try {
            PhoneNumber p = PhoneNumber.parse(input, region);
            assertThat(p.e164()).matches("\\+[1-9][0-9]{6,14}");
            assertThat(PhoneNumber.of(p.e164())).isEqualTo(p);
        } catch (InvalidPhoneNumberException e) {
            assertThat(e.getMessage()).contains("invalid phone number");
        }
    }

    @Property(tries = 2000)
    void anyTextAsPhoneNumber(@ForAll @StringLength(max = 80) String input) {
        try {
            PhoneNumber.parse(input, "DE");
        } catch (InvalidPhoneNumberException e) {
            assertThat(e.input()).isNotNull();
        }
    }

    @Provide
    Arbitrary<String> phoneLike() {
        return Arbitraries.strings().withChars("+0123456789 -()./x").ofMinLength(0).ofMaxLength(25);
    }

    @Provide
    Arbitrary<String> regions() {
        return Arbitraries.of("DE", "US", "IN", "BR", "GB", "ZZ", "xx").injectNull(0.2);
    }

    @Property(tries = 3000)
    void templatesRenderOrNameWhatIsWrong(@ForAll("templateLike") String body, @ForAll("values") Map<String, String> values) {
        Template t;
        try {
            t = new Template("t", body, T, T, 1);
        } catch (ValidationException e) {
            assertThat(e.field()).startsWith("template");
            return;
        }
        try {
            String out = t.render(values);
            assertThat(out).doesNotContain("{{");
        } catch (MissingTemplateVariableException e) {
            assertThat(t.variables()).contains(e.variable());
            assertThat(values).doesNotContainKey(e.variable());
        }
    }

    @Provide
    Arbitrary<String> templateLike() {
        Arbitrary<String> piece = Arbitraries.oneOf(
                Arbitraries.strings().alpha().ofMaxLength(6),
                Arbitraries.of("{{", "}}", "{", "}", " ", "$", "\\", "{{name}}", "{{ code }}", "{{a.b}}", "{{x y}}", "😀"));
        return piece.list().ofMaxSize(12).map(l -> String.join("", l));
    }

    @Provide
    Arbitrary<Map<String, String>> values() {
        return Arbitraries.maps(Arbitraries.of("name", "code", "a.b", "x", "other"),
                Arbitraries.strings().ofMaxLength(8)).ofMaxSize(4);
    }

    @Property(tries = 3000)
    void cronParsesAndComputesOrNamesTheExpression(@ForAll("cronLike") String expression, @ForAll("zones") String zone,
                                                   @ForAll CronDialect dialect) {
        Trigger trigger;
        try {
            trigger = Trigger.cron(expression, ZoneId.of(zone), dialect);
        } catch (InvalidCronExpressionException e) {
            assertThat(e.getMessage()).contains("invalid cron expression").contains("(read as ");
            return;
        }
        trigger.nextAfter(T).ifPresent(next -> assertThat(next).isAfter(T));
    }

    @Provide
    Arbitrary<String> cronLike() {
        Arbitrary<String> field = Arbitraries.oneOf(
                Arbitraries.of("*", "*/5", "0", "30", "1-5", "MON-FRI", "JAN", "L", "?", "#", "60", "24", "-1", "1,2,3",
                        "2/3", "a", "", "99999999999", "W", "15W", "6L", "2#1", "@daily", "@hourly", "@reboot"),
                Arbitraries.integers().between(0, 70).map(String::valueOf));
        Arbitrary<String> spaced = field.list().ofMinSize(0).ofMaxSize(7).map(l -> String.join(" ", l));
        return Arbitraries.oneOf(spaced, Arbitraries.strings().ofMaxLength(30));
    }

    @Provide
    Arbitrary<String> zones() {
        return Arbitraries.of("UTC", "Europe/Berlin", "America/New_York", "Africa/Cairo", "Australia/Lord_Howe");
    }

    @Property(tries = 2000)
    void contactSpecsValidateTagsAndFields(@ForAll("tagLike") String tag, @ForAll("tagLike") String field,
                                           @ForAll @StringLength(max = 1100) String value) {
        try {
            ContactSpec spec = ContactSpec.builder().phone("+4915112345678").tag(tag).field(field, value).build();
            assertThat(spec.tags()).allMatch(t -> t.equals(t.strip()) && !t.isEmpty());
        } catch (ValidationException e) {
            assertThat(e.field()).isIn("tag", "tags", "fields", "fields." + field);
        }
    }

    @Provide
    Arbitrary<String> tagLike() {
        return Combinators.combine(Arbitraries.strings().ofMaxLength(70), Arbitraries.of("", " ", "Ä", "_"))
                .as((a, b) -> b + a);
    }
}
