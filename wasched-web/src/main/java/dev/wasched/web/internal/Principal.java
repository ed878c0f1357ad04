package dev.wasched.web.internal;

import dev.wasched.access.Role;

/**
 * Who is calling: a signed-in user (with their browser session) or an API key.
 *
 * @param actor   as the audit log names it: {@code user:NAME} or {@code key:ID}
 * @param session the browser session, or null for an API key
 */
public record Principal(String actor, String name, Role role, WebSessions.Session session) {
}
