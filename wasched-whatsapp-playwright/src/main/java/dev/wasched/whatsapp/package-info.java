/**
 * The WhatsApp Web transport: {@link dev.wasched.whatsapp.PlaywrightTransport} drives WhatsApp Web in a Chromium
 * through Playwright, one browser per WhatsApp account, configured by
 * {@link dev.wasched.whatsapp.PlaywrightTransportConfig}. Every DOM fact it relies on is in a
 * {@link dev.wasched.whatsapp.SelectorProfile} that configuration can override key by key;
 * {@link dev.wasched.whatsapp.QrRendering} turns login QR payloads into terminal text or PNG.
 */
package dev.wasched.whatsapp;
