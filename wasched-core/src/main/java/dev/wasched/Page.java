package dev.wasched;

import java.util.List;
import java.util.Optional;

/**
 * One page of a listing. {@link #nextCursor()} is empty on the last page; otherwise pass it to
 * {@link PageRequest#after(String, int)} to read on. Cursors are stable while records are added.
 */
public record Page<T>(List<T> items, Optional<String> nextCursor) {
    public Page {
        items = List.copyOf(items);
        nextCursor = nextCursor == null ? Optional.empty() : nextCursor;
    }

    /** Builds a page from up to {@code limit + 1} fetched items, the extra one telling that more exist. */
    public static <T> Page<T> of(List<T> fetched, int limit, java.util.function.Function<T, String> cursorOf) {
        if (fetched.size() > limit) {
            List<T> items = fetched.subList(0, limit);
            return new Page<>(items, Optional.of(cursorOf.apply(items.get(limit - 1))));
        }
        return new Page<>(fetched, Optional.empty());
    }
}
