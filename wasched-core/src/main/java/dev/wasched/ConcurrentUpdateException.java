package dev.wasched;

/** Somebody else (another thread or instance) changed the record first; reload it and try again. */
public class ConcurrentUpdateException extends WaschedException {
    public ConcurrentUpdateException(String kind, String key) {
        super(kind + " '" + key + "' was changed concurrently; reload and retry");
    }
}
