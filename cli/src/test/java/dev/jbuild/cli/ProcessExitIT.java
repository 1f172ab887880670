package dev.jbuild.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The CLI as a process: its exit codes reach the caller and its output is complete, although it ends with _exit. */
class ProcessExitIT {
    @TempDir
    Path dir;

    private record Result(int code, String out, String err) {
    }

    private Result jbuild(String... args) throws IOException, InterruptedException {
        Path out = dir.resolve("out.txt");
        Path err = dir.resolve("err.txt");
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"), Main.class.getName()));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        int code = process.waitFor();
        return new Result(code, Files.readString(out), Files.readString(err));
    }

    @Test
    void successPrintsEverythingAndExitsZero() throws Exception {
        Result help = jbuild("--help");
        assertEquals(0, help.code(), help.err());
        assertTrue(help.out().contains("Builds OCI images"), help.out());
        for (String name : Subcommands.names()) {
            assertTrue(help.out().contains(name), "help lists " + name + ": " + help.out());
        }
    }

    @Test
    void usageAndStoreErrorsKeepTheirExitCodesAndMessages() throws Exception {
        Result usage = jbuild("images", "--no-such-flag");
        assertEquals(ExitCode.USAGE, usage.code());
        assertTrue(usage.err().contains("--no-such-flag"), usage.err());
        Result missing = jbuild("--root", dir.resolve("store").toString(), "inspect", "no-such-image:1");
        assertEquals(ExitCode.STORE, missing.code(), missing.err());
        assertTrue(missing.err().startsWith("error: "), missing.err());
    }
}
