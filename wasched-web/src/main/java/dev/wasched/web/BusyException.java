package dev.wasched.web;

import dev.wasched.WaschedException;

/**
 * Too many passwords are being checked at once (each check takes memory and a core on purpose); try again shortly.
 */
public class BusyException extends WaschedException {
    public BusyException() {
        super("too many sign-ins at once; try again in a moment");
    }
}
