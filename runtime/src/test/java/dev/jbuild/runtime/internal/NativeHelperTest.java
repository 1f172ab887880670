package dev.jbuild.runtime.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NativeHelperTest {
    @TempDir
    Path tmp;

    @Test
    void extractsOnceUnderAHashedNameAsAnExecutable() throws IOException {
        Path first = NativeHelper.extract(tmp);
        assertTrue(first.getFileName().toString().matches("jbuild-init-[0-9a-f]{16}"), first.toString());
        assertEquals("rwxr-xr-x", PosixFilePermissions.toString(Files.getPosixFilePermissions(first)));
        assertEquals(first, NativeHelper.extract(tmp));
        try (var files = Files.list(tmp)) {
            assertEquals(1, files.count(), "no temporary files are left");
        }
    }

    @Test
    void replacesACorruptedCopy() throws IOException {
        Path first = NativeHelper.extract(tmp);
        Files.writeString(first, "garbage");
        Path again = NativeHelper.extract(tmp);
        assertEquals(first, again);
        assertTrue(Files.size(again) > 10_000);
    }

    @Test
    void helperRefusesToRunWithoutASpec() throws Exception {
        Process process = new ProcessBuilder(NativeHelper.extract(tmp).toString(), "extra").redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        assertEquals(2, process.waitFor());
        assertTrue(output.contains("usage: jbuild-init"), output);
    }
}
