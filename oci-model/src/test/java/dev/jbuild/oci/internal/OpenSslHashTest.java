package dev.jbuild.oci.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.Random;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class OpenSslHashTest {
    private final Random random = new Random(42);

    @BeforeEach
    void needsLibcrypto() {
        assumeTrue(OpenSslHash.available(), "libcrypto.so.3 is not installed (apt-get install libssl3)");
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 55, 56, 63, 64, 65, 127, 128, 129, 4096, 1_000_003})
    void sha256AndSha512MatchTheJdkForEverySize(int size) {
        byte[] data = new byte[size];
        random.nextBytes(data);
        for (String algorithm : new String[] {"sha256", "sha512"}) {
            HashEngine openSsl = new OpenSslHash(algorithm);
            HashEngine jdk = new HashEngine.Jdk(algorithm);
            int offset = 0;
            while (offset < size) {
                int chunk = Math.min(size - offset, 1 + random.nextInt(70_000));
                openSsl.update(data, offset, chunk);
                jdk.update(data, offset, chunk);
                offset += chunk;
            }
            assertArrayEquals(jdk.finish(), openSsl.finish(), algorithm + " of " + size + " bytes");
        }
    }

    @Test
    void smallUpdatesAreGatheredWithoutHoldingOnToTheCallersArray() {
        HashEngine openSsl = new OpenSslHash("sha256");
        HashEngine jdk = new HashEngine.Jdk("sha256");
        byte[] reused = new byte[512];
        for (int i = 0; i < 200; i++) {
            random.nextBytes(reused);
            int length = i % 7 == 0 ? 1 : 512;
            openSsl.update(reused, 0, length);
            jdk.update(reused, 0, length);
            if (i % 50 == 0) {
                byte[] large = new byte[40_000];
                random.nextBytes(large);
                openSsl.update(large, 0, large.length);
                jdk.update(large, 0, large.length);
            }
        }
        assertArrayEquals(jdk.finish(), openSsl.finish());
    }

    @Test
    void hashesOnlyTheGivenSliceOfAnArray() {
        byte[] data = new byte[300];
        random.nextBytes(data);
        HashEngine openSsl = new OpenSslHash("sha256");
        HashEngine jdk = new HashEngine.Jdk("sha256");
        openSsl.update(data, 17, 200);
        jdk.update(data, 17, 200);
        assertArrayEquals(jdk.finish(), openSsl.finish());
    }

    @Test
    void refusesUseAfterFinishAndSlicesOutsideTheArray() {
        HashEngine hash = new OpenSslHash("sha256");
        assertThrows(IndexOutOfBoundsException.class, () -> hash.update(new byte[10], 5, 6));
        hash.finish();
        assertThrows(IllegalStateException.class, () -> hash.update(new byte[1], 0, 1));
        assertThrows(IllegalStateException.class, hash::finish);
    }

    @Test
    void refusesUnknownAlgorithms() {
        assertThrows(IllegalArgumentException.class, () -> new OpenSslHash("md5"));
    }
}
