package dev.wasched.examples;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * What a test opened, closed after it in reverse order (register it with {@code @RegisterExtension}); the first
 * failure is thrown once all are closed.
 */
final class Resources implements AutoCloseable, AfterEachCallback {
    private final List<AutoCloseable> opened = new ArrayList<>();

    <T extends AutoCloseable> T add(T resource) {
        opened.add(resource);
        return resource;
    }

    @Override
    public void afterEach(ExtensionContext context) throws Exception {
        close();
    }

    @Override
    public void close() throws Exception {
        Exception failure = null;
        for (int i = opened.size() - 1; i >= 0; i--) {
            try {
                opened.get(i).close();
            } catch (Exception e) {
                failure = failure == null ? e : failure;
            }
        }
        opened.clear();
        if (failure != null) {
            throw failure;
        }
    }
}
