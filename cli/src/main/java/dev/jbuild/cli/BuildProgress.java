package dev.jbuild.cli;

import dev.jbuild.builder.BuildEvent;
import dev.jbuild.builder.ProgressListener;
import dev.jbuild.oci.Json;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * Renders build events like BuildKit: {@code #N [stage k/n] INSTRUCTION}, {@code #N CACHED},
 * timed output lines and {@code #N DONE 1.2s} ({@code plain}); the same with a step's output erased
 * once it succeeds ({@code tty}); one JSON object per event ({@code json}); or nothing but a failed
 * step with its output ({@code quiet}, for {@code -q}). Dockerfile check warnings are gathered and
 * listed once at the end ({@link #printChecks}), as BuildKit lists them.
 */
final class BuildProgress implements ProgressListener {
    /** How progress is shown. */
    enum Mode { AUTO, TTY, PLAIN, JSON, QUIET }

    /** How many of a step's last output lines quiet mode keeps, to show them if the step fails. */
    static final int QUIET_LINES_KEPT = 200;

    private final PrintStream out;
    private final Mode mode;
    private final long start = System.nanoTime();
    private final Map<Integer, Long> stepStarts = new HashMap<>();
    private final Map<Integer, StringBuilder> partialLines = new HashMap<>();
    private final Map<Integer, Integer> printedLines = new HashMap<>();
    // quiet mode: each running step's name and last output lines, printed only if it fails
    private final Map<Integer, String> quietNames = new HashMap<>();
    private final Map<Integer, ArrayDeque<String>> quietOutput = new HashMap<>();
    private int lastPrinter = -1;
    // a multi-platform build checks the same Dockerfile once per platform
    private final Set<BuildEvent.CheckWarning> checks = new LinkedHashSet<>();

    BuildProgress(PrintStream out, Mode mode) {
        this.out = out;
        this.mode = mode == Mode.AUTO
                ? (System.console() != null && System.console().isTerminal() ? Mode.TTY : Mode.PLAIN)
                : mode;
    }

    /** True when output is JSON lines, where plain text lines do not belong. */
    boolean isJson() {
        return mode == Mode.JSON;
    }

    @Override
    public synchronized void onEvent(BuildEvent event) {
        if (mode == Mode.JSON) {
            out.println(new String(Json.write(json(event)), StandardCharsets.UTF_8));
            out.flush();
            return;
        }
        if (mode == Mode.QUIET) {
            quiet(event);
            return;
        }
        switch (event) {
            case BuildEvent.StepStarted started -> {
                stepStarts.put(started.step(), System.nanoTime());
                line(started.step(), "#" + started.step() + " " + started.name());
            }
            case BuildEvent.StepCached cached -> line(cached.step(), "#" + cached.step() + " CACHED");
            case BuildEvent.StepCacheMiss miss -> {
                if (mode == Mode.PLAIN) {
                    line(miss.step(), "#" + miss.step() + " cache miss: " + miss.reason());
                }
            }
            case BuildEvent.StepOutput output -> output(output);
            case BuildEvent.StepDone done -> {
                flushPartial(done.step());
                if (mode == Mode.TTY && lastPrinter == done.step() && printedLines.getOrDefault(done.step(), 0) > 0) {
                    out.print("\033[" + printedLines.get(done.step()) + "F\033[J");
                }
                printedLines.remove(done.step());
                line(done.step(), "#" + done.step() + " DONE " + seconds(done.elapsed()));
            }
            case BuildEvent.StepFailed failed -> {
                flushPartial(failed.step());
                line(failed.step(), "#" + failed.step() + " ERROR: " + failed.error().lines().findFirst().orElse(""));
            }
            case BuildEvent.Message message -> line(-1, "#0 " + message.text());
            case BuildEvent.CheckWarning warning -> checks.add(warning);
        }
        out.flush();
    }

    /** Keeps what a failure would need; prints a step, its kept output and its error only when it fails. */
    private void quiet(BuildEvent event) {
        switch (event) {
            case BuildEvent.StepStarted started -> quietNames.put(started.step(), started.name());
            case BuildEvent.StepOutput output -> output(output);
            case BuildEvent.StepDone done -> {
                quietNames.remove(done.step());
                quietOutput.remove(done.step());
                partialLines.remove(done.step());
            }
            case BuildEvent.StepFailed failed -> {
                flushPartial(failed.step());
                out.println("#" + failed.step() + " " + quietNames.getOrDefault(failed.step(), ""));
                for (String line : quietOutput.getOrDefault(failed.step(), new ArrayDeque<>())) {
                    out.println(line);
                }
                out.println("#" + failed.step() + " ERROR: " + failed.error().lines().findFirst().orElse(""));
                out.flush();
            }
            case BuildEvent.CheckWarning warning -> checks.add(warning);
            case BuildEvent.StepCached _, BuildEvent.StepCacheMiss _, BuildEvent.Message _ -> { }
        }
    }

    /** Lists the check warnings seen, if any (a count, then {@code - Rule: message (line N)} each), and flushes. */
    synchronized void printChecks() {
        if (!checks.isEmpty() && mode != Mode.JSON) {
            out.println(checks.size() + (checks.size() == 1 ? " warning found:" : " warnings found:"));
            for (BuildEvent.CheckWarning warning : checks) {
                out.println(" - " + warning.rule() + ": " + warning.message() + " (line " + warning.line() + ")");
            }
        }
        out.flush();
    }

    private void output(BuildEvent.StepOutput output) {
        StringBuilder partial = partialLines.computeIfAbsent(output.step(), step -> new StringBuilder());
        partial.append(output.text());
        int newline;
        while ((newline = partial.indexOf("\n")) >= 0) {
            String text = partial.substring(0, newline);
            partial.delete(0, newline + 1);
            outputLine(output.step(), text);
        }
    }

    private void flushPartial(int step) {
        StringBuilder partial = partialLines.remove(step);
        if (partial != null && !partial.isEmpty()) {
            outputLine(step, partial.toString());
        }
    }

    private void outputLine(int step, String text) {
        long started = stepStarts.getOrDefault(step, start);
        String elapsed = Decimals.fixed((System.nanoTime() - started) / 1e9, 3);
        if (mode == Mode.QUIET) {
            ArrayDeque<String> kept = quietOutput.computeIfAbsent(step, s -> new ArrayDeque<>());
            if (kept.size() == QUIET_LINES_KEPT) {
                kept.removeFirst();
            }
            kept.addLast("#" + step + " " + elapsed + " " + text);
            return;
        }
        line(step, "#" + step + " " + elapsed + " " + text);
        printedLines.merge(step, 1, Integer::sum);
    }

    private void line(int step, String text) {
        if (lastPrinter != step) {
            printedLines.remove(lastPrinter);
        }
        out.println(text);
        lastPrinter = step;
    }

    private static String seconds(Duration duration) {
        return Decimals.fixed(duration.toMillis() / 1000.0, 1) + "s";
    }

    private static Map<String, Object> json(BuildEvent event) {
        Map<String, Object> json = new LinkedHashMap<>();
        switch (event) {
            case BuildEvent.StepStarted e -> {
                json.put("event", "started");
                json.put("step", e.step());
                json.put("name", e.name());
            }
            case BuildEvent.StepCached e -> {
                json.put("event", "cached");
                json.put("step", e.step());
            }
            case BuildEvent.StepCacheMiss e -> {
                json.put("event", "cache-miss");
                json.put("step", e.step());
                json.put("reason", e.reason());
            }
            case BuildEvent.StepOutput e -> {
                json.put("event", "output");
                json.put("step", e.step());
                json.put("stream", e.stderr() ? "stderr" : "stdout");
                json.put("text", e.text());
            }
            case BuildEvent.StepDone e -> {
                json.put("event", "done");
                json.put("step", e.step());
                json.put("seconds", e.elapsed().toMillis() / 1000.0);
            }
            case BuildEvent.StepFailed e -> {
                json.put("event", "error");
                json.put("step", e.step());
                json.put("seconds", e.elapsed().toMillis() / 1000.0);
                json.put("error", e.error());
            }
            case BuildEvent.Message e -> {
                json.put("event", "message");
                json.put("text", e.text());
            }
            case BuildEvent.CheckWarning e -> {
                json.put("event", "warning");
                json.put("rule", e.rule());
                json.put("message", e.message());
                json.put("line", e.line());
            }
        }
        return json;
    }
}
