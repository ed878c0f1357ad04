package dev.wasched.examples.cli;

import dev.wasched.Wasched;
import dev.wasched.contact.imports.ContactImporter;
import dev.wasched.contact.imports.ImportJob;
import dev.wasched.contact.imports.ImportProgress;
import dev.wasched.contact.imports.ImportReport;
import dev.wasched.contact.imports.MergeMode;
import dev.wasched.contact.imports.RejectedRow;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import me.tongfei.progressbar.DelegatingProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "import", mixinStandardHelpOptions = true,
        description = {"Imports contacts from a CSV or XLSX file, streaming, with a progress bar and a report of "
                + "rejected rows.",
                "The phone column is found by its header (phone, mobile, number, …) unless --phone-column names it.",
                "Exit code 0 when every row was taken, 1 when some rows were rejected (see the report), "
                        + "4 when the file as a whole was refused (not CSV/XLSX, empty, no phone column)."})
final class ImportCommand implements Callable<Integer> {
    @Mixin
    ConfigOption config;
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "FILE", description = "the .csv or .xlsx file")
    Path file;
    @Option(names = "--tag", split = ",", description = "tags to add to every imported contact")
    List<String> tags = List.of();
    @Option(names = "--region", description = "ISO region for numbers without a country code, e.g. DE "
            + "(default: defaultRegion of the configuration)")
    String region;
    @Option(names = "--merge", defaultValue = "UPDATE",
            description = "what to do with a number that is already a contact: ${COMPLETION-CANDIDATES} "
                    + "(default ${DEFAULT-VALUE})")
    MergeMode merge;
    @Option(names = "--report", paramLabel = "CSV", description = "write the rejected rows to this CSV file")
    Path report;
    @Option(names = "--timeout", defaultValue = "PT2H", description = "give up after this long (default ${DEFAULT-VALUE})")
    Duration timeout;

    @Override
    public Integer call() {
        CliConfig c = config.load();
        PrintWriter out = spec.commandLine().getOut();
        try (OpenStore store = OpenStore.open(c); Wasched w = ConfigOption.offline(c, store)) {
            ContactImporter importer = w.contacts().importer().from(file).merge(merge);
            if (region != null) {
                importer.defaultRegion(region);
            }
            if (!tags.isEmpty()) {
                importer.tag(tags.toArray(String[]::new));
            }
            ImportReport result;
            try (ProgressBar bar = progressBar(out)) {
                ImportJob job = importer.onProgress(p -> show(bar, p)).start();
                result = job.await(timeout).orElseGet(() -> {
                    job.cancel();
                    return job.await(Duration.ofSeconds(30)).orElseThrow();
                });
            }
            result.throwIfFailed();
            out.println(result.summary());
            printRejected(out, result);
            if (report != null) {
                writeReport(result);
                out.println("rejected rows written to " + report);
            }
            return result.completed() && result.rejectedCount() == 0 ? ExitCodes.OK : ExitCodes.FAILED;
        }
    }

    /** On a terminal a live bar; otherwise (a pipe, a log, a test) one line a second. */
    private static ProgressBar progressBar(PrintWriter out) {
        ProgressBarBuilder b = new ProgressBarBuilder().setTaskName("import").setInitialMax(-1).setUnit(" rows", 1)
                .setUpdateIntervalMillis(1000).continuousUpdate();
        if (System.console() == null) {
            b.setConsumer(new DelegatingProgressBarConsumer(out::println, 100));
        }
        return b.build();
    }

    private static void show(ProgressBar bar, ImportProgress p) {
        if (p.totalKnown()) {
            bar.maxHint(p.rowsTotal());
        }
        bar.stepTo(p.rowsDone());
        bar.setExtraMessage(p.state() + (p.rejected() > 0 ? ", " + p.rejected() + " rejected" : ""));
    }

    private static void printRejected(PrintWriter out, ImportReport result) {
        int shown = 0;
        for (RejectedRow r : result.rejected()) {
            if (shown++ == 20) {
                out.printf("… and %d more (use --report FILE for all of them)%n", result.rejectedCount() - 20);
                return;
            }
            out.printf("  line %d: %s%s%n", r.line(), r.reason(), r.detail() == null ? "" : " (" + r.detail() + ")");
        }
    }

    private void writeReport(ImportReport result) {
        try (Writer w = Files.newBufferedWriter(report, StandardCharsets.UTF_8)) {
            result.writeCsv(w);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the report " + report + ": " + e.getMessage(), e);
        }
    }
}
