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
 * @param optOut             words that opt a contact out: the contact receives nothing more, what is pending for it
 *                           is cancelled
 * @param optIn              words that opt an opted-out contact back in
 * @param optOutConfirmation text sent back once to a contact that opted out by a word (the one message it still
 *                           receives), or null for none
 * @param optInConfirmation  text sent back once to a contact that opted back in by a word, or null for none
 */
public record ReplyKeywords(Set<String> optOut, Set<String> optIn, String optOutConfirmation,
                            String optInConfirmation) {
    /** STOP, STOPP, UNSUBSCRIBE, ABMELDEN, BAJA, ARRET to opt out; START to opt back in. */
    public static final ReplyKeywords DEFAULT = new ReplyKeywords(
            Set.of("STOP", "STOPP", "UNSUBSCRIBE", "ABMELDEN", "BAJA", "ARRET"), Set.of("START"));
    /** No keyword: replies change nothing. */
    public static final ReplyKeywords NONE = new ReplyKeywords(Set.of(), Set.of());

    /**
     * @throws IllegalArgumentException when a word is blank, or the same word opts out and in, or a confirmation is
     *                                  blank, too long or has a {@code {{placeholder}}} (it is sent as it is)
     */
    public ReplyKeywords {
        optOut = normalized(optOut, "optOut");
        optIn = normalized(optIn, "optIn");
        for (String w : optOut) {
            if (optIn.contains(w)) {
                throw new IllegalArgumentException("'" + w + "' cannot both opt out and opt in");
            }
        }
        checkConfirmation(optOutConfirmation, "optOutConfirmation");
        checkConfirmation(optInConfirmation, "optInConfirmation");
    }

    /** The words, without confirmations. */
    public ReplyKeywords(Set<String> optOut, Set<String> optIn) {
        this(optOut, optIn, null, null);
    }

    /** The same words, confirming an opt-out with {@code text} (null: no confirmation). */
    public ReplyKeywords withOptOutConfirmation(String text) {
        return new ReplyKeywords(optOut, optIn, text, optInConfirmation);
    }

    /** The same words, confirming an opt-in with {@code text} (null: no confirmation). */
    public ReplyKeywords withOptInConfirmation(String text) {
        return new ReplyKeywords(optOut, optIn, optOutConfirmation, text);
    }

    /** Whether {@code message}, as a whole, is an opt-out word. */
    public boolean optsOut(String message) {
        return optOut.contains(normalize(message));
    }

    /** Whether {@code message}, as a whole, is an opt-in word. */
    public boolean optsIn(String message) {
        return optIn.contains(normalize(message));
    }

    private static void checkConfirmation(String text, String name) {
        if (text == null) {
            return;
        }
        if (text.isBlank() || text.length() > dev.wasched.message.MessageContent.MAX_TEXT) {
            throw new IllegalArgumentException(name + " must have 1 to " + dev.wasched.message.MessageContent.MAX_TEXT
                    + " characters");
        }
        if (!dev.wasched.message.Template.variables(text).isEmpty()) {
            throw new IllegalArgumentException(name + " is sent as it is: it cannot have a {{placeholder}}");
        }
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
