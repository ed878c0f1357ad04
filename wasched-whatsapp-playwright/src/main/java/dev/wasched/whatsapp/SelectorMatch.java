package dev.wasched.whatsapp;

import java.util.Objects;

/**
 * Which candidate of a selector profile key matched on WhatsApp Web's page, for health and probe output such as
 * {@code sendButton: matched candidate 2 `button > span[data-icon="wds-ic-send-filled"]`}.
 *
 * @param key       the profile key
 * @param index     the 0-based position of the first candidate that matched, or -1 when none did
 * @param candidate that candidate, or null when none matched
 * @param tried     how many candidates the key has
 */
public record SelectorMatch(String key, int index, String candidate, int tried) {
    public SelectorMatch {
        Objects.requireNonNull(key, "key");
        if (index < -1 || index >= tried || (index < 0) != (candidate == null)) {
            throw new IllegalArgumentException("inconsistent match of '" + key + "': index " + index + " of " + tried);
        }
    }

    /** No candidate of the key matched. */
    public static SelectorMatch none(String key, int tried) {
        return new SelectorMatch(key, -1, null, tried);
    }

    /** Whether a candidate matched. */
    public boolean matched() {
        return index >= 0;
    }

    /** One line, counting candidates from 1 as a person would. */
    @Override
    public String toString() {
        return matched()
                ? key + ": matched candidate " + (index + 1) + " `" + candidate + "`"
                : key + ": none of " + tried + " candidates matched";
    }
}
