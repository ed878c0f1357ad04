package dev.wasched.readme;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every public top-level type outside {@code internal} packages, in every module's main sources, has a documentation
 * comment of its own: javadoc's own check ({@code doclint}, run by {@code mvn verify}) leaves out missing comments,
 * as it would otherwise ask for one on every accessor.
 */
class PublicTypesDocumentedTest {
    private static final Pattern DECLARATION = Pattern.compile(
            "^public\\s+(?:(?:final|abstract|sealed|non-sealed|static)\\s+)*(?:class|interface|record|enum|@interface)\\s",
            Pattern.MULTILINE);

    @Test
    void everyPublicTypeSaysWhatItIs() throws IOException {
        List<Path> undocumented;
        try (Stream<Path> modules = Files.list(Path.of(".."))) {
            undocumented = modules.filter(m -> m.getFileName().toString().startsWith("wasched-"))
                    .filter(m -> !m.getFileName().toString().equals("wasched-benchmarks"))
                    .map(m -> m.resolve("src/main/java")).filter(Files::isDirectory)
                    .flatMap(PublicTypesDocumentedTest::javaFiles)
                    .filter(f -> !f.toString().replace('\\', '/').contains("/internal/"))
                    .filter(PublicTypesDocumentedTest::publicWithoutComment).toList();
        }
        assertThat(undocumented).as("public types without a documentation comment").isEmpty();
    }

    private static Stream<Path> javaFiles(Path root) {
        try {
            return Files.walk(root).filter(f -> f.toString().endsWith(".java")).toList().stream();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static boolean publicWithoutComment(Path file) {
        String source;
        try {
            source = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        Matcher m = DECLARATION.matcher(source);
        if (!m.find()) {
            return false;
        }
        // The last comment before the declaration must be a documentation comment, and come after the imports:
        // annotations (over several lines, with line comments) may stand between it and the declaration.
        String before = source.substring(0, m.start());
        int end = before.lastIndexOf("*/");
        int start = end < 0 ? -1 : before.lastIndexOf("/**", end);
        int imports = Math.max(before.lastIndexOf("\nimport "), before.lastIndexOf("\npackage "));
        return start < 0 || start < imports || before.indexOf("*/", start) != end;
    }
}
