/**
 * The account registry: the WhatsApp numbers wasched runs, added, paused, resumed and removed while it runs, and kept
 * in the store so every instance sharing it learns of them within one heartbeat.
 */
package dev.wasched.account;
