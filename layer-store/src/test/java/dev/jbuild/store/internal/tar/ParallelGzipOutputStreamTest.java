package dev.jbuild.store.internal.tar;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Block-parallel gzip is one valid gzip stream, whatever the input length, and the same for any thread count. */
class ParallelGzipOutputStreamTest {
    private static byte[] compress(byte[] input, int threads) throws IOException {
        ExecutorService executor = Executors.newFixedThreadPool(threads);
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            try (ParallelGzipOutputStream gzip = new ParallelGzipOutputStream(out, 6, executor, threads)) {
                int offset = 0;
                Random chunks = new Random(input.length);
                while (offset < input.length) {
                    int n = Math.min(input.length - offset, 1 + chunks.nextInt(200_000));
                    gzip.write(input, offset, n);
                    offset += n;
                }
            }
            return out.toByteArray();
        } finally {
            executor.shutdownNow();
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 32 * 1024, 512 * 1024, 3 * 512 * 1024 + 7})
    void decompressesToTheInputAndIgnoresThreadCount(int length) throws IOException {
        byte[] input = new byte[length];
        Random random = new Random(7);
        for (int i = 0; i < length; i++) {
            input[i] = (byte) (random.nextInt(4) == 0 ? random.nextInt(256) : 'a' + i % 7);
        }
        byte[] oneThread = compress(input, 1);
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(oneThread))) {
            assertArrayEquals(input, in.readAllBytes());
        }
        assertArrayEquals(oneThread, compress(input, 3));
    }
}
