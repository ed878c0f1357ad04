package dev.wasched.testkit.cloud;

/** A message template's review state in WhatsApp Manager; only an APPROVED template can be sent. */
public enum TemplateStatus { APPROVED, PENDING, REJECTED, PAUSED }
