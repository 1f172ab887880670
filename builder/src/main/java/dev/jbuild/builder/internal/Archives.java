package dev.jbuild.builder.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Recognises the local archives ADD unpacks: tar, plain or compressed with gzip or zstd. */
final class Archives {
    private Archives() {
    }

    static boolean isArchive(Path file) throws IOException {
        byte[] head;
        try (InputStream in = Files.newInputStream(file)) {
            head = in.readNBytes(512);
        }
        if (head.length >= 2 && (head[0] & 0xff) == 0x1f && (head[1] & 0xff) == 0x8b) {
            return true;
        }
        if (head.length >= 4 && (head[0] & 0xff) == 0x28 && (head[1] & 0xff) == 0xb5 && (head[2] & 0xff) == 0x2f
                && (head[3] & 0xff) == 0xfd) {
            return true;
        }
        return head.length >= 262 && new String(head, 257, 5, StandardCharsets.US_ASCII).equals("ustar");
    }
}
