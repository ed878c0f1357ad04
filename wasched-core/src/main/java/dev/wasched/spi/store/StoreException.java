package dev.wasched.spi.store;

import dev.wasched.WaschedException;

/** The store could not do its work (database unreachable, I/O error); the engine backs off and tries again. */
public class StoreException extends WaschedException {
    public StoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
