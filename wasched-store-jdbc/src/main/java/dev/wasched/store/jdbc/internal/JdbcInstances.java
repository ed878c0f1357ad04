package dev.wasched.store.jdbc.internal;

import dev.wasched.spi.store.InstanceInfo;
import dev.wasched.spi.store.InstanceRepository;
import java.time.Instant;
import java.util.List;

/** Instance heartbeats in {@code wasched_instance}. */
public final class JdbcInstances implements InstanceRepository {
    /** The beat of an instance whose row exists (parameters: {@link #updateParams}). */
    static final String UPDATE = "UPDATE wasched_instance SET host = ?, started_at = ?, last_seen_at = ?, expires_at = ?,"
            + " weight = ? WHERE id = ?";

    static List<Object> updateParams(InstanceInfo i) {
        return java.util.Arrays.asList(i.host(), i.startedAt(), i.lastSeenAt(), i.expiresAt(), i.weight(), i.id());
    }

    private final Db db;

    public JdbcInstances(Db db) {
        this.db = db;
    }

    @Override
    public void heartbeat(InstanceInfo i) {
        db.call("heartbeat", c -> {
            // Update, else insert; an insert that lost a race to another writer of the same id updates after all.
            for (int attempt = 0; attempt < 3; attempt++) {
                if (Sql.update(c, UPDATE, updateParams(i)) == 1) {
                    return null;
                }
                if (db.dialect().insertIgnoringDuplicates(c, "wasched_instance", List.of("id", "host", "started_at",
                        "last_seen_at", "expires_at", "weight"), List.<Object[]>of(new Object[]{i.id(), i.host(),
                        i.startedAt(), i.lastSeenAt(), i.expiresAt(), i.weight()})) == 1) {
                    return null;
                }
            }
            return null;
        });
    }

    @Override
    public List<InstanceInfo> live(Instant now) {
        return db.call("live instances", c -> Sql.query(c,
                "SELECT * FROM wasched_instance WHERE expires_at > ? ORDER BY id", rs -> new InstanceInfo(
                        rs.getString("id"), rs.getString("host"), Sql.instant(rs, "started_at"),
                        Sql.instant(rs, "last_seen_at"), Sql.instant(rs, "expires_at"), rs.getInt("weight")), now));
    }

    @Override
    public void remove(String id) {
        db.call("remove instance", c -> Sql.update(c, "DELETE FROM wasched_instance WHERE id = ?", id));
    }
}
