package dev.wasched.testkit.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.wasched.Page;
import dev.wasched.PageRequest;
import dev.wasched.access.ApiKey;
import dev.wasched.access.AuditEntry;
import dev.wasched.access.Role;
import dev.wasched.access.User;
import dev.wasched.spi.store.DuplicateKeyException;
import dev.wasched.spi.store.WaschedStore;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Users, API keys and the audit log as every store must keep them ({@link dev.wasched.spi.store.UserRepository},
 * {@link dev.wasched.spi.store.AuditRepository}); run by {@link StoreCompatibilityKit} on each store.
 */
public abstract class AccessScenarios {
    private static final Instant T0 = Instant.parse("2026-05-04T10:15:30.123Z");
    private static final String HASH = "$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaA";

    /** The store under test. */
    protected abstract WaschedStore store();

    /** Another store object on the same database (the same one where the store has no other). */
    protected abstract WaschedStore anotherStore();

    @Test
    void usersAreKeptWholeAndChangedByCompareAndSet() {
        WaschedStore store = store();
        User ana = User.create("Ana", Role.ADMIN, HASH, T0);
        store.users().insert(ana);
        store.users().insert(User.create("bob@shop.example", Role.VIEWER, HASH + "2", T0));
        assertThat(ana.name()).as("names are kept in lower case").isEqualTo("ana");
        assertThatThrownBy(() -> store.users().insert(User.create("ANA", Role.VIEWER, HASH, T0)))
                .isInstanceOf(DuplicateKeyException.class);
        assertThat(anotherStore().users().find("ana")).contains(ana);
        assertThat(store.users().find("nobody")).isEmpty();

        User failed = ana.loginFailed(T0.plusSeconds(1), 5, Duration.ofMinutes(15));
        assertThat(store.users().update(failed)).isTrue();
        assertThat(store.users().update(failed)).as("the same version again").isFalse();
        assertThat(store.users().update(ana.withRole(Role.VIEWER, T0))).as("from a stale version").isFalse();
        User locked = failed;
        for (int i = 0; i < 4; i++) {
            locked = locked.loginFailed(T0.plusSeconds(2 + i), 5, Duration.ofMinutes(15));
            assertThat(store.users().update(locked)).isTrue();
        }
        User stored = store.users().find("ana").orElseThrow();
        assertThat(stored).isEqualTo(locked);
        assertThat(stored.lockedUntil()).isEqualTo(T0.plusSeconds(5).plus(Duration.ofMinutes(15)));
        assertThat(stored.lockedAt(T0.plusSeconds(60))).isTrue();
        assertThat(stored.passwordHash()).isEqualTo(HASH);

        assertThat(store.users().list()).extracting(User::name).containsExactly("ana", "bob@shop.example");
        assertThat(store.users().delete("bob@shop.example")).isTrue();
        assertThat(store.users().delete("bob@shop.example")).isFalse();
        assertThat(store.users().list()).extracting(User::name).containsExactly("ana");
    }

    @Test
    void apiKeysAreFoundByTheirHashAndRevokedByCompareAndSet() {
        WaschedStore store = store();
        ApiKey crm = new ApiKey("k1", "crm-sync", Role.OPERATOR, "a".repeat(64), "ana", T0, null, 1);
        ApiKey report = new ApiKey("k2", "reports", Role.VIEWER, "b".repeat(64), "ana", T0.plusSeconds(1), null, 1);
        store.users().insertKey(report);
        store.users().insertKey(crm);
        assertThatThrownBy(() -> store.users().insertKey(new ApiKey("k3", "copy", Role.ADMIN, "a".repeat(64), "ana",
                T0, null, 1))).as("the same secret twice").isInstanceOf(DuplicateKeyException.class);
        assertThatThrownBy(() -> store.users().insertKey(new ApiKey("k1", "copy", Role.ADMIN, "c".repeat(64), "ana",
                T0, null, 1))).as("the same id twice").isInstanceOf(DuplicateKeyException.class);
        assertThat(anotherStore().users().findKeyBySecretHash("a".repeat(64))).contains(crm);
        assertThat(store.users().findKeyBySecretHash("c".repeat(64))).isEmpty();

        ApiKey revoked = crm.revoke(T0.plusSeconds(9));
        assertThat(store.users().updateKey(revoked)).isTrue();
        assertThat(store.users().updateKey(crm.revoke(T0.plusSeconds(10)))).as("twice").isFalse();
        assertThat(store.users().findKey("k1")).contains(revoked);
        assertThat(store.users().findKeyBySecretHash("a".repeat(64)).orElseThrow().revoked()).isTrue();
        assertThat(store.users().listKeys()).extracting(ApiKey::id).containsExactly("k1", "k2");
    }

    @Test
    void theAuditLogIsListedNewestFirstPageByPage() {
        WaschedStore store = store();
        List<AuditEntry> written = new ArrayList<>();
        for (int i = 0; i < 23; i++) {
            AuditEntry e = new AuditEntry(String.format("01J%05d", i), T0.plusSeconds(i), "user:ana",
                    i % 2 == 0 ? "schedule.create" : "contact.optOut", "s" + i, i == 3 ? "" : "détail ✓ " + i);
            store.audit().append(e);
            written.add(0, e);
        }
        assertThatThrownBy(() -> store.audit().append(written.get(0))).isInstanceOf(DuplicateKeyException.class);
        List<AuditEntry> read = new ArrayList<>();
        Page<AuditEntry> page = anotherStore().audit().list(PageRequest.first(10));
        read.addAll(page.items());
        while (page.nextCursor().isPresent()) {
            page = store.audit().list(PageRequest.after(page.nextCursor().get(), 10));
            read.addAll(page.items());
        }
        assertThat(read).containsExactlyElementsOf(written);
        assertThat(store.audit().list(PageRequest.first(5)).items()).hasSize(5);
    }
}
