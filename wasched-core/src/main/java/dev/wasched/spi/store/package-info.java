/**
 * What a store implements. A store keeps contacts, templates, schedules, deliveries, media, session snapshots,
 * leases, instance heartbeats and pacing state for one or many engine instances.
 *
 * <p>Rules every store follows (the testkit's {@code StoreCompatibilityKit} checks them):
 * <ul>
 *   <li>Instants are stored to the millisecond and read back equal.</li>
 *   <li>{@code update(x)} is a compare-and-set: it writes {@code x} only where the stored version is
 *   {@code x.version() - 1}, and returns false otherwise.</li>
 *   <li>Claims are atomic: one row is claimed by at most one caller, even with many instances on one database.</li>
 *   <li>Lists by cursor are ordered by id (ids are time-ordered strings); a cursor is the last id of a page.</li>
 *   <li>Unique keys: contact phone, template name, delivery {@code (scheduleId, fireAt, recipientKey)}. A violated key
 *   raises {@link dev.wasched.spi.store.DuplicateKeyException}, except where a method says it ignores duplicates.</li>
 * </ul>
 */
package dev.wasched.spi.store;
