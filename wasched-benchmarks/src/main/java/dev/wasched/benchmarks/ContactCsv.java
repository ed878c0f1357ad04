package dev.wasched.benchmarks;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.function.IntFunction;
import java.util.stream.Stream;

/** Generated contact lists, as a spreadsheet export would have them, for {@code contacts().importer()}. */
final class ContactCsv {
    private ContactCsv() {
    }

    /** name, phone and tags columns; every number is valid and distinct; {@code tags} gives row i's tags (";"). */
    static Path write(Path file, int rows, IntFunction<String> tags) throws IOException {
        try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            w.write("Name,Phone,Tags\n");
            for (int i = 0; i < rows; i++) {
                w.write("Person " + i + ",+4915" + (100_000_000 + i) + "," + tags.apply(i) + "\n");
            }
        }
        return file;
    }

    static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
