package dev.wasched.inbound;

import java.text.Normalizer;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;

/**
 * Words that, sent back as a whole message by a contact, opt the contact out of (or back into) everything the
 * accounts send. Compared without regard to case, accents, surrounding spaces and punctuation: "Stop", " STOP! " and
 * "stóp" all match {@code STOP}; "please stop" does not.
 *
 * @param optOut words that opt a contact out: the contact receives nothing more, what is pending for it is cancelled
 * @param optIn  words that opt an opted-out contact back in
 */
public record ReplyKeywords(Set<String> optOut, Set<String> optIn) {
    /** STOP, STOPP, UNSUBSCRIBE, ABMELDEN, BAJA, ARRET to opt out; START to opt back in. */
    public static final ReplyKeywords DEFAULT = new ReplyKeywords(
            Set.of("STOP", "STOPP", "UNSUBSCRIBE", "ABMELDEN", "BAJA", "ARRET"), Set.of("START"));
    /** No keyword: replies change nothing. */
    public static final ReplyKeywords NONE = new ReplyKeywords(Set.of(), Set.of());

    /**
     * @throws IllegalArgumentException when a word is blank, or the same word opts out and in
     */
    public ReplyKeywords {
        optOut = normalized(optOut, "optOut");
        optIn = normalized(optIn, "optIn");
        for (String w : optOut) {
            if (optIn.contains(w)) {
                throw new IllegalArgumentException("'" + w + "' cannot both opt out and opt in");
            }
        }
    }

    /** Whether {@code message}, as a whole, is an opt-out word. */
    public boolean optsOut(String message) {
        return optOut.contains(normalize(message));
    }

    /** Whether {@code message}, as a whole, is an opt-in word. */
    public boolean optsIn(String message) {
        return optIn.contains(normalize(message));
    }

    private static Set<String> normalized(Set<String> words, String name) {
        Objects.requireNonNull(words, name);
        Set<String> out = new LinkedHashSet<>();
        for (String w : words) {
            String n = w == null ? "" : normalize(w);
            if (n.isEmpty()) {
                throw new IllegalArgumentException(name + " holds a blank word");
            }
            out.add(n);
        }
        return Collections.unmodifiableSet(out);
    }

    /** Upper case without accents, surrounding white space and punctuation. */
    static String normalize(String s) {
        if (s == null) {
            return "";
        }
        String plain = Normalizer.normalize(s, Normalizer.Form.NFD).replaceAll("\\p{M}+", "");
        return plain.replaceAll("^[\\p{Z}\\s\\p{P}]+|[\\p{Z}\\s\\p{P}]+$", "").toUpperCase(Locale.ROOT);
    }
}
