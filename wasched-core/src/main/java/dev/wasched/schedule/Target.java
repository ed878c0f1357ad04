package dev.wasched.schedule;

import dev.wasched.ValidationException;
import dev.wasched.contact.ContactSpec;
import dev.wasched.contact.PhoneNumber;
import java.util.List;
import java.util.Objects;

/**
 * Who a schedule sends to: listed contacts, every contact with a tag (at fire time), a group chat by name, or one
 * phone number written to directly.
 */
public sealed interface Target {
    int MAX_CONTACTS = 10_000;

    static Target contacts(String... ids) {
        return new Contacts(List.of(ids));
    }

    static Target contacts(List<String> ids) {
        return new Contacts(ids);
    }

    static Target tag(String tag) {
        return new Tag(tag);
    }

    static Target group(String name) {
        return new Group(name);
    }

    /** @param e164 the number with its country code ({@code +4915112345678}) */
    static Target number(String e164) {
        return new Number(PhoneNumber.of(e164));
    }

    record Contacts(List<String> contactIds) implements Target {
        public Contacts {
            if (contactIds == null || contactIds.isEmpty()) {
                throw new ValidationException("target", "no contacts given");
            }
            if (contactIds.size() > MAX_CONTACTS) {
                throw new ValidationException("target", "more than " + MAX_CONTACTS + " contacts; use a tag");
            }
            contactIds = contactIds.stream().distinct().toList();
        }
    }

    record Tag(String tag) implements Target {
        public Tag {
            tag = ContactSpec.normalizeTag(tag);
        }
    }

    record Group(String name) implements Target {
        public Group {
            if (name == null || name.isBlank() || name.length() > 100) {
                throw new ValidationException("group", "a group name has 1 to 100 characters");
            }
        }
    }

    /**
     * One phone number written to directly, not as a contact: its delivery carries no contact, so no contact's opt-out
     * applies to it and it is not in a contact's history, and its text has only {@code {{phone}}} to fill in. For a
     * message the person asked for, such as the confirmation of an opt-out
     * ({@link dev.wasched.inbound.ReplyKeywords#withOptOutConfirmation}); people are reached as contacts.
     */
    record Number(PhoneNumber phone) implements Target {
        public Number {
            Objects.requireNonNull(phone, "phone");
        }
    }
}
