package dev.jbuild.store.internal.tar;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.util.Arrays;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * Reads its source on a second thread, a few chunks ahead of the consumer, so decompression and
 * digesting overlap with writing files: on two cores a layer applies in about the time of the
 * slower half instead of the sum.
 */
public final class ReadAheadInputStream extends InputStream {
    private static final int CHUNK = 256 * 1024;
    private static final byte[] END = new byte[0];

    private static final int DEPTH = 8;

    private final BlockingQueue<Object> chunks = new ArrayBlockingQueue<>(DEPTH);
    /** Consumed chunks go back to the reader, so a layer of any size needs only a few buffers. */
    private final BlockingQueue<byte[]> free = new ArrayBlockingQueue<>(DEPTH + 2);
    private final Thread reader;
    private byte[] current = new byte[0];
    private int position;
    private boolean ended;

    public ReadAheadInputStream(InputStream source) {
        reader = Thread.ofPlatform().daemon().name("layer-read-ahead").start(() -> pump(source));
    }

    private void pump(InputStream source) {
        try (source) {
            while (true) {
                byte[] recycled = free.poll();
                byte[] chunk = recycled != null ? recycled : new byte[CHUNK];
                int n = source.readNBytes(chunk, 0, CHUNK);
                if (n > 0) {
                    chunks.put(n == CHUNK ? chunk : Arrays.copyOf(chunk, n));
                }
                if (n < CHUNK) {
                    chunks.put(END);
                    return;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException | RuntimeException e) {
            try {
                chunks.put(e);
            } catch (InterruptedException interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
        if (length == 0) {
            return 0;
        }
        if (position == current.length && !next()) {
            return -1;
        }
        int n = Math.min(length, current.length - position);
        System.arraycopy(current, position, buffer, offset, n);
        position += n;
        return n;
    }

    private boolean next() throws IOException {
        if (ended) {
            return false;
        }
        Object item;
        try {
            item = chunks.take();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while reading a layer");
        }
        switch (item) {
            case byte[] bytes when bytes == END -> {
                ended = true;
                return false;
            }
            case byte[] bytes -> {
                if (current.length == CHUNK) {
                    free.offer(current);
                }
                current = bytes;
                position = 0;
                return true;
            }
            case IOException e -> {
                ended = true;
                throw e;
            }
            case RuntimeException e -> {
                ended = true;
                throw e;
            }
            default -> throw new IllegalStateException("unexpected read-ahead item " + item);
        }
    }

    @Override
    public void close() {
        ended = true;
        reader.interrupt();
    }
}
