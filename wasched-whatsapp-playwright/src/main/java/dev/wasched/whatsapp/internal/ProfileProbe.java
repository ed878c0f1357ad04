package dev.wasched.whatsapp.internal;

import com.microsoft.playwright.Page;
import dev.wasched.whatsapp.SelectorMatch;
import dev.wasched.whatsapp.SelectorProfile;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What the page shows of a selector profile: for each key, which candidate matched, and the WhatsApp Web build the
 * page reports. For health and probe output; reads only, installs nothing.
 */
public final class ProfileProbe {
    private static final String MATCHES = PageExtractors.function("""
            const out = {};
            for (const key of a.keys) out[key] = X.matchIndex(key);
            return out;
            """);

    private static final String WEB_BUILD = PageExtractors.function("return X.webBuild();");

    private ProfileProbe() {
    }

    /**
     * Which candidate of each key matched on the page now. Keys whose candidates are not selectors are refused;
     * templated keys ({@code {name}}) are matched with {@code name} filled in, and skipped when it is null.
     *
     * @throws IllegalArgumentException for a key that is unknown or not a selector key
     */
    public static List<SelectorMatch> matches(Page page, SelectorProfile profile, Collection<String> keys, String name) {
        Map<String, List<String>> arg = new LinkedHashMap<>();
        for (String key : keys) {
            if (!profile.isSelectorKey(key)) {
                throw new IllegalArgumentException("'" + key + "' is not a selector key");
            }
            List<String> filled = new ArrayList<>();
            for (String c : profile.candidates(key)) {
                if (c.contains("{name}")) {
                    if (name == null) {
                        filled = null;
                        break;
                    }
                    c = c.replace("{name}", WhatsAppWebPage.cssString(name));
                }
                filled.add(c);
            }
            if (filled != null) {
                arg.put(key, filled);
            }
        }
        Map<String, Object> a = new HashMap<>();
        a.put("S", arg);
        a.put("keys", new ArrayList<>(arg.keySet()));
        @SuppressWarnings("unchecked")
        Map<String, Object> r = (Map<String, Object>) page.evaluate(MATCHES, a);
        List<SelectorMatch> out = new ArrayList<>();
        for (Map.Entry<String, List<String>> e : arg.entrySet()) {
            int i = ((Number) r.get(e.getKey())).intValue();
            List<String> c = e.getValue();
            out.add(i < 0 ? SelectorMatch.none(e.getKey(), c.size()) : new SelectorMatch(e.getKey(), i, c.get(i), c.size()));
        }
        return out;
    }

    /** The WhatsApp Web build the page reports ({@code Debug.VERSION} or its build constants), if any. */
    public static Optional<String> webBuild(Page page) {
        Map<String, Object> a = new HashMap<>();
        a.put("S", Map.of());
        Object v = page.evaluate(WEB_BUILD, a);
        return v == null ? Optional.empty() : Optional.of(String.valueOf(v));
    }
}
