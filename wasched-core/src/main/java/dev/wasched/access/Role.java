package dev.wasched.access;

/** What a user or an API key may do; each role may do everything the roles before it may. */
public enum Role {
    /** Reads everything, changes nothing. */
    VIEWER,
    /** Also manages contacts, templates, media, schedules and deliveries, and links accounts. */
    OPERATOR,
    /** Also manages users, API keys and accounts, and reads the audit log. */
    ADMIN;

    /** Whether this role may do what {@code needed} may. */
    public boolean includes(Role needed) {
        return compareTo(needed) >= 0;
    }
}
