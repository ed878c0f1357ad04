/**
 * Implementation of the WhatsApp Web simulator: state, HTTP endpoints and QR encoding.
 * Not API: users never import this package; it may change in any release.
 */
package dev.wasched.testkit.whatsapp.internal;
