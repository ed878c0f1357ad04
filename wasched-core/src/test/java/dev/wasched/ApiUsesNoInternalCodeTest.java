package dev.wasched;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The public types (records, SPI, services) use no {@code internal} package, by import or by full name: what they
 * normalise they do with the JDK, so an internal class can change without touching the API, and the API can be read
 * without the engine. Only the types that wire the engine together may.
 */
class ApiUsesNoInternalCodeTest {
    private static final Pattern INTERNAL = Pattern.compile("\\bdev\\.wasched\\.(?:\\w+\\.)*internal\\b");
    /** Files that wire the engine's internal implementations into the public entry point. */
    private static final Set<String> WIRING = Set.of("Wasched.java", "WaschedBuilder.java");

    @Test
    void publicSourcesReferToNoInternalPackage() throws IOException {
        List<String> offenders;
        try (Stream<Path> files = Files.walk(Path.of("src/main/java"))) {
            offenders = files.filter(f -> f.toString().endsWith(".java"))
                    .filter(f -> !f.toString().replace('\\', '/').contains("/internal/"))
                    .filter(f -> !WIRING.contains(f.getFileName().toString()))
                    .flatMap(ApiUsesNoInternalCodeTest::internalReferences).toList();
        }
        assertThat(offenders).as("references to internal packages from public sources").isEmpty();
    }

    @Test
    void theCheckSeesImportsAndFullNames() {
        assertThat(INTERNAL.matcher("import dev.wasched.internal.time.Instants;").find()).isTrue();
        assertThat(INTERNAL.matcher("x = dev.wasched.internal.redact.ErrorText.clean(x);").find()).isTrue();
        assertThat(INTERNAL.matcher("import dev.wasched.store.jdbc.internal.Sql;").find()).isTrue();
        assertThat(INTERNAL.matcher("import dev.wasched.delivery.Delivery;").find()).isFalse();
    }

    private static Stream<String> internalReferences(Path file) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return java.util.stream.IntStream.range(0, lines.size()).filter(i -> INTERNAL.matcher(lines.get(i)).find())
                .mapToObj(i -> file + ":" + (i + 1) + ": " + lines.get(i).strip());
    }
}
