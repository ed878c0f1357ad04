package dev.wasched.whatsapp.internal;

import java.util.regex.Pattern;

/**
 * Compares what was entered with what a message row shows. WhatsApp Web draws {@code *bold*}, {@code _italic_},
 * {@code ~strike~} and {@code ```monospace```} without their markers, emoji as images (the page scripts read their
 * alt text), and cuts long texts short behind a "Read more" control; spaces may come back as no-break spaces and
 * line breaks as spaces. So both sides lose their formatting markers and variation selectors, every run of
 * whitespace counts as one space, and a cut text matches when it is the start of the entered one. The result is only
 * ever a soft check: a row is never judged "not ours" by its text when its id says it is.
 */
final class MessageText {
    private static final Pattern MARKERS = Pattern.compile("```|[*_~`]");
    private static final Pattern SPACE = Pattern.compile("[\\s\\u00a0\\u2007\\u202f]+");
    /** Emoji variation selectors, which an image's alt text may or may not carry. */
    private static final Pattern VARIATION = Pattern.compile("[\\ufe0e\\ufe0f]");
    /** What a cut text may end with before its "Read more". */
    private static final Pattern ELLIPSIS = Pattern.compile("(\\u2026|\\.\\.\\.)$");

    private MessageText() {
    }

    /** {@code text} as it is compared: no formatting markers, no variation selectors, whitespace runs as one space. */
    static String comparable(String text) {
        if (text == null) {
            return "";
        }
        String v = MARKERS.matcher(text).replaceAll("");
        v = VARIATION.matcher(v).replaceAll("");
        return SPACE.matcher(v).replaceAll(" ").strip();
    }

    /**
     * Whether a row showing {@code shown} ({@code cut}: behind a "Read more") shows the text {@code entered}.
     */
    static boolean sameAsShown(String entered, String shown, boolean cut) {
        String want = comparable(entered);
        String got = comparable(shown);
        if (!cut) {
            return want.equals(got);
        }
        got = ELLIPSIS.matcher(got).replaceAll("").strip();
        return !got.isEmpty() && want.startsWith(got);
    }
}
