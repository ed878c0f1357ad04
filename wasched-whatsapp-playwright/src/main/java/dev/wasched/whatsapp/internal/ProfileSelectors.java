package dev.wasched.whatsapp.internal;

import com.microsoft.playwright.Page;
import com.microsoft.playwright.PlaywrightException;
import dev.wasched.whatsapp.SelectorProfile;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/** A profile key's candidates in the shapes Playwright's locators take. */
final class ProfileSelectors {
    private ProfileSelectors() {
    }

    /**
     * A selector key for a locator: the first candidate that matches on the page now, as page scripts choose; when
     * none does yet, all candidates as one CSS selector list, so that waiting for the element accepts whichever form
     * appears. Any other key: its first candidate.
     */
    static String forLocator(Page page, SelectorProfile profile, String key) {
        List<String> c = profile.candidates(key);
        if (!profile.isSelectorKey(key) || c.size() == 1) {
            return c.get(0);
        }
        if (page != null) {
            for (String candidate : c) {
                if (candidate.contains("{")) {
                    break; // a template: matched once filled in, by the caller
                }
                try {
                    if (page.locator(candidate).count() > 0) {
                        return candidate;
                    }
                } catch (PlaywrightException e) {
                    // not a selector this browser understands, or the page is going away: try the next
                }
            }
        }
        return String.join(", ", c);
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
