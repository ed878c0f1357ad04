package dev.wasched.readme;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/** A Markdown page read the way GitHub shows it: its headings' anchors and its fenced code blocks. */
final class MarkdownPage {
    private static final Pattern HEADING = Pattern.compile("^#{1,6} (.*)$");

    /** A fenced {@code ```java} block: the line its fence opens on, the anchor of the heading above it, its code. */
    record CodeBlock(int line, String anchor, String code) {
    }

    private final List<String> lines;

    private MarkdownPage(List<String> lines) {
        this.lines = lines;
    }

    static MarkdownPage read(Path page) {
        try {
            return new MarkdownPage(Files.readAllLines(page, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The anchors GitHub makes of the page's headings: lower case, punctuation dropped, spaces as hyphens. */
    Set<String> anchors() {
        Set<String> out = new LinkedHashSet<>();
        walk(out, new ArrayList<>());
        return out;
    }

    /** The page's {@code ```java} blocks, in order. */
    List<CodeBlock> javaBlocks() {
        List<CodeBlock> out = new ArrayList<>();
        walk(new LinkedHashSet<>(), out);
        return out;
    }

    /** The page's lines outside code blocks. */
    List<String> prose() {
        List<String> out = new ArrayList<>();
        boolean code = false;
        for (String line : lines) {
            if (line.startsWith("```")) {
                code = !code;
            } else if (!code) {
                out.add(line);
            }
        }
        return out;
    }

    private void walk(Set<String> anchors, List<CodeBlock> blocks) {
        Map<String, Integer> seen = new HashMap<>();
        String anchor = "";
        List<String> block = null;
        int opened = 0;
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            if (line.startsWith("```")) {
                if (block == null) {
                    block = line.strip().equals("```java") ? new ArrayList<>() : null;
                    opened = i + 1;
                    if (block == null) {
                        i = skipFence(i);
                    }
                } else {
                    blocks.add(new CodeBlock(opened, anchor, String.join("\n", block)));
                    block = null;
                }
                continue;
            }
            if (block != null) {
                block.add(line);
                continue;
            }
            Matcher m = HEADING.matcher(line);
            if (m.matches()) {
                String slug = m.group(1).strip().toLowerCase(Locale.ROOT).replaceAll("[^\\p{L}\\p{N}_\\- ]", "")
                        .replace(' ', '-');
                int n = seen.merge(slug, 1, Integer::sum) - 1;
                anchor = n == 0 ? slug : slug + "-" + n;
                anchors.add(anchor);
            }
        }
    }

    /** The index of the line closing the (non-Java) fence opened at {@code open}. */
    private int skipFence(int open) {
        for (int i = open + 1; i < lines.size(); i++) {
            if (lines.get(i).startsWith("```")) {
                return i;
            }
        }
        return lines.size();
    }

    /** Code as compared between a page and a test: each line stripped, empty lines dropped. */
    static String normalize(String code) {
        return code.lines().map(String::strip).filter(l -> !l.isEmpty()).collect(Collectors.joining("\n"));
    }
}
