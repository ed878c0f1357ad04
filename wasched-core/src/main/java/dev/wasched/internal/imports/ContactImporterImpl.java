package dev.wasched.internal.imports;

import static dev.wasched.contact.imports.ImportFileException.Problem.UNREADABLE;

import com.google.i18n.phonenumbers.PhoneNumberUtil;
import dev.wasched.ValidationException;
import dev.wasched.contact.ContactSpec;
import dev.wasched.contact.imports.ColumnMapping;
import dev.wasched.contact.imports.ContactImporter;
import dev.wasched.contact.imports.ImportFileException;
import dev.wasched.contact.imports.ImportFormat;
import dev.wasched.contact.imports.ImportJob;
import dev.wasched.contact.imports.ImportProgress;
import dev.wasched.contact.imports.MergeMode;
import java.io.InputStream;
import java.nio.charset.Charset;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Function;

/** Collects and checks an import's options, then hands them to a job. One importer starts one job. */
public final class ContactImporterImpl implements ContactImporter {
    private final Function<ImportRequest, ImportJob> starter;
    private Path file;
    private InputStream stream;
    private String name;
    private ImportFormat format = ImportFormat.AUTO;
    private Charset charset;
    private Character separator;
    private String sheet;
    private ColumnMapping mapping = ColumnMapping.auto();
    private String region;
    private final Set<String> tags = new LinkedHashSet<>();
    private MergeMode merge = MergeMode.UPDATE;
    private int batchSize = 500;
    private int maxRejected = 10_000;
    private Consumer<ImportProgress> listener;
    private boolean started;

    /** @param defaultRegion wasched's default region, used unless {@link #defaultRegion(String)} says otherwise */
    public ContactImporterImpl(String defaultRegion, Function<ImportRequest, ImportJob> starter) {
        this.region = defaultRegion;
        this.starter = starter;
    }

    @Override
    public ContactImporter from(Path file) {
        this.file = Objects.requireNonNull(file, "file");
        this.stream = null;
        this.name = file.getFileName() == null ? file.toString() : file.getFileName().toString();
        return this;
    }

    @Override
    public ContactImporter from(InputStream stream, String name) {
        this.stream = Objects.requireNonNull(stream, "stream");
        this.file = null;
        this.name = name == null || name.isBlank() ? "stream" : name.strip();
        return this;
    }

    @Override
    public ContactImporter format(ImportFormat format) {
        this.format = Objects.requireNonNull(format, "format");
        return this;
    }

    @Override
    public ContactImporter charset(Charset charset) {
        this.charset = Objects.requireNonNull(charset, "charset");
        return this;
    }

    @Override
    public ContactImporter separator(char separator) {
        if (separator == '"' || separator == '\n' || separator == '\r') {
            throw new ValidationException("separator", "cannot be a quote or a line break");
        }
        this.separator = separator;
        return this;
    }

    @Override
    public ContactImporter sheet(String name) {
        if (name == null || name.isBlank()) {
            throw new ValidationException("sheet", "needs a name");
        }
        this.sheet = name;
        return this;
    }

    @Override
    public ContactImporter mapping(ColumnMapping mapping) {
        this.mapping = Objects.requireNonNull(mapping, "mapping");
        return this;
    }

    @Override
    public ContactImporter defaultRegion(String region) {
        if (region != null && !PhoneNumberUtil.getInstance().getSupportedRegions()
                .contains(region.toUpperCase(Locale.ROOT))) {
            throw new ValidationException("defaultRegion", "unknown region '" + region + "' (an ISO 3166 code such as DE)");
        }
        this.region = region;
        return this;
    }

    @Override
    public ContactImporter tag(String... tags) {
        for (String t : tags) {
            this.tags.add(ContactSpec.normalizeTag(t));
        }
        return this;
    }

    @Override
    public ContactImporter merge(MergeMode mode) {
        this.merge = Objects.requireNonNull(mode, "mode");
        return this;
    }

    @Override
    public ContactImporter batchSize(int rows) {
        if (rows < 1 || rows > 10_000) {
            throw new ValidationException("batchSize", "must be between 1 and 10,000, was " + rows);
        }
        this.batchSize = rows;
        return this;
    }

    @Override
    public ContactImporter maxRejectedRows(int rows) {
        if (rows < 0 || rows > 1_000_000) {
            throw new ValidationException("maxRejectedRows", "must be between 0 and 1,000,000, was " + rows);
        }
        this.maxRejected = rows;
        return this;
    }

    @Override
    public ContactImporter onProgress(Consumer<ImportProgress> listener) {
        this.listener = listener;
        return this;
    }

    @Override
    public synchronized ImportJob start() {
        if (started) {
            throw new IllegalStateException("this importer has started its job already; ask contacts().importer() for a new one");
        }
        if (file == null && stream == null) {
            throw new ValidationException("source", "is required: from(path) or from(stream, name)");
        }
        if (file != null) {
            if (!Files.exists(file)) {
                throw new ImportFileException(UNREADABLE, "no such file: " + file);
            }
            if (!Files.isRegularFile(file)) {
                throw new ImportFileException(UNREADABLE, "not a regular file: " + file);
            }
            if (!Files.isReadable(file)) {
                throw new ImportFileException(UNREADABLE, "no permission to read " + file);
            }
        }
        started = true;
        ImportRequest r = new ImportRequest(file, stream, name, format, charset, separator, sheet, mapping,
                region == null ? null : region.toUpperCase(Locale.ROOT), tags, merge, batchSize, maxRejected, listener);
        return starter.apply(r);
    }
}
