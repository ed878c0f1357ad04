package dev.wasched.store.jdbc.spi;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * What {@link SqlDialect#claim} claims: up to {@code limit} rows of {@code table} matching {@code where}, taken in
 * {@code orderBy} order, each changed by {@code set} and by {@code version = version + 1}. The table has an
 * {@code id} primary key and a numeric {@code version} column.
 *
 * <p>With a {@link Split}, the claimed rows for which the split's condition does not hold are changed by the split's
 * own assignments instead, in the same claim: one pass over the candidates that both takes what may proceed and sets
 * aside what may not.
 *
 * @param where       a condition with {@code ?} placeholders for {@code whereParams}
 * @param orderBy     columns of the table, such as {@code due_at, id}; the claimed rows are returned in this order
 * @param set         assignments with {@code ?} placeholders for {@code setParams}, without the version
 * @param split       how claimed rows that may not proceed are changed instead, or null: all get {@code set}
 */
public record ClaimStatement(String table, String where, List<Object> whereParams, String orderBy, String set,
                             List<Object> setParams, int limit, Split split) {
    public ClaimStatement {
        Objects.requireNonNull(table, "table");
        Objects.requireNonNull(where, "where");
        Objects.requireNonNull(orderBy, "orderBy");
        Objects.requireNonNull(set, "set");
        whereParams = copy(whereParams);
        setParams = copy(setParams);
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be positive, was " + limit);
        }
    }

    /** A claim that changes every claimed row alike. */
    public ClaimStatement(String table, String where, List<Object> whereParams, String orderBy, String set,
                          List<Object> setParams, int limit) {
        this(table, where, whereParams, orderBy, set, setParams, limit, null);
    }

    /**
     * The claimed rows for which {@code condition} is false or null get {@code otherSet} instead of the claim's
     * {@code set} (also with {@code version = version + 1}).
     *
     * @param condition a condition on the row with {@code ?} placeholders for {@code conditionParams}
     * @param otherSet  assignments with {@code ?} placeholders for {@code otherSetParams}, without the version
     */
    public record Split(String condition, List<Object> conditionParams, String otherSet, List<Object> otherSetParams) {
        public Split {
            Objects.requireNonNull(condition, "condition");
            Objects.requireNonNull(otherSet, "otherSet");
            conditionParams = copy(conditionParams);
            otherSetParams = copy(otherSetParams);
        }
    }

    /** List.copyOf would reject the null parameters a claim may bind. */
    private static List<Object> copy(List<Object> params) {
        return Collections.unmodifiableList(new ArrayList<>(params));
    }
}
