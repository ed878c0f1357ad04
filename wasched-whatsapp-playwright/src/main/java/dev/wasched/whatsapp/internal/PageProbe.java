package dev.wasched.whatsapp.internal;

import com.microsoft.playwright.Page;
import dev.wasched.whatsapp.ProbeReport;
import dev.wasched.whatsapp.SelectorMatch;
import dev.wasched.whatsapp.SelectorProfile;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Checks selector profile keys on the page as it is, for {@code probe}: which candidate of each key matched, and for
 * a key that nothing matched an outline of the page around where it should be (tag names, roles, icons, short
 * labels; never text, titles or digits), so that a person can write the candidate that is missing.
 */
final class PageProbe {
    private static final int SAMPLE_CHARS = 700;

    /** The outline of the first element a region candidate matches: a few levels, attributes that name UI only. */
    private static final String OUTLINE = """
            (a) => {
              let root = null;
              for (const sel of a.regions) { try { root = document.querySelector(sel); } catch (e) { root = null; } if (root) break; }
              if (!root) return null;
              const label = (v) => {
                let s = String(v).split(/ to | with |:/)[0];
                s = s.replace(/[0-9]/g, '#');
                return s.length > 24 ? s.slice(0, 24) + '…' : s;
              };
              const KEEP = ['id', 'role', 'data-icon', 'data-tab', 'data-testid', 'type', 'contenteditable'];
              const out = [];
              let budget = a.max;
              const walk = (el, depth) => {
                if (budget <= 0) return;
                let s = '<' + el.tagName.toLowerCase();
                for (const name of KEEP) {
                  const v = el.getAttribute(name);
                  if (v !== null) s += ' ' + name + '="' + String(v).replace(/[0-9]{4,}/g, '#').slice(0, 32) + '"';
                }
                const aria = el.getAttribute('aria-label');
                if (aria) s += ' aria-label="' + label(aria) + '"';
                if (el.getAttribute('title') !== null) s += ' title="…"';
                if (el.classList.length) s += ' class="' + Array.from(el.classList).slice(0, 2).join(' ') + '"';
                s += '>';
                out.push(s);
                budget -= s.length;
                if (depth < 6) for (const c of Array.from(el.children).slice(0, 8)) walk(c, depth + 1);
              };
              walk(root, 0);
              return out.join('');
            }
            """;

    private PageProbe() {
    }

    /**
     * Checks {@code required} and {@code optional} keys; a key nothing matched gets the outline of the first of
     * {@code regions} found on the page.
     */
    static List<ProbeReport.KeyCheck> keys(Page page, SelectorProfile profile, List<String> required,
                                           List<String> optional, List<String> regions, String chatName) {
        Set<String> all = new LinkedHashSet<>(required);
        all.addAll(optional);
        List<SelectorMatch> matches = ProfileProbe.matches(page, profile, all, chatName);
        String outline = null;
        List<ProbeReport.KeyCheck> out = new ArrayList<>();
        for (SelectorMatch m : matches) {
            String sample = null;
            if (!m.matched()) {
                outline = outline != null ? outline : outline(page, regions);
                sample = outline;
            }
            out.add(new ProbeReport.KeyCheck(m, required.contains(m.key()), sample));
        }
        return out;
    }

    static String outline(Page page, List<String> regions) {
        Map<String, Object> a = new HashMap<>();
        a.put("regions", regions);
        a.put("max", SAMPLE_CHARS);
        Object r = page.evaluate(OUTLINE, a);
        return r == null ? "(none of " + regions + " is on the page)" : String.valueOf(r);
    }
}
