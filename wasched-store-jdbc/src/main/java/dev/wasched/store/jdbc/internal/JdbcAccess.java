package dev.wasched.store.jdbc.internal;

import dev.wasched.Page;
import dev.wasched.PageRequest;
import dev.wasched.access.ApiKey;
import dev.wasched.access.AuditEntry;
import dev.wasched.access.Role;
import dev.wasched.access.User;
import dev.wasched.spi.store.AuditRepository;
import dev.wasched.spi.store.DuplicateKeyException;
import dev.wasched.spi.store.UserRepository;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;

/** Users ({@code wasched_user}), API keys ({@code wasched_api_key}) and the audit log ({@code wasched_audit}). */
public final class JdbcAccess implements UserRepository, AuditRepository {
    private final Db db;

    public JdbcAccess(Db db) {
        this.db = db;
    }

    private static User user(ResultSet rs) throws SQLException {
        return new User(rs.getString("name"), Role.valueOf(rs.getString("role")), rs.getString("password_hash"),
                rs.getInt("failed_logins"), Sql.instant(rs, "locked_until"), Sql.instant(rs, "created_at"),
                Sql.instant(rs, "updated_at"), rs.getLong("version"));
    }

    private static ApiKey key(ResultSet rs) throws SQLException {
        return new ApiKey(rs.getString("id"), rs.getString("name"), Role.valueOf(rs.getString("role")),
                rs.getString("secret_hash"), rs.getString("created_by"), Sql.instant(rs, "created_at"),
                Sql.instant(rs, "revoked_at"), rs.getLong("version"));
    }

    private static AuditEntry entry(ResultSet rs) throws SQLException {
        return new AuditEntry(rs.getString("id"), Sql.instant(rs, "at"), rs.getString("actor"),
                rs.getString("action"), rs.getString("target"), rs.getString("detail"));
    }

    /** An insert that names what already exists when a key of the row is taken. */
    private void insert(String what, String exists, String sql, Object... values) {
        db.call(what, c -> {
            try {
                return Sql.update(c, sql, values);
            } catch (SQLException e) {
                if (db.isUniqueViolation(e)) {
                    throw new DuplicateKeyException(exists);
                }
                throw e;
            }
        });
    }

    @Override
    public void insert(User u) {
        insert("insert user", "user " + u.name() + " exists", "INSERT INTO wasched_user (name, role, password_hash,"
                + " failed_logins, locked_until, created_at, updated_at, version) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                u.name(), u.role().name(), u.passwordHash(), u.failedLogins(), u.lockedUntil(), u.createdAt(),
                u.updatedAt(), u.version());
    }

    @Override
    public boolean update(User u) {
        return db.call("update user", c -> Sql.update(c, "UPDATE wasched_user SET role = ?, password_hash = ?,"
                + " failed_logins = ?, locked_until = ?, updated_at = ?, version = ? WHERE name = ? AND version = ?",
                u.role().name(), u.passwordHash(), u.failedLogins(), u.lockedUntil(), u.updatedAt(), u.version(),
                u.name(), u.version() - 1) == 1);
    }

    @Override
    public Optional<User> find(String name) {
        return db.call("find user", c ->
                Sql.queryOne(c, "SELECT * FROM wasched_user WHERE name = ?", JdbcAccess::user, name));
    }

    @Override
    public List<User> list() {
        return db.call("list users", c -> Sql.query(c, "SELECT * FROM wasched_user ORDER BY name", JdbcAccess::user));
    }

    @Override
    public boolean delete(String name) {
        return db.call("delete user", c -> Sql.update(c, "DELETE FROM wasched_user WHERE name = ?", name) == 1);
    }

    @Override
    public void insertKey(ApiKey k) {
        insert("insert API key", "API key " + k.id() + " exists", "INSERT INTO wasched_api_key (id, name, role,"
                + " secret_hash, created_by, created_at, revoked_at, version) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                k.id(), k.name(), k.role().name(), k.secretHash(), k.createdBy(), k.createdAt(), k.revokedAt(),
                k.version());
    }

    @Override
    public boolean updateKey(ApiKey k) {
        return db.call("update API key", c -> Sql.update(c, "UPDATE wasched_api_key SET name = ?, role = ?,"
                + " revoked_at = ?, version = ? WHERE id = ? AND version = ?", k.name(), k.role().name(),
                k.revokedAt(), k.version(), k.id(), k.version() - 1) == 1);
    }

    @Override
    public Optional<ApiKey> findKey(String id) {
        return db.call("find API key", c ->
                Sql.queryOne(c, "SELECT * FROM wasched_api_key WHERE id = ?", JdbcAccess::key, id));
    }

    @Override
    public Optional<ApiKey> findKeyBySecretHash(String secretHash) {
        return db.call("find API key by secret", c -> Sql.queryOne(c,
                "SELECT * FROM wasched_api_key WHERE secret_hash = ?", JdbcAccess::key, secretHash));
    }

    @Override
    public List<ApiKey> listKeys() {
        return db.call("list API keys", c ->
                Sql.query(c, "SELECT * FROM wasched_api_key ORDER BY created_at, id", JdbcAccess::key));
    }

    @Override
    public void append(AuditEntry e) {
        insert("append audit entry", "audit entry " + e.id() + " exists", "INSERT INTO wasched_audit (id, at, actor,"
                + " action, target, detail) VALUES (?, ?, ?, ?, ?, ?)", e.id(), e.at(), e.actor(), e.action(),
                e.target(), e.detail());
    }

    @Override
    public Page<AuditEntry> list(PageRequest page) {
        return db.call("list audit entries", (Connection c) -> Page.of(page.cursor() == null
                ? Sql.query(c, "SELECT * FROM wasched_audit ORDER BY id DESC LIMIT ?", JdbcAccess::entry,
                        page.limit() + 1)
                : Sql.query(c, "SELECT * FROM wasched_audit WHERE id < ? ORDER BY id DESC LIMIT ?", JdbcAccess::entry,
                        page.cursor(), page.limit() + 1), page.limit(), AuditEntry::id));
    }
}
