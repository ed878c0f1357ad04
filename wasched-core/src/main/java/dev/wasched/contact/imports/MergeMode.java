package dev.wasched.contact.imports;

/**
 * What an import does with a row whose phone number belongs to a contact that exists already. Either way the result
 * does not depend on how often the same file is imported, so an interrupted import can simply be run again.
 */
public enum MergeMode {
    /**
     * Merges the row into the existing contact: a non-blank name replaces the name, tags are added (never removed),
     * custom fields from non-empty cells are set (others are kept). Opt-out, registration and zone stay as they were.
     * A row that would change nothing is counted as unchanged and not written.
     */
    UPDATE,
    /** Leaves the existing contact exactly as it is (the import's tag is not added either) and counts the row as skipped. */
    SKIP
}
