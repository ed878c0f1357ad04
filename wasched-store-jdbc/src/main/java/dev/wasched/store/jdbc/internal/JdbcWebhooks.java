package dev.wasched.store.jdbc.internal;

import dev.wasched.Secret;
import dev.wasched.spi.store.DuplicateKeyException;
import dev.wasched.spi.store.WebhookRepository;
import dev.wasched.store.jdbc.spi.ClaimStatement;
import dev.wasched.webhook.OutboxEntry;
import dev.wasched.webhook.OutboxStatus;
import dev.wasched.webhook.WebhookEndpoint;
import dev.wasched.webhook.WebhookSpec;
import java.net.URI;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Webhook endpoints in {@code wasched_webhook_endpoint}, their outbox in {@code wasched_webhook_outbox}. A claim is
 * the dialect's claim (SKIP LOCKED on PostgreSQL, compare-and-set on version on H2) over rows that are due, unleased
 * and first of their sequence (a NOT EXISTS probe on the sequence index).
 */
public final class JdbcWebhooks implements WebhookRepository {
    private static final String OUTBOX = "wasched_webhook_outbox";
    private static final List<String> OUTBOX_COLUMNS = List.of("id", "event_id", "endpoint_id", "event_type",
            "order_key", "payload", "created_at", "status", "attempts", "due_at", "version");
    /** Due, unleased, and no earlier PENDING row of the same endpoint and order key. Binds now, now. */
    private static final String CLAIMABLE = "status = 'PENDING' AND due_at <= ?"
            + " AND (lease_until IS NULL OR lease_until <= ?)"
            + " AND NOT EXISTS (SELECT 1 FROM " + OUTBOX + " earlier WHERE earlier.endpoint_id = " + OUTBOX
            + ".endpoint_id AND earlier.order_key = " + OUTBOX + ".order_key AND earlier.status = 'PENDING'"
            + " AND earlier.event_id < " + OUTBOX + ".event_id)";
    private static final String HELD = " WHERE id = ? AND lease_owner = ? AND status = 'PENDING'";

    private final Db db;

    public JdbcWebhooks(Db db) {
        this.db = db;
    }

    private static WebhookEndpoint endpoint(ResultSet rs) throws SQLException {
        String events = rs.getString("events");
        return new WebhookEndpoint(rs.getString("id"), new WebhookSpec(URI.create(rs.getString("url")),
                events.isEmpty() ? Set.of() : Set.of(events.split(",")), Secret.of(rs.getString("secret"))),
                Sql.instant(rs, "created_at"), Sql.instant(rs, "updated_at"), rs.getLong("version"));
    }

    private static OutboxEntry entry(ResultSet rs) throws SQLException {
        return new OutboxEntry(rs.getString("id"), rs.getString("event_id"), rs.getString("endpoint_id"),
                rs.getString("event_type"), rs.getString("order_key"), rs.getString("payload"),
                Sql.instant(rs, "created_at"), OutboxStatus.valueOf(rs.getString("status")), rs.getInt("attempts"),
                Sql.instant(rs, "due_at"), rs.getString("lease_owner"), Sql.instant(rs, "lease_until"),
                rs.getString("last_error"), Sql.instant(rs, "done_at"), rs.getLong("version"));
    }

    private static String events(WebhookEndpoint e) {
        return String.join(",", e.spec().events());
    }

    @Override
    public void insertEndpoint(WebhookEndpoint e) {
        db.call("insert webhook endpoint", c -> {
            try {
                return Sql.update(c, "INSERT INTO wasched_webhook_endpoint (id, url, events, secret, created_at,"
                        + " updated_at, version) VALUES (?, ?, ?, ?, ?, ?, ?)", e.id(), e.url().toString(), events(e),
                        e.secret().reveal(), e.createdAt(), e.updatedAt(), e.version());
            } catch (SQLException ex) {
                if (db.isUniqueViolation(ex)) {
                    throw new DuplicateKeyException("webhook endpoint " + e.id() + " exists");
                }
                throw ex;
            }
        });
    }

    @Override
    public boolean updateEndpoint(WebhookEndpoint e) {
        return db.call("update webhook endpoint", c -> Sql.update(c, "UPDATE wasched_webhook_endpoint SET url = ?,"
                + " events = ?, secret = ?, updated_at = ?, version = ? WHERE id = ? AND version = ?",
                e.url().toString(), events(e), e.secret().reveal(), e.updatedAt(), e.version(), e.id(),
                e.version() - 1) == 1);
    }

    @Override
    public Optional<WebhookEndpoint> findEndpoint(String id) {
        return db.call("find webhook endpoint", c -> Sql.queryOne(c,
                "SELECT * FROM wasched_webhook_endpoint WHERE id = ?", JdbcWebhooks::endpoint, id));
    }

    @Override
    public List<WebhookEndpoint> endpoints() {
        return db.call("list webhook endpoints", c -> Sql.query(c,
                "SELECT * FROM wasched_webhook_endpoint ORDER BY id", JdbcWebhooks::endpoint));
    }

    @Override
    public boolean deleteEndpoint(String id) {
        return db.inTransaction("delete webhook endpoint", c -> {
            Sql.update(c, "DELETE FROM " + OUTBOX + " WHERE endpoint_id = ?", id);
            return Sql.update(c, "DELETE FROM wasched_webhook_endpoint WHERE id = ?", id) == 1;
        });
    }

    @Override
    public void enqueue(List<OutboxEntry> entries) {
        if (entries.isEmpty()) {
            return;
        }
        List<Object[]> rows = new ArrayList<>(entries.size());
        for (OutboxEntry e : entries) {
            rows.add(new Object[]{e.id(), e.eventId(), e.endpointId(), e.eventType(), e.orderKey(), e.payload(),
                    e.createdAt(), e.status().name(), e.attempts(), e.dueAt(), e.version()});
        }
        db.call("write webhook outbox", c -> db.dialect().insertIgnoringDuplicates(c, OUTBOX, OUTBOX_COLUMNS, rows));
    }

    @Override
    public List<OutboxEntry> claimDue(Instant now, String owner, Instant leaseUntil, int limit) {
        ClaimStatement claim = new ClaimStatement(OUTBOX, CLAIMABLE, Arrays.asList(now, now), "event_id, id",
                "lease_owner = ?, lease_until = ?, attempts = attempts + 1", Arrays.asList(owner, leaseUntil), limit);
        return db.call("claim webhook outbox", c -> db.dialect().claim(c, claim, JdbcWebhooks::entry));
    }

    @Override
    public boolean delivered(String id, String owner, Instant at) {
        return db.call("webhook delivered", c -> Sql.update(c, "UPDATE " + OUTBOX + " SET status = 'DELIVERED',"
                + " done_at = ?, lease_owner = NULL, lease_until = NULL, version = version + 1" + HELD,
                at, id, owner) == 1);
    }

    @Override
    public boolean retryAt(String id, String owner, Instant dueAt, String error) {
        return db.call("webhook retry", c -> Sql.update(c, "UPDATE " + OUTBOX + " SET due_at = ?, last_error = ?,"
                + " lease_owner = NULL, lease_until = NULL, version = version + 1" + HELD, dueAt, error, id, owner) == 1);
    }

    @Override
    public boolean giveUp(String id, String owner, Instant at, String error) {
        return db.call("webhook give up", c -> Sql.update(c, "UPDATE " + OUTBOX + " SET status = 'FAILED',"
                + " done_at = ?, last_error = ?, lease_owner = NULL, lease_until = NULL, version = version + 1" + HELD,
                at, error, id, owner) == 1);
    }

    @Override
    public int postpone(String endpointId, Instant until) {
        return db.call("postpone webhook endpoint", c -> Sql.update(c, "UPDATE " + OUTBOX + " SET due_at = ?,"
                + " version = version + 1 WHERE endpoint_id = ? AND status = 'PENDING' AND lease_owner IS NULL"
                + " AND due_at < ?", until, endpointId, Sql.ceilMillis(until)));
    }

    @Override
    public List<OutboxEntry> entries(String endpointId, OutboxStatus status, int limit) {
        return db.call("list webhook outbox", c -> Sql.query(c, "SELECT * FROM " + OUTBOX
                + " WHERE endpoint_id = ? AND status = ? ORDER BY event_id DESC, id DESC LIMIT ?", JdbcWebhooks::entry,
                endpointId, status.name(), limit));
    }

    @Override
    public int purgeDelivered(Instant before) {
        return db.call("purge webhook outbox", c -> Sql.update(c, "DELETE FROM " + OUTBOX
                + " WHERE status = 'DELIVERED' AND done_at < ?", Sql.ceilMillis(before)));
    }
}
