package dev.wasched.access;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.wasched.ValidationException;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class UserTest {
    private static final Instant T0 = Instant.parse("2026-05-04T10:15:30Z");

    @Test
    void namesAreKeptInLowerCaseAndBadOnesAreRefusedByName() {
        assertThat(User.checkName("  Ana.Lima@Shop ")).isEqualTo("ana.lima@shop");
        assertThatThrownBy(() -> User.checkName("ana lima")).isInstanceOf(ValidationException.class)
                .hasMessageContaining("'ana lima'");
        assertThatThrownBy(() -> User.checkName(" ")).isInstanceOf(ValidationException.class)
                .hasMessageContaining("user");
        assertThatThrownBy(() -> User.create("ana", Role.ADMIN, "", T0)).isInstanceOf(ValidationException.class)
                .hasMessageContaining("passwordHash");
    }

    @Test
    void repeatedWrongPasswordsLockForAWhileAndASuccessClearsTheCount() {
        User u = User.create("ana", Role.OPERATOR, "$argon2id$x", T0);
        for (int i = 1; i < 5; i++) {
            u = u.loginFailed(T0.plusSeconds(i), 5, Duration.ofMinutes(15));
            assertThat(u.lockedAt(T0.plusSeconds(i))).isFalse();
            assertThat(u.failedLogins()).isEqualTo(i);
        }
        User locked = u.loginFailed(T0.plusSeconds(5), 5, Duration.ofMinutes(15));
        assertThat(locked.lockedAt(T0.plusSeconds(6))).isTrue();
        assertThat(locked.lockedAt(T0.plusSeconds(5).plus(Duration.ofMinutes(15)))).isFalse();
        assertThat(locked.failedLogins()).as("counted again after the lock").isZero();
        assertThat(locked.version()).isEqualTo(6);

        User ok = u.loginSucceeded(T0.plusSeconds(6));
        assertThat(ok.failedLogins()).isZero();
        assertThat(ok.lockedUntil()).isNull();
        assertThat(ok.toString()).doesNotContain("argon2");
    }

    @Test
    void rolesIncludeTheRolesBelowThem() {
        assertThat(Role.ADMIN.includes(Role.OPERATOR)).isTrue();
        assertThat(Role.OPERATOR.includes(Role.OPERATOR)).isTrue();
        assertThat(Role.VIEWER.includes(Role.OPERATOR)).isFalse();
    }
}
