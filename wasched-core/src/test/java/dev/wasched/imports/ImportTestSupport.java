package dev.wasched.imports;

import dev.wasched.Wasched;
import dev.wasched.contact.Contact;
import dev.wasched.contact.PhoneNumber;
import dev.wasched.contact.imports.ContactImporter;
import dev.wasched.contact.imports.ImportReport;
import dev.wasched.memory.InMemoryStore;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/** A wasched without accounts on an in-memory store, default region DE, and files in a temporary folder. */
abstract class ImportTestSupport {
    @TempDir
    Path dir;
    final InMemoryStore store = new InMemoryStore();
    Wasched wasched;

    @BeforeEach
    void buildWasched() {
        wasched = Wasched.builder().store(store).instanceId("import-test").defaultRegion("DE").build();
    }

    @AfterEach
    void closeWasched() {
        wasched.close();
    }

    Path file(String name, String content) throws IOException {
        return Files.writeString(dir.resolve(name), content, StandardCharsets.UTF_8);
    }

    Path file(String name, byte[] content) throws IOException {
        return Files.write(dir.resolve(name), content);
    }

    ContactImporter importer() {
        return wasched.contacts().importer();
    }

    static ImportReport run(ContactImporter importer) {
        return importer.start().await(Duration.ofSeconds(60)).orElseThrow(() -> new AssertionError("import did not finish"));
    }

    Contact contact(String e164) {
        return store.contacts().findByPhone(PhoneNumber.of(e164).e164())
                .orElseThrow(() -> new AssertionError("no contact " + e164));
    }
}
