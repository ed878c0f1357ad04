package dev.wasched.spi.store;

import dev.wasched.Page;
import dev.wasched.PageRequest;
import dev.wasched.access.AuditEntry;

/** The audit log: appended to, never changed; listed newest first. */
public interface AuditRepository {
    void append(AuditEntry entry);

    /** Newest first (by id, which is time-ordered); the cursor is the last id of the previous page. */
    Page<AuditEntry> list(PageRequest page);
}
