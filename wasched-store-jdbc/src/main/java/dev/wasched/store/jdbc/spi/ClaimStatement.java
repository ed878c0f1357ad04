package dev.wasched.store.jdbc.spi;

import java.util.List;
import java.util.Objects;

/**
 * What {@link SqlDialect#claim} claims: up to {@code limit} rows of {@code table} matching {@code where}, taken in
 * {@code orderBy} order, each changed by {@code set} and by {@code version = version + 1}. The table has an
 * {@code id} primary key and a numeric {@code version} column.
 *
 * @param where       a condition with {@code ?} placeholders for {@code whereParams}
 * @param orderBy     columns of the table, such as {@code due_at, id}; the claimed rows are returned in this order
 * @param set         assignments with {@code ?} placeholders for {@code setParams}, without the version
 */
public record ClaimStatement(String table, String where, List<Object> whereParams, String orderBy, String set,
                             List<Object> setParams, int limit) {
    public ClaimStatement {
        Objects.requireNonNull(table, "table");
        Objects.requireNonNull(where, "where");
        Objects.requireNonNull(orderBy, "orderBy");
        Objects.requireNonNull(set, "set");
        // Lists.copyOf would reject the null parameters a claim may bind.
        whereParams = java.util.Collections.unmodifiableList(new java.util.ArrayList<>(whereParams));
        setParams = java.util.Collections.unmodifiableList(new java.util.ArrayList<>(setParams));
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be positive, was " + limit);
        }
    }
}
