package dev.wasched.internal.service;

import dev.wasched.ConcurrentUpdateException;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.Supplier;

/** The read-change-compare-and-set loop every service uses, with a bounded number of rounds. */
public final class Retries {
    private static final int ROUNDS = 10;

    private Retries() {
    }

    public static <T> T casLoop(String kind, String key, Supplier<T> load, Function<T, T> change, Predicate<T> write) {
        for (int i = 0; i < ROUNDS; i++) {
            T next = change.apply(load.get());
            if (write.test(next)) {
                return next;
            }
        }
        throw new ConcurrentUpdateException(kind, key);
    }

    public static <T> T orNotFound(Optional<T> value, String kind, String key) {
        return value.orElseThrow(() -> new dev.wasched.NotFoundException(kind, key));
    }
}
