package dev.wasched.contact.verify;

import dev.wasched.ValidationException;
import dev.wasched.contact.ContactSpec;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;

/**
 * Which contacts a bulk operation covers: all of them, those with a tag, or a list of ids.
 *
 * @param tag normalized (lower-case) when {@link Kind#TAG}, else null
 * @param ids distinct ids in the given order when {@link Kind#IDS}, else empty
 */
public record ContactSelection(Kind kind, String tag, List<String> ids) {
    public enum Kind { ALL, TAG, IDS }

    public ContactSelection {
        Objects.requireNonNull(kind, "kind");
        ids = List.copyOf(new LinkedHashSet<>(ids == null ? List.of() : ids));
        if (kind == Kind.TAG) {
            tag = ContactSpec.normalizeTag(tag);
        } else if (tag != null) {
            throw new ValidationException("selection", "a tag belongs only to a TAG selection");
        }
        if (kind != Kind.IDS && !ids.isEmpty()) {
            throw new ValidationException("selection", "ids belong only to an IDS selection");
        }
        if (ids.stream().anyMatch(id -> id == null || id.isBlank())) {
            throw new ValidationException("selection", "contains a blank id");
        }
    }

    public static ContactSelection all() {
        return new ContactSelection(Kind.ALL, null, List.of());
    }

    public static ContactSelection tag(String tag) {
        return new ContactSelection(Kind.TAG, tag, List.of());
    }

    public static ContactSelection ids(String... ids) {
        return ids(Arrays.asList(ids));
    }

    public static ContactSelection ids(Collection<String> ids) {
        return new ContactSelection(Kind.IDS, null, List.copyOf(ids));
    }
}
