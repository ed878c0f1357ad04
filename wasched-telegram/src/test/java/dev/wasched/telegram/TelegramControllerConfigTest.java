package dev.wasched.telegram;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.wasched.Secret;
import dev.wasched.ValidationException;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class TelegramControllerConfigTest {
    private static TelegramControllerConfig.Builder builder() {
        return TelegramControllerConfig.builder().token(Secret.of("123456789:some-token")).allowChat(42);
    }

    @Test
    void requeueConfirmationsExpireAfterFiveMinutesUnlessConfigured() {
        assertThat(builder().build().requeueConfirmExpiry()).isEqualTo(Duration.ofMinutes(5));
        assertThat(builder().requeueConfirmExpiry(Duration.ofMinutes(2)).build().requeueConfirmExpiry())
                .isEqualTo(Duration.ofMinutes(2));
        assertThatThrownBy(() -> builder().requeueConfirmExpiry(Duration.ofSeconds(5)).build())
                .isInstanceOf(ValidationException.class).hasMessageContaining("requeueConfirmExpiry");
        assertThatThrownBy(() -> builder().requeueConfirmExpiry(Duration.ofHours(2)).build())
                .isInstanceOf(ValidationException.class).hasMessageContaining("at most 1 hour");
    }
}
