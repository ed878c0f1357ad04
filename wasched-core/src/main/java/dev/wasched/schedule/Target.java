package dev.wasched.schedule;

import dev.wasched.ValidationException;
import dev.wasched.contact.ContactSpec;
import java.util.List;

/** Who a schedule sends to: listed contacts, every contact with a tag (at fire time), or a group chat by name. */
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
}
