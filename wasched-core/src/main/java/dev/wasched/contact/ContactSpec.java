package dev.wasched.contact;

import dev.wasched.ValidationException;
import java.time.ZoneId;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * What a caller says about a contact: the number as typed (parsed with the configured default region when stored),
 * a name, tags and custom fields. Validated when built.
 *
 * <ul>
 *   <li>tags: 1 to 64 letters, digits, {@code _} or {@code -}; stored lower-case; at most 100</li>
 *   <li>field names: a letter then letters, digits or {@code _}, up to 64; values up to 1,024 characters; at most 100
 *   </li>
 *   <li>display name: up to 256 characters</li>
 * </ul>
 */
public record ContactSpec(String displayName, String phone, Set<String> tags, Map<String, String> fields, ZoneId zone) {
    private static final Pattern TAG = Pattern.compile("[\\p{L}\\p{N}_-]{1,64}");
    private static final Pattern FIELD = Pattern.compile("[A-Za-z][A-Za-z0-9_]{0,63}");
    public static final int MAX_TAGS = 100;
    public static final int MAX_FIELDS = 100;
    public static final int MAX_FIELD_VALUE = 1024;
    public static final int MAX_NAME = 256;

    public ContactSpec {
        if (phone == null || phone.isBlank()) {
            throw new ValidationException("phone", "is required");
        }
        displayName = displayName == null ? "" : displayName.strip();
        if (displayName.length() > MAX_NAME) {
            throw new ValidationException("displayName", "longer than " + MAX_NAME + " characters");
        }
        Set<String> normalized = new LinkedHashSet<>();
        for (String t : tags == null ? Set.<String>of() : tags) {
            normalized.add(normalizeTag(t));
        }
        if (normalized.size() > MAX_TAGS) {
            throw new ValidationException("tags", "more than " + MAX_TAGS);
        }
        tags = Set.copyOf(normalized);
        Map<String, String> f = new LinkedHashMap<>();
        (fields == null ? Map.<String, String>of() : fields).forEach((k, v) -> {
            if (!isFieldName(k)) {
                throw new ValidationException("fields", "invalid field name '" + k + "' (a letter, then letters, digits or _; up to 64)");
            }
            if (v == null || v.length() > MAX_FIELD_VALUE) {
                throw new ValidationException("fields." + k, v == null ? "value is null" : "longer than " + MAX_FIELD_VALUE + " characters");
            }
            f.put(k, v);
        });
        if (f.size() > MAX_FIELDS) {
            throw new ValidationException("fields", "more than " + MAX_FIELDS);
        }
        fields = Map.copyOf(f);
    }

    /** Trims and lower-cases a tag, rejecting one that breaks the tag rule. */
    public static String normalizeTag(String tag) {
        String t = tag == null ? "" : tag.strip().toLowerCase(Locale.ROOT);
        if (!TAG.matcher(t).matches()) {
            throw new ValidationException("tag", "invalid tag '" + tag + "' (1 to 64 letters, digits, _ or -)");
        }
        return t;
    }

    /** Whether {@code name} may name a custom field: a letter, then letters, digits or _; up to 64. */
    public static boolean isFieldName(String name) {
        return name != null && FIELD.matcher(name).matches();
    }

    public static Builder builder() {
        return new Builder();
    }

    public static final class Builder {
        private String displayName;
        private String phone;
        private final Set<String> tags = new LinkedHashSet<>();
        private final Map<String, String> fields = new LinkedHashMap<>();
        private ZoneId zone;

        public Builder name(String displayName) {
            this.displayName = displayName;
            return this;
        }

        public Builder phone(String phone) {
            this.phone = phone;
            return this;
        }

        public Builder tag(String... tags) {
            this.tags.addAll(java.util.Arrays.asList(tags));
            return this;
        }

        public Builder tags(Set<String> tags) {
            this.tags.addAll(tags);
            return this;
        }

        public Builder field(String name, String value) {
            this.fields.put(name, value);
            return this;
        }

        public Builder fields(Map<String, String> fields) {
            this.fields.putAll(fields);
            return this;
        }

        public Builder zone(ZoneId zone) {
            this.zone = zone;
            return this;
        }

        public ContactSpec build() {
            return new ContactSpec(displayName, phone, tags, fields, zone);
        }
    }
}
