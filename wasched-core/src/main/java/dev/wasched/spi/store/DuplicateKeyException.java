package dev.wasched.spi.store;

import dev.wasched.WaschedException;

/** An insert that would break a unique key (such as a second contact with the same phone number). */
public class DuplicateKeyException extends WaschedException {
    public DuplicateKeyException(String message) {
        super(message);
    }
}
