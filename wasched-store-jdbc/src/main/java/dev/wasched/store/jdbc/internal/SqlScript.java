package dev.wasched.store.jdbc.internal;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits a migration script into statements at semicolons outside quotes, dollar quotes and comments. Comments
 * are dropped. Drivers do not all accept several statements in one call, so the runner sends them one by one.
 */
final class SqlScript {
    private SqlScript() {
    }

    static List<String> statements(String script) {
        List<String> out = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        int n = script.length();
        int i = 0;
        while (i < n) {
            char ch = script.charAt(i);
            if (ch == '-' && i + 1 < n && script.charAt(i + 1) == '-') {
                int end = script.indexOf('\n', i);
                i = end < 0 ? n : end;
            } else if (ch == '/' && i + 1 < n && script.charAt(i + 1) == '*') {
                int end = script.indexOf("*/", i + 2);
                i = end < 0 ? n : end + 2;
                cur.append(' ');
            } else if (ch == '\'' || ch == '"') {
                int end = closing(script, i + 1, ch);
                cur.append(script, i, end);
                i = end;
            } else if (ch == '$' && dollarTag(script, i) != null) {
                String tag = dollarTag(script, i);
                int close = script.indexOf(tag, i + tag.length());
                int end = close < 0 ? n : close + tag.length();
                cur.append(script, i, end);
                i = end;
            } else if (ch == ';') {
                add(out, cur);
                i++;
            } else {
                cur.append(ch);
                i++;
            }
        }
        add(out, cur);
        return out;
    }

    /** The index after the quote that closes a quoted part starting at {@code from}; doubled quotes are escapes. */
    private static int closing(String s, int from, char quote) {
        int i = from;
        while (i < s.length()) {
            if (s.charAt(i) == quote) {
                if (i + 1 < s.length() && s.charAt(i + 1) == quote) {
                    i += 2;
                    continue;
                }
                return i + 1;
            }
            i++;
        }
        return s.length();
    }

    /** {@code $$} or {@code $tag$} starting at {@code i}, or null. */
    private static String dollarTag(String s, int i) {
        int j = i + 1;
        while (j < s.length() && (Character.isLetterOrDigit(s.charAt(j)) || s.charAt(j) == '_')) {
            j++;
        }
        if (j < s.length() && s.charAt(j) == '$' && (j == i + 1 || !Character.isDigit(s.charAt(i + 1)))) {
            return s.substring(i, j + 1);
        }
        return null;
    }

    private static void add(List<String> out, StringBuilder cur) {
        String sql = cur.toString().strip();
        if (!sql.isEmpty()) {
            out.add(sql);
        }
        cur.setLength(0);
    }
}
