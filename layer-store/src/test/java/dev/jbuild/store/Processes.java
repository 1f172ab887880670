package dev.jbuild.store;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs peer tools (skopeo, umoci) and child JVMs for the integration tests. */
final class Processes {
    private Processes() {
    }

    /** The result of a finished process. */
    record Result(int exitCode, String output) {
    }

    /** The path of {@code tool} on PATH; skips the test (with the reason) when it is not installed. */
    static String require(String tool) {
        for (String directory : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(File.pathSeparator)) {
            Path candidate = Path.of(directory, tool);
            if (Files.isExecutable(candidate)) {
                return candidate.toString();
            }
        }
        assumeTrue(false, tool + " is not installed (apt-get install -y " + tool + "); skipping this interop test");
        return tool;
    }

    /** Runs a command to completion (at most 5 minutes) and returns its exit code and merged output. */
    static Result run(List<String> command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        process.getOutputStream().close();
        byte[] output = process.getInputStream().readAllBytes();
        if (!process.waitFor(5, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            throw new IOException("timed out: " + command);
        }
        return new Result(process.exitValue(), new String(output, StandardCharsets.UTF_8));
    }

    /** Runs a command and fails with its output unless it exits 0. */
    static String runOk(String... command) throws IOException, InterruptedException {
        Result result = run(List.of(command));
        if (result.exitCode() != 0) {
            throw new AssertionError(String.join(" ", command) + " exited " + result.exitCode() + ":\n"
                    + result.output());
        }
        return result.output();
    }

    /** A command line that starts {@code mainClass} in a fresh JVM with this test's class path. */
    static List<String> java(Class<?> mainClass, String... args) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add("-Xshare:auto");
        command.add("-XX:TieredStopAtLevel=1");
        command.add(mainClass.getName());
        command.addAll(List.of(args));
        return command;
    }

    static boolean isRoot() {
        return "root".equals(System.getProperty("user.name"));
    }
}
