package dev.wasched.contact.verify;

/** A contact whose number could not be checked; its registration was left as it was. */
public record VerifyFailure(String contactId, String phone, String reason) {
}
