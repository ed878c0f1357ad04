package dev.wasched.contact;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.ZoneId;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class PhoneNumberTest {
    @ParameterizedTest
    @CsvSource({
            "+49 151 23456789, , +4915123456789",
            "0049-151-23456789, , +4915123456789",
            "0151 23456789, DE, +4915123456789",
            "(415) 555-0132, US, +14155550132",
            "+91 98765 43210, DE, +919876543210"})
    void parsesWhatPeopleType(String input, String region, String e164) {
        assertThat(PhoneNumber.parse(input, region).e164()).isEqualTo(e164);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "   ", "hello", "+49 1", "+999 123456789", "12345", "+4915123456789012345"})
    void rejectsInvalidNumbersNamingTheInput(String input) {
        assertThatThrownBy(() -> PhoneNumber.parse(input, null))
                .isInstanceOf(InvalidPhoneNumberException.class)
                .hasMessageContaining("'" + input + "'")
                .satisfies(e -> assertThat(((InvalidPhoneNumberException) e).input()).isEqualTo(input));
    }

    @Test
    void nationalNumberWithoutRegionSaysWhatIsMissing() {
        assertThatThrownBy(() -> PhoneNumber.parse("0151 23456789", null))
                .hasMessageContaining("default region");
    }

    @Test
    void veryLongInputIsCutInTheMessage() {
        String input = "1".repeat(10_000);
        assertThatThrownBy(() -> PhoneNumber.parse(input, "DE"))
                .isInstanceOf(InvalidPhoneNumberException.class)
                .hasMessageContaining("longer than 64");
    }

    @Test
    void knowsRegionAndZone() {
        PhoneNumber de = PhoneNumber.of("+4915123456789");
        assertThat(de.region()).contains("DE");
        assertThat(de.zone()).contains(ZoneId.of("Europe/Berlin"));
        assertThat(de.digits()).isEqualTo("4915123456789");
        assertThat(PhoneNumber.of("+12125550123").zone()).contains(ZoneId.of("America/New_York"));
    }
}
