package dev.wasched.web;

import dev.wasched.WaschedException;

/** The change would leave no administrator, and so nobody who could manage users again. */
public class LastAdminException extends WaschedException {
    public LastAdminException(String name) {
        super("'" + name + "' is the last administrator; make another user an administrator first");
    }
}
