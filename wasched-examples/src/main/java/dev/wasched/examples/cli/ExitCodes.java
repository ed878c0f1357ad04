package dev.wasched.examples.cli;

/** Exit codes a script can rely on. */
public final class ExitCodes {
    /** Done as asked. */
    public static final int OK = 0;
    /** The work ran but did not succeed (the demo: not every message was delivered). */
    public static final int FAILED = 1;
    /** Wrong command line (picocli's own code for usage errors). */
    public static final int USAGE = 2;
    /** The configuration file or an environment variable it names is missing or wrong. */
    public static final int CONFIG = 3;
    /** Input was rejected: an invalid number, an unknown id, a malformed file. */
    public static final int INVALID_INPUT = 4;
    /** The store could not be reached or failed. */
    public static final int STORE = 5;

    private ExitCodes() {
    }
}
