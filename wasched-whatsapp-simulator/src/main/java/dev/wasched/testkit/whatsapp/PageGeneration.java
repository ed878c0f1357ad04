package dev.wasched.testkit.whatsapp;

/**
 * Which WhatsApp Web page the simulator serves. The generations differ in their DOM (see the
 * {@linkplain dev.wasched.testkit.whatsapp package documentation}, which lists both), not in the
 * control API: linking, registering numbers, acks and faults work the same on both.
 */
public enum PageGeneration {

    /**
     * The page as it was built in 2024 and unchanged since: {@code div.message-out[data-id]} bubbles with
     * {@code span[data-icon]} status icons, a {@code contenteditable} search box, every message of an open
     * chat in the DOM, no blocking screens.
     */
    WEB_2024,

    /**
     * The page of 2025-26, the default: message rows {@code div[role="row"] > div[data-id]} without direction
     * classes, status as an {@code aria-label} on a span holding an SVG whose {@code <title>} names the icon, a
     * virtualised message list, markdown and emoji rendering, "Read more" for long texts, an {@code <input>}
     * search box, the "New chat" panel, {@code window.Debug.VERSION}, and the blocking screens (passkey,
     * "What's new", open in another window, restricted account, offline).
     */
    WEB_2026
}
