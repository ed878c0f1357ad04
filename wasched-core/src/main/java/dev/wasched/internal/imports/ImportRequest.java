package dev.wasched.internal.imports;

import dev.wasched.contact.imports.ColumnMapping;
import dev.wasched.contact.imports.ImportFormat;
import dev.wasched.contact.imports.ImportProgress;
import dev.wasched.contact.imports.MergeMode;
import java.io.InputStream;
import java.nio.charset.Charset;
import java.nio.file.Path;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Everything an import needs to know, checked by the importer. Exactly one of {@code file} and {@code stream}.
 *
 * @param charset   null for UTF-8
 * @param separator null to detect
 * @param sheet     null for the first sheet
 * @param region    null when numbers must carry their country code
 * @param listener  may be null
 */
public record ImportRequest(Path file, InputStream stream, String sourceName, ImportFormat format, Charset charset,
                            Character separator, String sheet, ColumnMapping mapping, String region, Set<String> tags,
                            MergeMode merge, int batchSize, int maxRejected, Consumer<ImportProgress> listener) {
    public ImportRequest {
        tags = Set.copyOf(tags);
    }
}
