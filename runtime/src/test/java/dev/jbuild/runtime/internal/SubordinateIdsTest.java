package dev.jbuild.runtime.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SubordinateIdsTest {
    @TempDir
    Path tmp;

    @Test
    void findsTheUsersRangeByNameOrUid() throws IOException {
        Path file = Files.writeString(tmp.resolve("subuid"), "other:100000:65536\nbroken:line\nbuilder:165536:65536\n1005:231072:1000\n");
        assertEquals(Optional.of(new SubordinateIds(165536, 65536)), SubordinateIds.find(file, "builder", 1001));
        assertEquals(Optional.of(new SubordinateIds(231072, 1000)), SubordinateIds.find(file, "someone", 1005));
        assertEquals(Optional.empty(), SubordinateIds.find(file, "nobody", 65534));
        assertEquals(Optional.empty(), SubordinateIds.find(tmp.resolve("missing"), "builder", 1001));
    }

    @Test
    void mapPutsTheCallerAtRootAndTheRangeAfterIt() {
        assertEquals("0 1001 1 1 100000 65536", new SubordinateIds(100000, 65536).mapFor(1001));
    }
}
