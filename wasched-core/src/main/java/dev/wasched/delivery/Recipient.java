package dev.wasched.delivery;

import java.time.ZoneId;
import java.util.Objects;

/**
 * Who one delivery goes to. For a contact, {@code address} is the E.164 number at fan-out time; for a group, its name.
 *
 * @param contactId null for a group
 * @param zone      the recipient's zone for quiet hours (contact's zone, else the number's, else the schedule's)
 */
public record Recipient(Kind kind, String contactId, String address, ZoneId zone) {
    public enum Kind { CONTACT, GROUP }

    public Recipient {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(address, "address");
        if (kind == Kind.CONTACT && contactId == null) {
            throw new IllegalArgumentException("a contact recipient needs the contact id");
        }
    }

    public static Recipient contact(String contactId, String e164, ZoneId zone) {
        return new Recipient(Kind.CONTACT, contactId, e164, zone);
    }

    public static Recipient group(String name, ZoneId zone) {
        return new Recipient(Kind.GROUP, null, name, zone);
    }

    /** The part of a delivery's unique key {@code (scheduleId, fireAt, recipientKey)}. */
    public String key() {
        return kind == Kind.CONTACT ? address : "group:" + address;
    }
}
