package dev.wasched.store.jdbc.internal;

import dev.wasched.store.jdbc.spi.SqlDialect;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies the dialect's versioned scripts that are not applied yet, in version order, and records each in
 * {@code wasched_schema_history}. Idempotent, and safe when several instances start at once: everything happens
 * under the dialect's migration lock, and the history is read only after the lock is held.
 */
public final class Migrator {
    private static final Logger log = LoggerFactory.getLogger(Migrator.class);
    private static final Pattern NAME = Pattern.compile("V(\\d+)__(.+)\\.sql");
    static final String HISTORY = "wasched_schema_history";

    private final SqlDialect dialect;

    public Migrator(SqlDialect dialect) {
        this.dialect = dialect;
    }

    /** One script: version, description, resource and text. */
    record Script(int version, String description, String resource, String sql) {
        String checksum() {
            try {
                return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                        .digest(sql.getBytes(StandardCharsets.UTF_8)));
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    /** The scripts of the dialect, by version. */
    List<Script> scripts() {
        TreeMap<Integer, Script> byVersion = new TreeMap<>();
        for (String resource : dialect.migrations()) {
            String file = resource.substring(resource.lastIndexOf('/') + 1);
            Matcher m = NAME.matcher(file);
            if (!m.matches()) {
                throw new IllegalStateException("migration " + resource + " is not named V<version>__<description>.sql");
            }
            Script s = new Script(Integer.parseInt(m.group(1)), m.group(2).replace('_', ' '), resource, read(resource));
            if (byVersion.put(s.version(), s) != null) {
                throw new IllegalStateException("two migrations with version " + s.version());
            }
        }
        return List.copyOf(byVersion.values());
    }

    private String read(String resource) {
        ClassLoader cl = Migrator.class.getClassLoader();
        try (InputStream in = cl.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("migration " + resource + " is not on the class path");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + resource, e);
        }
    }

    /** @return the versions applied by this call */
    public List<Integer> migrate(DataSource dataSource) throws SQLException {
        List<Script> scripts = scripts();
        return dialect.withMigrationLock(dataSource, c -> {
            Sql.update(c, "CREATE TABLE IF NOT EXISTS " + HISTORY + " (version INTEGER NOT NULL PRIMARY KEY,"
                    + " description VARCHAR(200) NOT NULL, script VARCHAR(300) NOT NULL, checksum VARCHAR(64) NOT NULL,"
                    + " installed_at TIMESTAMP WITH TIME ZONE NOT NULL, execution_ms INTEGER NOT NULL)");
            Map<Integer, String> applied = new TreeMap<>();
            for (Object[] row : Sql.query(c, "SELECT version, checksum FROM " + HISTORY,
                    rs -> new Object[]{rs.getInt(1), rs.getString(2)})) {
                applied.put((Integer) row[0], (String) row[1]);
            }
            List<Integer> done = new ArrayList<>();
            for (Script s : scripts) {
                String checksum = applied.get(s.version());
                if (checksum != null) {
                    if (!checksum.equals(s.checksum())) {
                        log.warn("migration V{} ({}) changed after it was applied here; the schema is left as it is",
                                s.version(), s.resource());
                    }
                    continue;
                }
                apply(c, s);
                done.add(s.version());
            }
            int newest = scripts.isEmpty() ? 0 : scripts.get(scripts.size() - 1).version();
            applied.keySet().stream().filter(v -> v > newest).findFirst().ifPresent(v ->
                    log.warn("the database has schema version {}, newer than this library knows ({})", v, newest));
            return done;
        });
    }

    private void apply(Connection c, Script s) throws SQLException {
        long started = System.nanoTime();
        boolean tx = dialect.transactionalDdl();
        if (tx) {
            c.setAutoCommit(false);
        }
        try {
            try (Statement st = c.createStatement()) {
                for (String sql : SqlScript.statements(s.sql())) {
                    st.execute(sql);
                }
            }
            int ms = (int) ((System.nanoTime() - started) / 1_000_000);
            Sql.update(c, "INSERT INTO " + HISTORY + " (version, description, script, checksum, installed_at,"
                    + " execution_ms) VALUES (?, ?, ?, ?, ?, ?)", s.version(), s.description(), s.resource(),
                    s.checksum(), Instant.now(), ms);
            if (tx) {
                c.commit();
            }
            log.info("applied migration V{} ({}) in {} ms", s.version(), s.description(), ms);
        } catch (SQLException | RuntimeException e) {
            if (tx) {
                c.rollback();
            }
            throw new SQLException("migration V" + s.version() + " (" + s.resource() + ") failed: " + e.getMessage(),
                    e instanceof SQLException se ? se.getSQLState() : null, e);
        } finally {
            if (tx) {
                c.setAutoCommit(true);
            }
        }
    }
}
