package dev.wasched.web.internal;

import dev.wasched.ValidationException;
import dev.wasched.Wasched;
import dev.wasched.access.Role;
import dev.wasched.contact.imports.ContactImporter;
import dev.wasched.contact.imports.ImportJob;
import dev.wasched.contact.imports.ImportProgress;
import dev.wasched.contact.imports.ImportReport;
import dev.wasched.contact.imports.MergeMode;
import dev.wasched.message.MediaAttachment;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Files sent as the request body: a contact file imported in the background (its progress and rejected rows read
 * back), and media for messages. The file's name comes in {@code ?name=}, its type in {@code Content-Type}.
 */
public final class UploadRoutes {
    /** The largest contact file accepted. */
    public static final long MAX_IMPORT_BYTES = 512L * 1024 * 1024;

    private final Wasched wasched;
    private final LiveEvents live;

    public UploadRoutes(Wasched wasched, LiveEvents live) {
        this.wasched = wasched;
        this.live = live;
    }

    public List<Route> routes() {
        return List.of(
                Route.upload("/contacts/imports", Role.OPERATOR, "contact.import", this::startImport),
                Route.read("/contacts/imports", Role.VIEWER, c -> Reply.ok(Map.of("items",
                        wasched.contacts().importJobs().stream().map(UploadRoutes::view).toList()))),
                Route.read("/contacts/imports/{id}", Role.VIEWER, c -> Reply.ok(view(job(c.param("id"))))),
                Route.read("/contacts/imports/{id}/rejected.csv", Role.VIEWER, c -> {
                    ImportReport report = job(c.param("id")).report().orElseThrow(() -> new ApiError(409,
                            "conflict", "import " + c.param("id") + " is still running; its rejected rows come when"
                            + " it ends"));
                    return Reply.ok(new TextStream("text/csv;charset=utf-8", report::writeCsv));
                }),
                Route.upload("/media", Role.OPERATOR, "media.upload", c -> {
                    String type = c.request().getContentType();
                    if (type == null || type.isBlank()) {
                        throw ApiError.badRequest("Content-Type", "give the file's type, e.g. image/jpeg");
                    }
                    long max = wasched.config().maxMediaBytes();
                    byte[] bytes;
                    try (InputStream in = c.request().getInputStream()) {
                        bytes = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, max + 1));
                    }
                    if (bytes.length > max) {
                        throw new ApiError(413, "too_large", "the file is larger than " + max + " bytes");
                    }
                    MediaAttachment m = wasched.media().store(bytes, type.split(";")[0].trim()
                            .toLowerCase(Locale.ROOT), name(c));
                    Map<String, Object> out = new LinkedHashMap<>();
                    out.put("sha256", m.sha256());
                    out.put("mimeType", m.mimeType());
                    out.put("fileName", m.fileName());
                    out.put("size", m.size());
                    return Reply.created(out);
                }));
    }

    private ImportJob job(String id) {
        return wasched.contacts().importJob(id).orElseThrow(() -> new dev.wasched.NotFoundException("import", id));
    }

    private static String name(Call c) {
        String name = c.query("name");
        if (name == null) {
            throw ApiError.badRequest("name", "give the file's name as ?name=, e.g. ?name=contacts.csv");
        }
        String base = name.substring(Math.max(name.lastIndexOf('/'), name.lastIndexOf('\\')) + 1);
        if (base.isBlank() || base.length() > 200 || base.chars().anyMatch(Character::isISOControl)
                || base.equals(".") || base.equals("..")) {
            throw ApiError.badRequest("name", "not a file name: '" + name.replaceAll("\\p{Cntrl}", "?") + "'");
        }
        return base;
    }

    /** Copies the body to a temporary file (deleted when the job ends) and starts the import from it. */
    private Reply startImport(Call c) throws IOException {
        String name = name(c);
        Path file = Files.createTempFile("wasched-import-", "-" + name.replaceAll("[^A-Za-z0-9._-]", "_"));
        try {
            try (InputStream in = c.request().getInputStream(); OutputStream out = Files.newOutputStream(file)) {
                byte[] buf = new byte[64 * 1024];
                long total = 0;
                for (int n; (n = in.read(buf)) > 0; ) {
                    total += n;
                    if (total > MAX_IMPORT_BYTES) {
                        throw new ApiError(413, "too_large", "the file is larger than " + MAX_IMPORT_BYTES
                                + " bytes");
                    }
                    out.write(buf, 0, n);
                }
            }
            ContactImporter importer = wasched.contacts().importer().from(file);
            String tag = c.query("tag");
            if (tag != null) {
                importer.tag(tag.split(","));
            }
            String merge = c.query("merge");
            if (merge != null) {
                try {
                    importer.merge(MergeMode.valueOf(merge.toUpperCase(Locale.ROOT)));
                } catch (IllegalArgumentException e) {
                    throw ApiError.badRequest("merge", "must be UPDATE or SKIP, was '" + merge + "'");
                }
            }
            String region = c.query("region");
            if (region != null) {
                importer.defaultRegion(region);
            }
            importer.onProgress(p -> live.publish("import", Role.VIEWER, progress(p)));
            ImportJob job = importer.start();
            job.completion().whenComplete((r, e) -> deleteQuietly(file));
            return new Reply(202, view(job), Map.of("Location", "imports/" + job.id()));
        } catch (IOException | RuntimeException e) {
            deleteQuietly(file);
            throw e;
        }
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            // a temporary file; the system cleans it up
        }
    }

    static Map<String, Object> view(ImportJob job) {
        Map<String, Object> out = progress(job.progress());
        job.report().ifPresent(r -> {
            out.put("summary", r.summary());
            if (r.error() != null) {
                out.put("error", r.error().getMessage());
            }
        });
        return out;
    }

    private static Map<String, Object> progress(ImportProgress p) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("id", p.jobId());
        out.put("state", p.state().name());
        out.put("rowsDone", p.rowsDone());
        out.put("rowsTotal", p.totalKnown() ? p.rowsTotal() : null);
        out.put("imported", p.imported());
        out.put("updated", p.updated());
        out.put("unchanged", p.unchanged());
        out.put("skipped", p.skipped());
        out.put("rejected", p.rejected());
        return out;
    }
}
