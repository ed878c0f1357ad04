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

/** The WhatsApp login survives restarts; a corrupt or undecryptable snapshot is quarantined, never loaded. */
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
    void encryptedSessionsAreUnreadableInTheStoreAndNeedTheKey() {
        linkFirst(KEY);
        SessionSnapshot s = store.sessions().load(ACCOUNT).orElseThrow();
        assertThat(s.encrypted()).isTrue();
        assertThat(new String(s.data(), StandardCharsets.ISO_8859_1)).doesNotContain("session-of-" + ACCOUNT);
        restart(KEY);
        assertThat(wasched.sessions().status(ACCOUNT).state()).isEqualTo(AccountState.READY);
        restart(OTHER_KEY);
        assertThat(wasched.sessions().status(ACCOUNT).state()).isEqualTo(AccountState.QR);
        assertThat(events(WaschedEvent.SessionQuarantined.class)).singleElement()
                .satisfies(e -> assertThat(e.reason()).contains("decryption failed"));
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
