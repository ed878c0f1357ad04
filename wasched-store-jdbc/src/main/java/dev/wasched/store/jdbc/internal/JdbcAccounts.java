package dev.wasched.store.jdbc.internal;

import dev.wasched.account.Account;
import dev.wasched.spi.store.AccountRepository;
import dev.wasched.spi.store.DuplicateKeyException;
import dev.wasched.spi.store.StoreCodec;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;

/** The account registry in {@code wasched_account}, keyed by name. */
public final class JdbcAccounts implements AccountRepository {
    private final Db db;

    public JdbcAccounts(Db db) {
        this.db = db;
    }

    static Account map(ResultSet rs) throws SQLException {
        return new Account(rs.getString("name"), rs.getString("kind"), StoreCodec.fields(rs.getString("settings")),
                StoreCodec.pacing(rs.getString("pacing")), Account.Status.valueOf(rs.getString("status")),
                Sql.instant(rs, "created_at"), Sql.instant(rs, "updated_at"), rs.getLong("version"));
    }

    @Override
    public void insert(Account a) {
        db.call("insert account", c -> {
            try {
                return Sql.update(c, "INSERT INTO wasched_account (name, kind, settings, pacing, status, created_at,"
                        + " updated_at, version) VALUES (?, ?, ?, ?, ?, ?, ?, ?)", a.name(), a.kind(),
                        StoreCodec.fields(a.settings()), StoreCodec.pacing(a.pacing()), a.status().name(),
                        a.createdAt(), a.updatedAt(), a.version());
            } catch (SQLException e) {
                if (db.isUniqueViolation(e)) {
                    throw new DuplicateKeyException("account " + a.name() + " exists");
                }
                throw e;
            }
        });
    }

    @Override
    public boolean update(Account a) {
        return db.call("update account", c -> Sql.update(c, "UPDATE wasched_account SET kind = ?, settings = ?,"
                + " pacing = ?, status = ?, updated_at = ?, version = ? WHERE name = ? AND version = ?", a.kind(),
                StoreCodec.fields(a.settings()), StoreCodec.pacing(a.pacing()), a.status().name(), a.updatedAt(),
                a.version(), a.name(), a.version() - 1) == 1);
    }

    @Override
    public Optional<Account> find(String name) {
        return db.call("find account", c ->
                Sql.queryOne(c, "SELECT * FROM wasched_account WHERE name = ?", JdbcAccounts::map, name));
    }

    @Override
    public List<Account> list() {
        return db.call("list accounts", c ->
                Sql.query(c, "SELECT * FROM wasched_account ORDER BY name", JdbcAccounts::map));
    }
}
