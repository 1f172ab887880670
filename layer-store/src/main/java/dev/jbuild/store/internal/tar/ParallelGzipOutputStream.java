package dev.jbuild.store.internal.tar;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.zip.CRC32;
import java.util.zip.Deflater;

/**
 * A gzip stream whose deflate work runs on several threads, as pigz does: the input is cut into
 * fixed blocks, each block is compressed with the previous 32 KiB as its dictionary and ended with
 * a sync flush, and the pieces are joined in order into one deflate stream. The output depends only
 * on the input, the level and the block size, never on thread timing, so it is deterministic.
 *
 * <p>The gzip header has no name and mtime 0, so equal input always gives equal bytes.
 */
public final class ParallelGzipOutputStream extends OutputStream {
    private static final int BLOCK = 512 * 1024;
    private static final int DICTIONARY = 32 * 1024;
    private static final byte[] HEADER = {0x1f, (byte) 0x8b, 8, 0, 0, 0, 0, 0, 0, (byte) 0xff};

    private final OutputStream out;
    private final int level;
    private final ExecutorService executor;
    private final int maxInFlight;
    private final ArrayDeque<Future<byte[]>> inFlight = new ArrayDeque<>();
    private final CRC32 crc = new CRC32();
    private byte[] block = new byte[BLOCK];
    private int filled;
    private byte[] dictionary = new byte[0];
    private long totalIn;
    private boolean closed;

    public ParallelGzipOutputStream(OutputStream out, int level, ExecutorService executor, int threads)
            throws IOException {
        this.out = out;
        this.level = level;
        this.executor = executor;
        this.maxInFlight = Math.max(2, threads * 2);
        out.write(HEADER);
    }

    @Override
    public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] buffer, int offset, int length) throws IOException {
        crc.update(buffer, offset, length);
        totalIn += length;
        while (length > 0) {
            int n = Math.min(length, BLOCK - filled);
            System.arraycopy(buffer, offset, block, filled, n);
            filled += n;
            offset += n;
            length -= n;
            if (filled == BLOCK) {
                submit(false);
            }
        }
    }

    private void submit(boolean last) throws IOException {
        byte[] input = block;
        int inputLength = filled;
        byte[] preset = dictionary;
        int keep = Math.min(DICTIONARY, inputLength);
        byte[] nextDictionary = keep == DICTIONARY || preset.length == 0
                ? Arrays.copyOfRange(input, inputLength - keep, inputLength)
                : joinTail(preset, input, inputLength);
        dictionary = nextDictionary;
        inFlight.add(executor.submit(() -> deflate(input, inputLength, preset, last)));
        block = new byte[BLOCK];
        filled = 0;
        while (inFlight.size() >= maxInFlight) {
            drainOne();
        }
    }

    private static byte[] joinTail(byte[] previous, byte[] input, int inputLength) {
        byte[] joined = new byte[previous.length + inputLength];
        System.arraycopy(previous, 0, joined, 0, previous.length);
        System.arraycopy(input, 0, joined, previous.length, inputLength);
        return Arrays.copyOfRange(joined, Math.max(0, joined.length - DICTIONARY), joined.length);
    }

    private byte[] deflate(byte[] input, int length, byte[] preset, boolean last) {
        Deflater deflater = new Deflater(level, true);
        try {
            if (preset.length > 0) {
                deflater.setDictionary(preset);
            }
            deflater.setInput(input, 0, length);
            if (last) {
                deflater.finish();
            }
            byte[] output = new byte[length + length / 1000 + 64];
            int produced = 0;
            while (true) {
                if (produced == output.length) {
                    output = Arrays.copyOf(output, output.length * 2);
                }
                int n = deflater.deflate(output, produced, output.length - produced,
                        last ? Deflater.NO_FLUSH : Deflater.SYNC_FLUSH);
                produced += n;
                if (last ? deflater.finished() : produced < output.length) {
                    break;
                }
            }
            return Arrays.copyOf(output, produced);
        } finally {
            deflater.end();
        }
    }

    private void drainOne() throws IOException {
        Future<byte[]> head = inFlight.removeFirst();
        try {
            out.write(head.get());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while compressing", e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof UncheckedIOException io) {
                throw io.getCause();
            }
            throw new IOException("compression failed", cause);
        }
    }

    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        try {
            submit(true);
            while (!inFlight.isEmpty()) {
                drainOne();
            }
            long crcValue = crc.getValue();
            byte[] trailer = new byte[8];
            for (int i = 0; i < 4; i++) {
                trailer[i] = (byte) (crcValue >>> (8 * i));
                trailer[4 + i] = (byte) (totalIn >>> (8 * i));
            }
            out.write(trailer);
        } finally {
            inFlight.forEach(future -> future.cancel(true));
            out.close();
        }
    }
}
