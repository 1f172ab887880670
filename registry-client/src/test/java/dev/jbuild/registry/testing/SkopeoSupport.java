package dev.jbuild.registry.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Assumptions;

/** Runs the real skopeo for interoperability checks. */
public final class SkopeoSupport {
    private SkopeoSupport() {
    }

    public static void assumeInstalled() {
        Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/skopeo")),
                "skopeo is not installed (apt-get install -y skopeo); interop test skipped");
    }

    /** Runs skopeo and returns its standard output; fails with its output when it exits non-zero. */
    public static String run(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("/usr/bin/skopeo"));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.PIPE).start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        if (process.waitFor() != 0) {
            throw new IOException("skopeo " + String.join(" ", args) + " failed: " + err + out);
        }
        return out;
    }
}
