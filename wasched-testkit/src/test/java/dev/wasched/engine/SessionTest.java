package dev.wasched.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.wasched.Secret;
import dev.wasched.ValidationException;
import dev.wasched.Wasched;
import dev.wasched.event.WaschedEvent;
import dev.wasched.session.AccountState;
import dev.wasched.spi.store.SessionSnapshot;
import dev.wasched.testkit.transport.RecordingTransport;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;

/**
 * The WhatsApp login survives restarts; a corrupt, tampered or unencrypted-despite-a-key snapshot is quarantined, never
 * loaded; one under another key is left alone and never replaced.
 */
class SessionTest extends EngineFixture {
    private static final Secret KEY = Secret.of(Base64.getEncoder().encodeToString(new byte[32]));
    private static final Secret OTHER_KEY = Secret.of(Base64.getEncoder().encodeToString("k".repeat(32).getBytes()));

    private RecordingTransport restart(Secret key) {
        wasched.close();
        RecordingTransport next = new RecordingTransport(ACCOUNT, log).requireLogin();
        wasched = Wasched.builder().store(store).clock(clock).instanceId("test-" + System.nanoTime()).transport(next)
                .sessionKey(key).listener(events::add).build();
        events.clear();
        wasched.runDue();
        return next;
    }

    private void linkFirst(Secret key) {
        build(b -> b.sessionKey(key));
        transport.requireLogin();
        wasched.runDue();
        assertThat(wasched.sessions().status(ACCOUNT).state()).isEqualTo(AccountState.QR);
        assertThat(events(WaschedEvent.LoginQrCode.class)).hasSize(1);
        transport.scanQr();
        wasched.runDue();
        assertThat(wasched.sessions().status(ACCOUNT).state()).isEqualTo(AccountState.READY);
    }

    @Test
    void restartRestoresTheSessionWithoutAQrCode() {
        linkFirst(null);
        RecordingTransport next = restart(null);
        assertThat(wasched.sessions().status(ACCOUNT).state()).isEqualTo(AccountState.READY);
        assertThat(events(WaschedEvent.LoginQrCode.class)).isEmpty();
        assertThat(next.starts()).isEqualTo(1);
    }

    @Test
    void aFlippedByteIsDetectedAndQuarantined() {
        linkFirst(null);
        SessionSnapshot s = store.sessions().load(ACCOUNT).orElseThrow();
        byte[] bad = s.data().clone();
        bad[0] ^= 0x01;
        store.sessions().delete(ACCOUNT);
        store.sessions().replace(new SessionSnapshot(ACCOUNT, bad, s.sha256(), false, s.savedAt(), 1));
        restart(null);
        assertThat(wasched.sessions().status(ACCOUNT).state()).as("fresh login").isEqualTo(AccountState.QR);
        assertThat(events(WaschedEvent.SessionQuarantined.class)).singleElement()
                .satisfies(e -> assertThat(e.reason()).contains("checksum"));
        assertThat(store.sessions().quarantinedCount(ACCOUNT)).isEqualTo(1);
    }

    @Test
    void encryptedSessionsAreUnreadableInTheStoreAndAWrongKeyLeavesThemAlone() {
        linkFirst(KEY);
        SessionSnapshot s = store.sessions().load(ACCOUNT).orElseThrow();
        assertThat(s.encrypted()).isTrue();
        assertThat(new String(s.data(), StandardCharsets.ISO_8859_1)).doesNotContain("session-of-" + ACCOUNT);
        restart(KEY);
        assertThat(wasched.sessions().status(ACCOUNT).state()).isEqualTo(AccountState.READY);

        RecordingTransport wrong = restart(OTHER_KEY);
        assertThat(wasched.sessions().status(ACCOUNT).state()).isEqualTo(AccountState.FAILED);
        assertThat(wasched.sessions().status(ACCOUNT).detail()).contains("wrong session key");
        assertThat(wrong.starts()).as("no fresh login that would replace the stored one").isZero();
        assertThat(events(WaschedEvent.LoginQrCode.class)).isEmpty();
        assertThat(events(WaschedEvent.SessionQuarantined.class)).isEmpty();
        assertThat(store.sessions().quarantinedCount(ACCOUNT)).isZero();
        assertThat(store.sessions().load(ACCOUNT)).as("left where it is").contains(s);

        restart(null);
        assertThat(wasched.sessions().status(ACCOUNT).state()).as("no key at all").isEqualTo(AccountState.FAILED);
        assertThat(store.sessions().load(ACCOUNT)).contains(s);

        restart(KEY);
        assertThat(wasched.sessions().status(ACCOUNT).state()).as("the right key again").isEqualTo(AccountState.READY);
    }

    @Test
    void aPlaintextSnapshotIsRefusedWhenAKeyIsSet() {
        linkFirst(null);
        assertThat(store.sessions().load(ACCOUNT).orElseThrow().encrypted()).isFalse();
        restart(KEY);
        assertThat(wasched.sessions().status(ACCOUNT).state()).as("fresh login").isEqualTo(AccountState.QR);
        assertThat(events(WaschedEvent.SessionQuarantined.class)).singleElement()
                .satisfies(e -> assertThat(e.reason()).contains("not encrypted"));
    }

    @Test
    void anUnencryptedSessionCanBeAdoptedOnceWhenEncryptionIsTurnedOn() {
        linkFirst(null);
        wasched.close();
        RecordingTransport next = new RecordingTransport(ACCOUNT, log).requireLogin();
        wasched = Wasched.builder().store(store).clock(clock).instanceId("adopting").transport(next)
                .sessionKey(KEY).adoptUnencryptedSessions(true).listener(events::add).build();
        events.clear();
        wasched.runDue();
        assertThat(wasched.sessions().status(ACCOUNT).state()).as("no new link").isEqualTo(AccountState.READY);
        assertThat(events(WaschedEvent.SessionQuarantined.class)).isEmpty();
        assertThat(store.sessions().load(ACCOUNT).orElseThrow().encrypted()).as("saved encrypted at once").isTrue();
        restart(KEY);
        assertThat(wasched.sessions().status(ACCOUNT).state()).as("without adopting again").isEqualTo(AccountState.READY);
        assertThatThrownBy(() -> Wasched.builder().store(store).adoptUnencryptedSessions(true).build())
                .isInstanceOf(ValidationException.class).hasMessageContaining("adoptUnencryptedSessions");
    }

    @Test
    void quarantinedSessionsAreDeletedAfterTheirRetention() {
        linkFirst(null);
        restart(KEY); // the unencrypted login is set aside
        assertThat(store.sessions().quarantinedCount(ACCOUNT)).isEqualTo(1);
        wasched.close();
        clock.advance(java.time.Duration.ofDays(6));
        restart(KEY);
        assertThat(store.sessions().quarantinedCount(ACCOUNT)).as("kept for a week").isEqualTo(1);
        wasched.close();
        clock.advance(java.time.Duration.ofDays(2));
        restart(KEY);
        assertThat(store.sessions().quarantinedCount(ACCOUNT)).as("then deleted").isZero();
    }

    @Test
    void keysRotateThroughThePreviousKey() {
        linkFirst(KEY);
        wasched.close();
        RecordingTransport next = new RecordingTransport(ACCOUNT, log).requireLogin();
        wasched = Wasched.builder().store(store).clock(clock).instanceId("rotating").transport(next)
                .sessionKey(OTHER_KEY).previousSessionKey(KEY).listener(events::add).build();
        events.clear();
        wasched.runDue();
        assertThat(wasched.sessions().status(ACCOUNT).state()).isEqualTo(AccountState.READY);
        RecordingTransport after = restart(OTHER_KEY); // loading under the previous key saved it under the new one
        assertThat(wasched.sessions().status(ACCOUNT).state()).as("the old key is no longer needed")
                .isEqualTo(AccountState.READY);
        assertThat(after.starts()).isEqualTo(1);
        assertThat(events(WaschedEvent.LoginQrCode.class)).isEmpty();
    }

    @Test
    void aBadKeyIsRejectedWhenBuilding() {
        assertThatThrownBy(() -> Wasched.builder().store(store).sessionKey(Secret.of("short")).build())
                .isInstanceOf(ValidationException.class).hasMessageContaining("sessionKey");
        assertThat(KEY.toString()).doesNotContain(KEY.reveal());
    }

    @Test
    void logoutForgetsTheSession() {
        linkFirst(null);
        wasched.sessions().logout(ACCOUNT);
        wasched.runDue();
        assertThat(store.sessions().load(ACCOUNT)).isEmpty();
        assertThat(wasched.sessions().status(ACCOUNT).state()).isEqualTo(AccountState.LOGGED_OUT);
    }
}
