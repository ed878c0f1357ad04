package dev.wasched;

/**
 * Where a listing starts and how many items it returns. {@code cursor} is null for the first page.
 *
 * @param cursor the {@link Page#nextCursor()} of the previous page, or null
 * @param limit  1 to {@value #MAX_LIMIT} items
 */
public record PageRequest(String cursor, int limit) {
    public static final int MAX_LIMIT = 1000;

    public PageRequest {
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new ValidationException("limit", "must be between 1 and " + MAX_LIMIT + ", was " + limit);
        }
        if (cursor != null && cursor.isBlank()) {
            cursor = null;
        }
    }

    public static PageRequest first(int limit) {
        return new PageRequest(null, limit);
    }

    public static PageRequest after(String cursor, int limit) {
        return new PageRequest(cursor, limit);
    }
}
