package dev.wasched.account;

import dev.wasched.ValidationException;

/** An account of this name is registered already (and not removed). */
public class DuplicateAccountException extends ValidationException {
    public DuplicateAccountException(String name) {
        super("account", "'" + name + "' is registered already");
    }
}
