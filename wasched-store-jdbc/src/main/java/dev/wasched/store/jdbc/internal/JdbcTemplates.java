package dev.wasched.store.jdbc.internal;

import dev.wasched.message.Template;
import dev.wasched.spi.store.DuplicateKeyException;
import dev.wasched.spi.store.TemplateRepository;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;

/** Templates in {@code wasched_template}, keyed by name. */
public final class JdbcTemplates implements TemplateRepository {
    private final Db db;

    public JdbcTemplates(Db db) {
        this.db = db;
    }

    static Template map(ResultSet rs) throws SQLException {
        return new Template(rs.getString("name"), rs.getString("body"), Sql.instant(rs, "created_at"),
                Sql.instant(rs, "updated_at"), rs.getLong("version"));
    }

    @Override
    public void insert(Template t) {
        db.call("insert template", c -> {
            try {
                return Sql.update(c, "INSERT INTO wasched_template (name, body, created_at, updated_at, version)"
                        + " VALUES (?, ?, ?, ?, ?)", t.name(), t.body(), t.createdAt(), t.updatedAt(), t.version());
            } catch (SQLException e) {
                if (db.isUniqueViolation(e)) {
                    throw new DuplicateKeyException("template " + t.name() + " exists");
                }
                throw e;
            }
        });
    }

    @Override
    public boolean update(Template t) {
        return db.call("update template", c -> Sql.update(c, "UPDATE wasched_template SET body = ?, updated_at = ?,"
                + " version = ? WHERE name = ? AND version = ?", t.body(), t.updatedAt(), t.version(), t.name(),
                t.version() - 1) == 1);
    }

    @Override
    public Optional<Template> findByName(String name) {
        return db.call("find template", c ->
                Sql.queryOne(c, "SELECT * FROM wasched_template WHERE name = ?", JdbcTemplates::map, name));
    }

    @Override
    public boolean delete(String name) {
        return db.call("delete template", c -> Sql.update(c, "DELETE FROM wasched_template WHERE name = ?", name) > 0);
    }

    @Override
    public List<Template> list() {
        return db.call("list templates", c ->
                Sql.query(c, "SELECT * FROM wasched_template ORDER BY name", JdbcTemplates::map));
    }
}
