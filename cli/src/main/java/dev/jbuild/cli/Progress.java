package dev.jbuild.cli;

import dev.jbuild.oci.ContentCopy;
import dev.jbuild.oci.Descriptor;
import dev.jbuild.oci.Digest;
import dev.jbuild.oci.MediaType;
import java.io.PrintStream;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Shows a copy's progress: a bar per blob with bytes, total and speed on a terminal, one line per
 * event in CI logs, or one JSON object per event for machines. Closing it prints nothing; the
 * command prints its own summary line on standard output.
 */
final class Progress implements ContentCopy.Listener, AutoCloseable {
    /** How progress is shown. */
    enum Mode {
        AUTO, TTY, PLAIN, JSON, NONE
    }

    private static final Duration REDRAW = Duration.ofMillis(150);
    private static final int BAR_WIDTH = 30;

    private final Mode mode;
    private final String action;
    private final PrintStream out;
    private final long started = System.nanoTime();
    private final Map<Digest, BlobState> active = new ConcurrentSkipListMap<>();
    private final Map<Digest, Boolean> announced = new ConcurrentHashMap<>();
    private final AtomicLong bytes = new AtomicLong();
    private final Thread painter;
    private int paintedLines;

    private static final class BlobState {
        final Descriptor blob;
        final long startedNanos = System.nanoTime();
        final AtomicLong done = new AtomicLong();
        volatile boolean finished;

        BlobState(Descriptor blob) {
            this.blob = blob;
        }
    }

    Progress(Mode mode, String action, PrintStream out) {
        this.mode = mode;
        this.action = action;
        this.out = out;
        this.painter = mode == Mode.TTY ? Thread.ofVirtual().name("progress").start(this::paintLoop) : null;
    }

    /** Total blob bytes read from the source so far. */
    long bytesMoved() {
        return bytes.get();
    }

    /** Seconds since this display started. */
    double elapsedSeconds() {
        return (System.nanoTime() - started) / 1e9;
    }

    @Override
    public void planned(List<Descriptor> blobs, List<Descriptor> manifests) {
        long total = blobs.stream().mapToLong(Descriptor::size).sum();
        switch (mode) {
            case PLAIN -> println(action + ": " + blobs.size() + " blobs (" + human(total) + "), " + manifests.size()
                    + (manifests.size() == 1 ? " manifest" : " manifests"));
            case JSON -> println("{\"event\":\"planned\",\"blobs\":" + blobs.size() + ",\"bytes\":" + total
                    + ",\"manifests\":" + manifests.size() + "}");
            default -> {
            }
        }
    }

    @Override
    public void mounted(Descriptor blob) {
        BlobState state = active.get(blob.digest());
        if (state != null) {
            state.finished = true;
        }
        switch (mode) {
            case PLAIN -> println(kind(blob) + " " + blob.digest().shortHex() + " mounted from another repository");
            case JSON -> println(event("mounted", blob, 0));
            default -> {
            }
        }
    }

    @Override
    public void skipped(Descriptor descriptor) {
        switch (mode) {
            case PLAIN -> println(kind(descriptor) + " " + descriptor.digest().shortHex() + " already present");
            case JSON -> println(event("exists", descriptor, descriptor.size()));
            default -> {
            }
        }
    }

    /** An uncompressed layer of the store is being compressed before it leaves (see Store.withCompressedLayers). */
    void compressing(Descriptor layer) {
        switch (mode) {
            case PLAIN, TTY -> println("blob " + layer.digest().shortHex() + " " + human(layer.size()) + " compressing");
            case JSON -> println(event("compressing", layer, 0));
            default -> {
            }
        }
    }

    @Override
    public void started(Descriptor blob) {
        active.put(blob.digest(), new BlobState(blob));
        switch (mode) {
            case PLAIN -> {
                if (announced.putIfAbsent(blob.digest(), true) == null) {
                    println(kind(blob) + " " + blob.digest().shortHex() + " " + human(blob.size()) + " started");
                }
            }
            case JSON -> println(event("started", blob, 0));
            default -> {
            }
        }
    }

    @Override
    public void progressed(Descriptor blob, long count) {
        bytes.addAndGet(count);
        BlobState state = active.get(blob.digest());
        if (state != null) {
            state.done.addAndGet(count);
        }
    }

    @Override
    public void finished(Descriptor descriptor) {
        BlobState state = active.get(descriptor.digest());
        if (state != null) {
            state.finished = true;
        }
        switch (mode) {
            case PLAIN -> {
                double seconds = state == null ? 0 : (System.nanoTime() - state.startedNanos) / 1e9;
                println(kind(descriptor) + " " + descriptor.digest().shortHex() + " done"
                        + (state == null ? "" : " (" + human(descriptor.size()) + " in "
                        + Decimals.fixed(seconds, 1) + "s" + ")"));
            }
            case JSON -> println(event("done", descriptor, state == null ? descriptor.size() : state.done.get()));
            default -> {
            }
        }
    }

    private static String kind(Descriptor descriptor) {
        if (MediaType.isIndex(descriptor.mediaType())) {
            return "index";
        }
        if (MediaType.isManifest(descriptor.mediaType())) {
            return "manifest";
        }
        return MediaType.isConfig(descriptor.mediaType()) ? "config" : "blob";
    }

    private static String event(String name, Descriptor descriptor, long done) {
        return "{\"event\":\"" + name + "\",\"kind\":\"" + kind(descriptor) + "\",\"digest\":\"" + descriptor.digest()
                + "\",\"size\":" + descriptor.size() + ",\"bytes\":" + done + "}";
    }

    private synchronized void println(String line) {
        out.println(line);
        out.flush();
    }

    private void paintLoop() {
        try {
            while (!Thread.currentThread().isInterrupted()) {
                paint();
                Thread.sleep(REDRAW);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private synchronized void paint() {
        StringBuilder frame = new StringBuilder();
        if (paintedLines > 0) {
            frame.append("\033[").append(paintedLines).append('F');
        }
        int lines = 0;
        for (BlobState state : active.values()) {
            frame.append("\033[2K").append(barLine(state)).append('\n');
            lines++;
        }
        paintedLines = lines;
        out.print(frame);
        out.flush();
    }

    private static String barLine(BlobState state) {
        long size = Math.max(1, state.blob.size());
        long done = state.finished ? state.blob.size() : Math.min(state.done.get(), state.blob.size());
        int filled = (int) (BAR_WIDTH * done / size);
        double seconds = Math.max(1e-3, (System.nanoTime() - state.startedNanos) / 1e9);
        return state.blob.digest().shortHex() + " [" + "=".repeat(filled) + " ".repeat(BAR_WIDTH - filled) + "] "
                + human(done) + "/" + human(state.blob.size())
                + (state.finished ? " done" : " " + human((long) (state.done.get() / seconds)) + "/s");
    }

    /** Bytes in B, kB, MB or GB (powers of 1000, as registries and docker show them). */
    static String human(long bytes) {
        if (bytes < 1000) {
            return bytes + " B";
        }
        String[] units = {"kB", "MB", "GB", "TB"};
        double value = bytes;
        int unit = -1;
        while (value >= 1000 && unit < units.length - 1) {
            value /= 1000;
            unit++;
        }
        return Decimals.fixed(value, 1) + " " + units[unit];
    }

    @Override
    public void close() {
        if (painter != null) {
            painter.interrupt();
            try {
                painter.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            paint();
        }
    }
}
