package dev.wasched.web;

import dev.wasched.WaschedException;

/** A user of that name exists already. */
public class UserExistsException extends WaschedException {
    public UserExistsException(String name) {
        super("user '" + name + "' exists");
    }
}
