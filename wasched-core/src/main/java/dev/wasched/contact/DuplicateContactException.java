package dev.wasched.contact;

import dev.wasched.ValidationException;

/** A contact with this phone number exists already. */
public class DuplicateContactException extends ValidationException {
    public DuplicateContactException(String e164) {
        super("phone", "a contact with number " + e164 + " exists already");
    }
}
