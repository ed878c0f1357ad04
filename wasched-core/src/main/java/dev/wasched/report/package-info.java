/**
 * How a campaign did: counts of a schedule's deliveries by status, per occurrence and in total, with the rates a
 * business asks about (delivered, read, replied). {@code Wasched.deliveries().report(scheduleId)} builds them.
 */
package dev.wasched.report;
