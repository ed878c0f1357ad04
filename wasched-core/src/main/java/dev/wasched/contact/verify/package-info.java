/**
 * Bulk WhatsApp registration checks: {@code contacts().verify(VerifyOptions)} asks the account's transport, at its
 * own pace, which selected numbers use WhatsApp and records the answer with its time on each contact
 * ({@link dev.wasched.contact.Contact#registration()}).
 */
package dev.wasched.contact.verify;
