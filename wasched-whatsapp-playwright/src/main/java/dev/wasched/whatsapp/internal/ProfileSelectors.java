package dev.wasched.whatsapp.internal;

import dev.wasched.whatsapp.SelectorProfile;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/** A profile key's candidates in the shapes Playwright's locators take. */
final class ProfileSelectors {
    private ProfileSelectors() {
    }

    /**
     * A selector key's candidates as one CSS selector list, which matches an element of any candidate (a locator
     * cannot prefer one; page scripts, which can, try the candidates in order); any other key's first candidate.
     */
    static String forLocator(SelectorProfile profile, String key) {
        List<String> c = profile.candidates(key);
        return profile.isSelectorKey(key) && c.size() > 1 ? String.join(", ", c) : c.get(0);
    }

    /**
     * A text key's candidates as one case-insensitive pattern matching any of them. Playwright hands the pattern to
     * the page as a JavaScript RegExp, so the texts are escaped character by character ({@code \\Q..\\E} does not
     * exist there) and only the flags JavaScript knows are used.
     */
    static Pattern anyText(SelectorProfile profile, String key) {
        return Pattern.compile(profile.candidates(key).stream().map(ProfileSelectors::escape)
                .collect(Collectors.joining("|")), Pattern.CASE_INSENSITIVE);
    }

    private static String escape(String text) {
        StringBuilder b = new StringBuilder();
        for (char c : text.toCharArray()) {
            if ("\\^$.|?*+()[]{}/".indexOf(c) >= 0) {
                b.append('\\');
            }
            b.append(c);
        }
        return b.toString();
    }
}
