package dev.wasched.readme;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every {@code ```java} block of the README and the pages in {@code docs/} is code a test runs: it sits in some
 * module's {@code src/test/java} between {@code // docs:<page>#<heading-anchor>:begin} and {@code ...:end}, where the
 * page is the path from the repository root and the anchor that of the heading the block stands under. Code is
 * compared with each line stripped and empty lines dropped.
 */
class DocSnippetsTest {
    private static final Path ROOT = Path.of("..");
    private static final Pattern BEGIN = Pattern.compile("^\\s*// docs:(\\S+?)#(\\S+):begin\\s*$");

    /** A marked region of a test source. */
    record Region(String page, String anchor, String code, String where) {
    }

    @Test
    void everyJavaBlockRunsInATest() throws IOException {
        List<Region> regions = regions();
        List<String> missing = new ArrayList<>();
        for (Map.Entry<String, MarkdownPage> page : pages().entrySet()) {
            for (MarkdownPage.CodeBlock block : page.getValue().javaBlocks()) {
                String code = MarkdownPage.normalize(block.code());
                boolean shown = regions.stream().anyMatch(r -> r.page().equals(page.getKey())
                        && r.anchor().equals(block.anchor()) && MarkdownPage.normalize(r.code()).equals(code));
                if (!shown) {
                    missing.add(page.getKey() + ":" + block.line() + " (the java block under #" + block.anchor()
                            + ") has no region '// docs:" + page.getKey() + "#" + block.anchor()
                            + ":begin' with the same code in any src/test/java");
                }
            }
        }
        assertThat(missing).as("doc snippets no test runs").isEmpty();
    }

    @Test
    void everyMarkedRegionShowsADocBlock() throws IOException {
        Map<String, MarkdownPage> pages = pages();
        List<String> stale = new ArrayList<>();
        for (Region r : regions()) {
            MarkdownPage page = pages.get(r.page());
            String code = MarkdownPage.normalize(r.code());
            if (page == null) {
                stale.add(r.where() + " names " + r.page() + ", which is not a page");
            } else if (page.javaBlocks().stream().noneMatch(b -> b.anchor().equals(r.anchor())
                    && MarkdownPage.normalize(b.code()).equals(code))) {
                stale.add(r.where() + " names a java block of " + r.page() + " under #" + r.anchor()
                        + " with this code, and there is none (changed or moved?)");
            }
        }
        assertThat(stale).as("marked regions for doc blocks that no longer exist").isEmpty();
    }

    /** README.md and docs/*.md, keyed by their path from the repository root. */
    private static Map<String, MarkdownPage> pages() throws IOException {
        Map<String, MarkdownPage> out = new LinkedHashMap<>();
        out.put("README.md", MarkdownPage.read(ROOT.resolve("README.md")));
        try (Stream<Path> docs = Files.list(ROOT.resolve("docs"))) {
            docs.filter(p -> p.toString().endsWith(".md")).sorted()
                    .forEach(p -> out.put("docs/" + p.getFileName(), MarkdownPage.read(p)));
        }
        return out;
    }

    /** Every marked region in every module's src/test/java. */
    static List<Region> regions() throws IOException {
        List<Region> out = new ArrayList<>();
        try (Stream<Path> modules = Files.list(ROOT)) {
            for (Path tests : modules.map(m -> m.resolve("src/test/java")).filter(Files::isDirectory).sorted().toList()) {
                try (Stream<Path> files = Files.walk(tests)) {
                    files.filter(f -> f.toString().endsWith(".java")).sorted().forEach(f -> out.addAll(regionsOf(f)));
                }
            }
        }
        return out;
    }

    private static List<Region> regionsOf(Path source) {
        List<String> lines;
        try {
            lines = Files.readAllLines(source, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<Region> out = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            Matcher m = BEGIN.matcher(lines.get(i));
            if (!m.matches()) {
                continue;
            }
            String where = ROOT.relativize(source).toString() + ":" + (i + 1);
            String end = "// docs:" + m.group(1) + "#" + m.group(2) + ":end";
            int close = i + 1;
            while (close < lines.size() && !lines.get(close).strip().equals(end)) {
                close++;
            }
            assertThat(close).as(where + " opens a region that '" + end + "' never closes").isLessThan(lines.size());
            out.add(new Region(m.group(1), m.group(2), String.join("\n", lines.subList(i + 1, close)), where));
            i = close;
        }
        return out;
    }
}
