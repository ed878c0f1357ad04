package dev.wasched.examples.cli;

import java.io.PrintWriter;
import java.io.StringWriter;

/** One command line run through the same entry point as {@code ./wasched}, with what it printed. */
record CliResult(int code, String out, String err) {
    static CliResult run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = WaschedCli.execute(args, new PrintWriter(out, true), new PrintWriter(err, true));
        return new CliResult(code, out.toString(), err.toString());
    }
}
