package dev.jbuild.runtime.internal;

import dev.jbuild.runtime.ContainerException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * One run of the helper (or an OCI runtime) process: sends the spec, pumps the streams as data arrives, and enforces the
 * timeout (SIGTERM, grace period, SIGKILL).
 */
final class HelperProcess {
    private static final int BUFFER = 16 * 1024;

    /** What happened to the helper process itself. */
    record Outcome(int helperExitCode, boolean timedOut, Duration duration) {
    }

    private HelperProcess() {
    }

    static Outcome run(List<String> command, byte[] spec, Duration timeout, Duration grace,
                       InputStream stdin, OutputStream stdout, OutputStream stderr) {
        long start = System.nanoTime();
        Process process = start(command);
        Thread out = pump(process.getInputStream(), stdout, "stdout");
        Thread err = pump(process.getErrorStream(), stderr, "stderr");
        Thread.ofVirtual().name("jbuild-container-stdin").start(() -> feed(process.getOutputStream(), spec, stdin));
        boolean timedOut = false;
        try {
            if (timeout.isZero()) {
                process.waitFor();
            } else if (!process.waitFor(timeout.toNanos(), TimeUnit.NANOSECONDS)) {
                timedOut = true;
                process.destroy();
                if (!process.waitFor(grace.toNanos(), TimeUnit.NANOSECONDS)) {
                    process.destroyForcibly();
                    process.waitFor();
                }
            }
            out.join();
            err.join();
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new ContainerException("interrupted while the container ran; it was killed", e);
        }
        return new Outcome(process.exitValue(), timedOut, Duration.ofNanos(System.nanoTime() - start));
    }

    /**
     * Starts the helper from a platform thread that stays alive until the helper exits: the helper dies with the
     * thread that started it (PR_SET_PDEATHSIG), and a virtual thread's carrier may go away at any time.
     */
    private static Process start(List<String> command) {
        CompletableFuture<Process> started = new CompletableFuture<>();
        Thread.ofPlatform().daemon().name("jbuild-container-parent").start(() -> {
            Process process;
            try {
                process = new ProcessBuilder(command).start();
            } catch (IOException | RuntimeException e) {
                started.completeExceptionally(e);
                return;
            }
            started.complete(process);
            while (true) {
                try {
                    process.waitFor();
                    return;
                } catch (InterruptedException e) {
                    // keep the parent thread until the helper is gone
                }
            }
        });
        try {
            return started.get();
        } catch (ExecutionException e) {
            throw new ContainerException("cannot start " + command.getFirst() + ": " + e.getCause().getMessage(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ContainerException("interrupted while starting " + command.getFirst(), e);
        }
    }

    private static Thread pump(InputStream from, OutputStream to, String name) {
        return Thread.ofVirtual().name("jbuild-container-" + name).start(() -> {
            byte[] buffer = new byte[BUFFER];
            try (from) {
                int n;
                while ((n = from.read(buffer)) > 0) {
                    if (to != null) {
                        to.write(buffer, 0, n);
                        to.flush();
                    }
                }
            } catch (IOException e) {
                // the reader went away (closed stream): the container keeps running and its output is dropped
            }
        });
    }

    private static void feed(OutputStream helperStdin, byte[] spec, InputStream stdin) {
        try (helperStdin) {
            helperStdin.write(spec);
            helperStdin.flush();
            if (stdin != null) {
                byte[] buffer = new byte[BUFFER];
                int n;
                while ((n = stdin.read(buffer)) > 0) {
                    helperStdin.write(buffer, 0, n);
                    helperStdin.flush();
                }
            }
        } catch (IOException e) {
            // the container closed its stdin or exited; the status file tells what happened
        }
    }
}
