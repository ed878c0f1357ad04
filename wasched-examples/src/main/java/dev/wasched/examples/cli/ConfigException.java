package dev.wasched.examples.cli;

/** The configuration is missing something or has a wrong value; the message names the key. */
public final class ConfigException extends RuntimeException {
    public ConfigException(String message) {
        super(message);
    }
}
