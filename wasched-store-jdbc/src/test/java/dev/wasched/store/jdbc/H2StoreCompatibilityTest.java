package dev.wasched.store.jdbc;

import dev.wasched.spi.store.WaschedStore;
import dev.wasched.testkit.store.StoreCompatibilityKit;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;

/**
 * The store kit on H2 as it is used by default: {@link JdbcStore#embedded(Path)}, a fresh database file per test.
 * Further stores for the concurrency tests open the same file with their own pools, as engines in one JVM would.
 */
class H2StoreCompatibilityTest extends StoreCompatibilityKit {
    private static final Path DIR = tempDir();
    private static int counter;
    private final Map<WaschedStore, Path> files = new IdentityHashMap<>();

    private static Path tempDir() {
        try {
            return Files.createTempDirectory("wasched-h2-kit");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    protected WaschedStore createStore() {
        Path file;
        synchronized (H2StoreCompatibilityTest.class) {
            file = DIR.resolve("kit-" + (++counter));
        }
        JdbcStore store = JdbcStore.embedded(file);
        files.put(store, file);
        return store;
    }

    @Override
    protected WaschedStore openAnotherStore(WaschedStore first) {
        return JdbcStore.embedded(files.get(first));
    }

    /** Half the kit's campaign: still several claim batches per account, and the engines' schedulers still race. */
    @Override
    protected int engineTestDeliveries() {
        return 1000;
    }

    @AfterAll
    static void deleteFiles() throws IOException {
        try (Stream<Path> all = Files.walk(DIR)) {
            all.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
