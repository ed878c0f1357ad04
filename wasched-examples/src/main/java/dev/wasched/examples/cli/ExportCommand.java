package dev.wasched.examples.cli;

import dev.wasched.Wasched;
import dev.wasched.WaschedException;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "export", mixinStandardHelpOptions = true,
        description = {"Writes deliveries as CSV (UTF-8, RFC 4180): a header row, then one row per delivery, newest"
                + " first, read from the store a page at a time, so any number can be exported.",
                "A value a spreadsheet would take for a formula (starting with = + - @) gets a leading apostrophe;"
                        + " phone numbers read '+49…."})
final class ExportCommand extends StoreCommand {
    @Mixin
    DeliveryFilter filter;
    @Option(names = {"-o", "--output"}, paramLabel = "FILE", description = "where to write (default: standard output)")
    Path output;

    @Override
    int run(CliConfig c, OpenStore store, Wasched w) {
        try {
            if (output == null) {
                PrintWriter out = spec.commandLine().getOut();
                long rows = w.deliveries().exportCsv(filter.query(), out);
                if (out.checkError()) {
                    throw new WaschedException("could not write to standard output");
                }
                // Standard output holds the CSV alone.
                spec.commandLine().getErr().printf("exported %d deliveries%n", rows);
            } else {
                long rows;
                try (Writer file = Files.newBufferedWriter(output, StandardCharsets.UTF_8)) {
                    rows = w.deliveries().exportCsv(filter.query(), file);
                }
                spec.commandLine().getOut().printf("exported %d deliveries to %s%n", rows, output);
            }
            return ExitCodes.OK;
        } catch (IOException e) {
            throw new WaschedException("cannot write " + (output == null ? "standard output" : output) + ": "
                    + e.getMessage(), e);
        }
    }
}
