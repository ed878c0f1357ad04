/**
 * Importing contacts from CSV and XLSX files as background jobs: {@link dev.wasched.contact.imports.ContactImporter}
 * describes and starts an import, {@link dev.wasched.contact.imports.ImportJob} follows it, and
 * {@link dev.wasched.contact.imports.ImportReport} says what happened, row by row for the rejected ones.
 */
package dev.wasched.contact.imports;
