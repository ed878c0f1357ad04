/**
 * wasched over HTTP: {@link dev.wasched.web.WaschedWeb} builds one Jakarta servlet serving the versioned API
 * ({@code /api/v1}, described by its OpenAPI document), signed in by users (passwords hashed with Argon2id, sessions in
 * HttpOnly SameSite=Strict cookies, a CSRF token on every change, lock-out after repeated wrong passwords) or API keys,
 * every change written to the audit log ({@link dev.wasched.web.UserDirectory}).
 */
package dev.wasched.web;
