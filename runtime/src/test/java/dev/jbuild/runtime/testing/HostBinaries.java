package dev.jbuild.runtime.testing;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Copies a dynamically linked host program into a build context, for steps over images that lack
 * it (busybox has no SSH client): the program, its dynamic loader as {@code ld.so} and its
 * libraries under {@code lib/}, so a step runs it as {@code ld.so --library-path lib PROGRAM}.
 */
public final class HostBinaries {
    private HostBinaries() {
    }

    /** Copies {@code program} with its loader and libraries into {@code directory}; skips the test when ldd names no loader. */
    public static void copyWithLibraries(Path program, Path directory) throws IOException, InterruptedException {
        Files.createDirectories(directory.resolve("lib"));
        Files.copy(program, directory.resolve(program.getFileName().toString()));
        for (String line : ldd(program).lines().toList()) {
            String[] words = line.strip().split("\\s+");
            String library = words.length >= 3 && words[1].equals("=>") ? words[2] : words[0];
            if (!library.startsWith("/")) {
                continue;
            }
            Path target = words[0].contains("ld-linux") || library.contains("/ld-")
                    ? directory.resolve("ld.so")
                    : directory.resolve("lib").resolve(Path.of(library).getFileName().toString());
            Files.copy(Path.of(library), target);
        }
        assumeTrue(Files.exists(directory.resolve("ld.so")), "ldd did not name the dynamic loader of " + program);
    }

    private static String ldd(Path program) throws IOException, InterruptedException {
        Process process = new ProcessBuilder("ldd", program.toString()).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (process.waitFor() != 0) {
            throw new IOException("ldd " + program + " failed: " + output);
        }
        return output;
    }
}
