package dev.wasched.store.jdbc.internal;

import dev.wasched.store.jdbc.spi.RowMapper;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Small JDBC helpers: parameter binding, queries, updates. Every value reaches the database as a parameter. */
public final class Sql {
    private Sql() {
    }

    /**
     * Binds one value. Instants go in as UTC {@link OffsetDateTime}s, which both drivers map to
     * {@code TIMESTAMP WITH TIME ZONE}, truncated to the millisecond: stored values are whole milliseconds, and
     * the databases would round a finer value to microseconds, sometimes upwards. With stored whole milliseconds,
     * {@code col <= ?} and {@code col > ?} compare exactly against the truncated value; {@code col < ?} and
     * {@code col >= ?} need {@link #ceilMillis(Instant)}.
     */
    public static void bind(PreparedStatement ps, int index, Object value) throws SQLException {
        if (value == null) {
            ps.setNull(index, Types.NULL);
        } else if (value instanceof Instant i) {
            ps.setObject(index, OffsetDateTime.ofInstant(i.truncatedTo(ChronoUnit.MILLIS), ZoneOffset.UTC));
        } else if (value instanceof byte[] b) {
            ps.setBytes(index, b);
        } else {
            ps.setObject(index, value);
        }
    }

    /** The instant rounded up to the millisecond, for {@code col < ?} and {@code col >= ?} against stored millis. */
    public static Instant ceilMillis(Instant i) {
        Instant floor = i.truncatedTo(ChronoUnit.MILLIS);
        return floor.equals(i) ? i : floor.plusMillis(1);
    }

    public static void bindAll(PreparedStatement ps, int first, List<?> values) throws SQLException {
        for (int i = 0; i < values.size(); i++) {
            bind(ps, first + i, values.get(i));
        }
    }

    public static <T> List<T> query(Connection c, String sql, RowMapper<T> mapper, Object... params)
            throws SQLException {
        return query(c, sql, mapper, java.util.Arrays.asList(params));
    }

    public static <T> List<T> query(Connection c, String sql, RowMapper<T> mapper, List<?> params)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            bindAll(ps, 1, params);
            try (ResultSet rs = ps.executeQuery()) {
                List<T> out = new ArrayList<>();
                while (rs.next()) {
                    out.add(mapper.map(rs));
                }
                return out;
            }
        }
    }

    public static <T> Optional<T> queryOne(Connection c, String sql, RowMapper<T> mapper, Object... params)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            bindAll(ps, 1, java.util.Arrays.asList(params));
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.ofNullable(mapper.map(rs)) : Optional.empty();
            }
        }
    }

    public static int update(Connection c, String sql, Object... params) throws SQLException {
        return update(c, sql, java.util.Arrays.asList(params));
    }

    public static int update(Connection c, String sql, List<?> params) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            bindAll(ps, 1, params);
            return ps.executeUpdate();
        }
    }

    public static Instant instant(ResultSet rs, String column) throws SQLException {
        OffsetDateTime t = rs.getObject(column, OffsetDateTime.class);
        return t == null ? null : t.toInstant();
    }

    public static Instant instant(ResultSet rs, int column) throws SQLException {
        OffsetDateTime t = rs.getObject(column, OffsetDateTime.class);
        return t == null ? null : t.toInstant();
    }

    /** {@code a = ?, b = ?} for an UPDATE's SET list. */
    public static String assignments(List<String> columns) {
        return String.join(", ", columns.stream().map(col -> col + " = ?").toList());
    }

    /** The values of {@code wanted}, picked from {@code values} given in {@code columns} order. */
    public static List<Object> pick(List<String> columns, Object[] values, List<String> wanted) {
        List<Object> picked = new ArrayList<>(wanted.size());
        for (String col : wanted) {
            int i = columns.indexOf(col);
            if (i < 0) {
                throw new IllegalArgumentException("no column " + col + " in " + columns);
            }
            picked.add(values[i]);
        }
        return picked;
    }

    /** {@code ?, ?, ?} for {@code n} values. */
    public static String placeholders(int n) {
        return String.join(", ", java.util.Collections.nCopies(n, "?"));
    }
}
