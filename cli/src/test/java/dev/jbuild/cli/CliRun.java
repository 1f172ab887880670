package dev.jbuild.cli;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/**
 * One in-process command line through {@link Main#run}, as the launcher runs it (build as the
 * default subcommand included), with System.out/err captured: picocli's writers, made by that
 * run, write there too. One run at a time.
 */
record CliRun(int exitCode, byte[] stdout, String err) {
    /** Standard output as text. */
    String out() {
        return new String(stdout, StandardCharsets.UTF_8);
    }

    static synchronized CliRun of(String... args) {
        PrintStream oldOut = System.out;
        PrintStream oldErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            int code = Main.run(args);
            return new CliRun(code, out.toByteArray(), err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
    }
}
