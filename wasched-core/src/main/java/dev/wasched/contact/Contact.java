package dev.wasched.contact;

import java.time.Instant;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * A person messages are sent to. Created through {@code wasched.contacts().create(ContactSpec)}; the phone number is
 * unique among contacts.
 *
 * @param fields   custom values for templates ({@code {{city}}}), see {@link ContactSpec} for the rules
 * @param optedOut an opted-out contact receives nothing; opting out cancels what is pending for them
 * @param zone     the contact's own time zone for quiet hours, or null to derive it from the number
 * @param version  increases with every change; stores compare-and-set on it
 */
public record Contact(String id, String displayName, PhoneNumber phone, Set<String> tags, Map<String, String> fields,
                      boolean optedOut, Registration registration, ZoneId zone, Instant createdAt, Instant updatedAt,
                      long version) {
    public Contact {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(phone, "phone");
        displayName = displayName == null ? "" : displayName;
        tags = Set.copyOf(tags == null ? Set.of() : tags);
        fields = Map.copyOf(fields == null ? Map.of() : fields);
        registration = registration == null ? Registration.UNKNOWN : registration;
        createdAt = Objects.requireNonNull(createdAt, "createdAt").truncatedTo(ChronoUnit.MILLIS);
        updatedAt = (updatedAt == null ? createdAt : updatedAt).truncatedTo(ChronoUnit.MILLIS);
    }

    /** The zone quiet hours use for this contact: its own, else the one its number maps to. */
    public Optional<ZoneId> effectiveZone() {
        return zone != null ? Optional.of(zone) : phone.zone();
    }

    public boolean hasTag(String tag) {
        return tags.contains(ContactSpec.normalizeTag(tag));
    }

    /** The variables a template sees for this contact: its custom fields plus {@code name} and {@code phone}. */
    public Map<String, String> templateVariables() {
        java.util.HashMap<String, String> vars = new java.util.HashMap<>(fields);
        vars.putIfAbsent("name", displayName);
        vars.putIfAbsent("phone", phone.e164());
        return vars;
    }

    public Contact withOptedOut(boolean value, Instant now) {
        return new Contact(id, displayName, phone, tags, fields, value, registration, zone, createdAt, now, version + 1);
    }

    public Contact withRegistration(Registration value, Instant now) {
        return new Contact(id, displayName, phone, tags, fields, optedOut, value, zone, createdAt, now, version + 1);
    }

    /** Applies a new spec (already parsed to {@code phone}); the registration is reset when the number changes. */
    public Contact withSpec(ContactSpec spec, PhoneNumber newPhone, Instant now) {
        Registration reg = newPhone.equals(phone) ? registration : Registration.UNKNOWN;
        return new Contact(id, spec.displayName(), newPhone, spec.tags(), spec.fields(), optedOut, reg, spec.zone(),
                createdAt, now, version + 1);
    }
}
