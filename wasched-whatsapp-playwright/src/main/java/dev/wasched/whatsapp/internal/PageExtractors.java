package dev.wasched.whatsapp.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The typed readers of WhatsApp Web's page ({@code extractors.js} next to this class): one JavaScript expression, a
 * function of the selector profile (key to candidate list) returning the readers that every page script uses:
 * first/all matches of a key, the ack state of a message row, a row's message id, the pairing code, the meaning of
 * a popup text, the page's build. The pure parts also exist here in Java, with the same rules, for callers that read
 * values outside the page.
 */
public final class PageExtractors {
    /** The JavaScript source: {@code (S) => ({ first, all, ackState, ... })}. */
    public static final String SOURCE = load();

    private static final Pattern RGB = Pattern.compile("rgba?\\(\\s*(\\d+)[,\\s]+(\\d+)[,\\s]+(\\d+)(?:[,\\s/]+([\\d.]+%?))?");

    private PageExtractors() {
    }

    /** A page-script function of one argument {@code a} (profile in {@code a.S}) with the readers bound as {@code X}. */
    public static String function(String body) {
        return "(a) => {\nconst X = (" + SOURCE + ")(a.S);\n" + body + "\n}";
    }

    /**
     * {@code ABCD-EFGH}, {@code A,B,C,D,E,F,G,H}, {@code ABCDEFGH} or the characters with any separators between
     * them, as {@code ABCD-EFGH} (upper case); null when there are not exactly 8 letters and digits.
     */
    public static String canonicalPairingCode(String raw) {
        if (raw == null) {
            return null;
        }
        String s = raw.replaceAll("[^A-Za-z0-9]", "").toUpperCase(Locale.ROOT);
        return s.length() == 8 ? s.substring(0, 4) + "-" + s.substring(4) : null;
    }

    /**
     * Text as popup wordings are compared: lower case, runs of white space as one space, typographic apostrophes as
     * plain ones, sentence punctuation at either end dropped.
     */
    public static String normalizeText(String text) {
        if (text == null) {
            return "";
        }
        String t = text.replaceAll("[\\u00a0\\s]+", " ").replace('\u2018', '\'').replace('\u2019', '\'')
                .strip().toLowerCase(Locale.ROOT);
        return t.replaceAll("^[\\s.!?:;,]+|[\\s.!?:;,]+$", "");
    }

    /** Whether a popup text contains one of the wordings, after {@link #normalizeText}. */
    public static boolean popupSays(String text, Iterable<String> wordings) {
        String t = normalizeText(text);
        if (t.isEmpty()) {
            return false;
        }
        for (String w : wordings) {
            String n = normalizeText(w);
            if (!n.isEmpty() && t.contains(n)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Whether a CSS colour ({@code rgb(...)} / {@code rgba(...)}) is one whose blue channel dominates, as the read
     * double tick's is. "Dominates" rather than "is high": in the dark theme the grey tick is a translucent white.
     */
    public static boolean isBlue(String colour) {
        if (colour == null) {
            return false;
        }
        Matcher m = RGB.matcher(colour);
        if (!m.find()) {
            return false;
        }
        int r = Integer.parseInt(m.group(1));
        int g = Integer.parseInt(m.group(2));
        int b = Integer.parseInt(m.group(3));
        if (m.group(4) != null && Double.parseDouble(m.group(4).replace("%", "")) == 0) {
            return false;
        }
        return b >= 150 && b - r >= 60 && b >= g;
    }

    private static String load() {
        return script("extractors.js");
    }

    /** A script shipped next to this class, as text. */
    static String script(String name) {
        try (InputStream in = PageExtractors.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException(name + " is missing next to " + PageExtractors.class.getName());
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
