package dev.wasched.store.jdbc.internal;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The two ways {@link dev.wasched.store.jdbc.spi.SqlDialect#updateVersioned} writes rows: a JDBC batch of single-row
 * updates (any database), or one statement per group of distinct ids that joins the new values, given as a JSON
 * array, against the table (PostgreSQL's {@code jsonb_populate_recordset}, which converts each value to its
 * column's type, so no type is named here).
 */
public final class VersionedUpdates {
    private static final JsonFactory JSON = new JsonFactory();

    private VersionedUpdates() {
    }

    /** One JDBC batch: a single round trip, but one statement execution per row. */
    public static boolean[] inBatch(Connection c, String table, List<String> columns, List<Object[]> rows)
            throws SQLException {
        boolean[] written = new boolean[rows.size()];
        if (rows.isEmpty()) {
            return written;
        }
        List<String> set = assigned(columns);
        int id = columns.indexOf("id");
        int version = columns.indexOf("version");
        int[] counts;
        try (PreparedStatement ps = c.prepareStatement(singleRowSql(table, columns))) {
            for (Object[] row : rows) {
                List<Object> params = Sql.pick(columns, row, set);
                params.add(row[id]);
                params.add(((Number) row[version]).longValue() - 1);
                Sql.bindAll(ps, 1, params);
                ps.addBatch();
            }
            counts = ps.executeBatch();
        }
        for (int i = 0; i < counts.length; i++) {
            written[i] = counts[i] == 1 || counts[i] == Statement.SUCCESS_NO_INFO;
        }
        return written;
    }

    /**
     * One {@code UPDATE … FROM jsonb_populate_recordset(…)} per group of rows with distinct ids (a row joined twice
     * in one statement would be written once), returning the ids written.
     */
    static boolean[] joined(Connection c, String table, List<String> columns, List<Object[]> rows)
            throws SQLException {
        boolean[] written = new boolean[rows.size()];
        String sql = joinedSql(table, columns);
        int id = columns.indexOf("id");
        int from = 0;
        while (from < rows.size()) {
            Set<Object> ids = new HashSet<>();
            int to = from;
            while (to < rows.size() && ids.add(rows.get(to)[id])) {
                to++;
            }
            Set<String> done = new HashSet<>(Sql.query(c, sql, rs -> rs.getString(1),
                    json(columns, rows.subList(from, to))));
            for (int i = from; i < to; i++) {
                written[i] = done.contains(String.valueOf(rows.get(i)[id]));
            }
            from = to;
        }
        return written;
    }

    /**
     * The statement of {@link #inBatch} for one row: the columns other than the id set, then the id and the version
     * expected as parameters.
     */
    static String singleRowSql(String table, List<String> columns) {
        return "UPDATE " + table + " SET " + Sql.assignments(assigned(columns)) + " WHERE id = ? AND version = ?";
    }

    /** The statement of {@link #joined}: its one parameter is the rows as {@link #json}. */
    static String joinedSql(String table, List<String> columns) {
        List<String> set = assigned(columns);
        StringBuilder sql = new StringBuilder("UPDATE ").append(table).append(" t SET ");
        for (int i = 0; i < set.size(); i++) {
            sql.append(i == 0 ? "" : ", ").append(set.get(i)).append(" = v.").append(set.get(i));
        }
        return sql.append(" FROM jsonb_populate_recordset(NULL::").append(table).append(", ?::jsonb) v")
                .append(" WHERE t.id = v.id AND t.version = v.version - 1 RETURNING t.id").toString();
    }

    /** The columns written: all but the id (the version included). */
    private static List<String> assigned(List<String> columns) {
        if (!columns.contains("id") || !columns.contains("version")) {
            throw new IllegalArgumentException("columns must include id and version: " + columns);
        }
        List<String> set = new ArrayList<>(columns);
        set.remove("id");
        return set;
    }

    /**
     * The rows as a JSON array of objects; instants to the millisecond, as {@link Sql#bind} writes them. A null value
     * is left out: {@code jsonb_populate_recordset(NULL::table, …)} gives a column without a key NULL, and the server
     * then parses less (the JSON is a good part of the outcomes' update: a SENT delivery has about a third of its
     * columns null).
     */
    static String json(List<String> columns, List<Object[]> rows) {
        StringWriter out = new StringWriter(256 * rows.size());
        try (JsonGenerator g = JSON.createGenerator(out)) {
            g.writeStartArray();
            for (Object[] row : rows) {
                g.writeStartObject();
                for (int i = 0; i < columns.size(); i++) {
                    Object v = row[i];
                    if (v == null) {
                        continue;
                    }
                    g.writeFieldName(columns.get(i));
                    if (v instanceof Instant t) {
                        g.writeString(t.truncatedTo(ChronoUnit.MILLIS).toString());
                    } else if (v instanceof Long n) {
                        g.writeNumber(n);
                    } else if (v instanceof Integer n) {
                        g.writeNumber(n);
                    } else if (v instanceof Boolean b) {
                        g.writeBoolean(b);
                    } else {
                        g.writeString(v.toString());
                    }
                }
                g.writeEndObject();
            }
            g.writeEndArray();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write rows as JSON", e);
        }
        return out.toString();
    }
}
