package dev.wasched.contact;

import dev.wasched.ValidationException;

/** A phone number that libphonenumber cannot read as a valid number; the message names the input. */
public class InvalidPhoneNumberException extends ValidationException {
    private final String input;

    public InvalidPhoneNumberException(String input, String reason) {
        super("phone", "invalid phone number '" + input + "': " + reason);
        this.input = input;
    }

    /** The text that was rejected. */
    public String input() {
        return input;
    }
}
