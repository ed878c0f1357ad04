package dev.wasched.delivery;

import java.time.ZoneId;
import java.util.Objects;

/**
 * Who one delivery goes to. For a contact, {@code address} is the E.164 number at fan-out time; for a number written
 * to directly ({@code Target.number}), that number; for a group, its name.
 *
 * @param contactId null for a group or a number (a number's delivery belongs to no contact: no opt-out applies)
 * @param zone      the recipient's zone for quiet hours (contact's zone, else the number's, else the schedule's)
 */
public record Recipient(Kind kind, String contactId, String address, ZoneId zone) {
    public enum Kind { CONTACT, GROUP, NUMBER }

    public Recipient {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(address, "address");
        if (kind == Kind.CONTACT && contactId == null) {
            throw new IllegalArgumentException("a contact recipient needs the contact id");
        }
        if (kind != Kind.CONTACT && contactId != null) {
            throw new IllegalArgumentException("only a contact recipient has a contact id");
        }
    }

    public static Recipient contact(String contactId, String e164, ZoneId zone) {
        return new Recipient(Kind.CONTACT, contactId, e164, zone);
    }

    public static Recipient group(String name, ZoneId zone) {
        return new Recipient(Kind.GROUP, null, name, zone);
    }

    public static Recipient number(String e164, ZoneId zone) {
        return new Recipient(Kind.NUMBER, null, e164, zone);
    }

    /** Whether the address is a phone number (a contact's or a number's), not a group's name. */
    public boolean isPhone() {
        return kind != Kind.GROUP;
    }

    /** The part of a delivery's unique key {@code (scheduleId, fireAt, recipientKey)}. */
    public String key() {
        return isPhone() ? address : "group:" + address;
    }
}
