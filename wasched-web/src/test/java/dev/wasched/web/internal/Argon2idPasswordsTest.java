package dev.wasched.web.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class Argon2idPasswordsTest {
    private final Argon2idPasswords passwords = new Argon2idPasswords();

    @Test
    void checksTheReferenceImplementationsOwnTestVector() {
        // phc-winner-argon2, src/test.c: "password", salt "somesalt", Argon2id v1.3, 64 MiB, 2 passes, 1 lane.
        String reference = "$argon2id$v=19$m=65536,t=2,p=1$c29tZXNhbHQ$CTFhFdXPJO1aFaMaO6Mm5c8y7cJHAph8ArZWb2GRPPc";
        assertThat(passwords.matches("password".toCharArray(), reference)).isTrue();
        assertThat(passwords.matches("passwore".toCharArray(), reference)).isFalse();
    }

    @Test
    void hashesWithTheDefaultCostsAndAFreshSaltEachTime() {
        String a = passwords.hash("correct horse battery staple".toCharArray());
        String b = passwords.hash("correct horse battery staple".toCharArray());
        assertThat(a).startsWith("$argon2id$v=19$m=19456,t=2,p=1$").isNotEqualTo(b);
        assertThat(passwords.matches("correct horse battery staple".toCharArray(), a)).isTrue();
        assertThat(passwords.matches("correct horse battery stapl".toCharArray(), a)).isFalse();
        assertThat(passwords.matches("ünïcödé pässwörd ✓".toCharArray(), passwords.hash("ünïcödé pässwörd ✓"
                .toCharArray()))).isTrue();
    }

    @Test
    void anythingThatIsNotSuchAHashMatchesNothing() {
        assertThat(passwords.matches("x".toCharArray(), null)).isFalse();
        assertThat(passwords.matches("x".toCharArray(), "plain text")).isFalse();
        assertThat(passwords.matches("x".toCharArray(), "$argon2i$v=19$m=65536,t=2,p=1$c29tZXNhbHQ$abcd")).isFalse();
        assertThat(passwords.matches("x".toCharArray(), "$argon2id$v=19$m=1,t=2,p=1$c29tZXNhbHQ$abcd")).isFalse();
    }
}
