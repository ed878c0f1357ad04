package dev.wasched.account;

import dev.wasched.NotFoundException;

/** An account that is not registered, or was removed, was named (by a schedule, or to pause or remove it). */
public class UnknownAccountException extends NotFoundException {
    public UnknownAccountException(String name) {
        super("account", name);
    }
}
