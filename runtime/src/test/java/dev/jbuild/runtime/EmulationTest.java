package dev.jbuild.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jbuild.oci.Platform;
import dev.jbuild.runtime.internal.EmulationEntries;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reading binfmt_misc entries, matching them to platforms, and the explanations when a platform cannot run. */
class EmulationTest {
    private static final Platform AMD64 = Platform.parse("linux/amd64");
    private static final Platform ARM64 = Platform.parse("linux/arm64");

    /** The entry the kernel shows after Debian's qemu-aarch64.conf is registered. */
    static final String AARCH64_ENTRY = """
            enabled
            interpreter /usr/libexec/qemu-binfmt/aarch64-binfmt-P
            flags: POF
            offset 0
            magic 7f454c460201010000000000000000000200b700
            mask ffffffffffffff00fffffffffffffffffeffffff
            """;
    static final String ARM_ENTRY = """
            enabled
            interpreter /usr/libexec/qemu-binfmt/arm-binfmt-P
            flags: POF
            offset 0
            magic 7f454c4601010100000000000000000002002800
            mask ffffffffffffff00fffffffffffffffffeffffff
            """;
    static final String S390X_ENTRY = """
            enabled
            interpreter /usr/libexec/qemu-binfmt/s390x-binfmt-P
            flags: POF
            offset 0
            magic 7f454c4602020100000000000000000000020016
            mask ffffffffffffff00fffffffffffffffffffeffff
            """;

    @TempDir
    Path dir;

    private Path binfmt(String... nameAndEntry) throws IOException {
        Path binfmt = Files.createDirectories(dir.resolve("binfmt_misc"));
        Files.writeString(binfmt.resolve("status"), "enabled\n");
        Files.writeString(binfmt.resolve("register"), "");
        for (int i = 0; i < nameAndEntry.length; i += 2) {
            Files.writeString(binfmt.resolve(nameAndEntry[i]), nameAndEntry[i + 1]);
        }
        return binfmt;
    }

    private Path noRegistrations() throws IOException {
        return Files.createDirectories(dir.resolve("binfmt.d-empty"));
    }

    @Test
    void readsTheKernelsViewOfAnEntry() {
        EmulationHandler handler = EmulationEntries.parseEntry("qemu-aarch64", AARCH64_ENTRY);
        assertEquals("qemu-aarch64", handler.name());
        assertTrue(handler.enabled());
        assertTrue(handler.fixBinary());
        assertEquals(Path.of("/usr/libexec/qemu-binfmt/aarch64-binfmt-P"), handler.interpreter());
        assertEquals(20, handler.magic().length);
        assertEquals((byte) 0xb7, handler.magic()[18]);
        assertEquals((byte) 0xfe, handler.mask()[16]);
    }

    @Test
    void rejectsAnEntryWithoutInterpreterOrWithBadHex() {
        IllegalArgumentException none = assertThrows(IllegalArgumentException.class,
                () -> EmulationEntries.parseEntry("broken", "enabled\nmagic 7f45\n"));
        assertTrue(none.getMessage().contains("broken") && none.getMessage().contains("interpreter"), none.getMessage());
        IllegalArgumentException hex = assertThrows(IllegalArgumentException.class,
                () -> EmulationEntries.parseEntry("odd", "enabled\ninterpreter /x\nmagic 7f4\n"));
        assertTrue(hex.getMessage().contains("odd") && hex.getMessage().contains("7f4"), hex.getMessage());
    }

    @Test
    void matchesEachPlatformToItsOwnInterpreterOnly() throws IOException {
        Emulation emulation = Emulation.probe(binfmt("qemu-aarch64", AARCH64_ENTRY, "qemu-arm", ARM_ENTRY,
                "qemu-s390x", S390X_ENTRY), noRegistrations(), AMD64);
        assertEquals("qemu-aarch64", handlerOf(emulation.status(ARM64)));
        assertEquals("qemu-aarch64", handlerOf(emulation.status(Platform.parse("linux/aarch64"))));
        assertEquals("qemu-arm", handlerOf(emulation.status(Platform.parse("linux/arm/v7"))));
        assertEquals("qemu-arm", handlerOf(emulation.status(Platform.parse("linux/arm/v6"))));
        assertEquals("qemu-s390x", handlerOf(emulation.status(Platform.parse("linux/s390x"))));
        assertInstanceOf(EmulationStatus.Missing.class, emulation.status(Platform.parse("linux/ppc64le")));
        assertInstanceOf(EmulationStatus.Native.class, emulation.status(AMD64));
        assertInstanceOf(EmulationStatus.Native.class, emulation.status(Platform.parse("linux/386")));
        assertEquals(List.of("linux/amd64", "linux/arm64", "linux/arm/v7", "linux/arm/v6", "linux/s390x", "linux/386"),
                emulation.runnablePlatforms().stream().map(s -> s.platform().format()).toList());
    }

    private static String handlerOf(EmulationStatus status) {
        return assertInstanceOf(EmulationStatus.Emulated.class, status).handler().name();
    }

    @Test
    void onAnArm64HostAmd64IsTheForeignOne() throws IOException {
        Emulation emulation = Emulation.probe(binfmt("qemu-aarch64", AARCH64_ENTRY), noRegistrations(), ARM64);
        assertInstanceOf(EmulationStatus.Native.class, emulation.status(ARM64));
        EmulationStatus amd = emulation.status(AMD64);
        assertFalse(amd.runnable());
        assertTrue(((EmulationStatus.Missing) amd).explanation().contains("ELF x86-64"), amd.toString());
    }

    @Test
    void explainsAnUnmountedBinfmtMisc() throws IOException {
        Emulation emulation = Emulation.probe(Files.createDirectories(dir.resolve("empty")), noRegistrations(), AMD64);
        assertFalse(emulation.mounted());
        String why = explanation(emulation.status(ARM64));
        assertTrue(why.contains("linux/arm64") && why.contains("binfmt_misc is not mounted"), why);
        assertTrue(why.contains("apt-get install -y qemu-user-static") && why.contains("jbuild info --install-emulators")
                && why.contains("mount -t binfmt_misc"), why);
    }

    @Test
    void explainsADisabledBinfmtMiscAndADisabledEntry() throws IOException {
        Path binfmt = binfmt("qemu-aarch64", AARCH64_ENTRY.replace("enabled\n", "disabled\n"));
        assertTrue(explanation(Emulation.probe(binfmt, noRegistrations(), AMD64).status(ARM64))
                .contains("the binfmt_misc entry qemu-aarch64 is disabled"));
        Files.writeString(binfmt.resolve("status"), "disabled\n");
        assertTrue(explanation(Emulation.probe(binfmt, noRegistrations(), AMD64).status(ARM64))
                .contains("binfmt_misc is disabled"));
    }

    @Test
    void anEntryWithoutTheFixBinaryFlagCannotServeContainers() throws IOException {
        Emulation emulation = Emulation.probe(binfmt("qemu-aarch64", AARCH64_ENTRY.replace("flags: POF", "flags: P")),
                noRegistrations(), AMD64);
        String why = explanation(emulation.status(ARM64));
        assertTrue(why.contains("without the F (fix binary) flag") && why.contains("aarch64-binfmt-P"), why);
    }

    @Test
    void pointsAtInstallEmulatorsWhenQemuIsInstalledButNotRegistered() throws IOException {
        Path registrations = Files.createDirectories(dir.resolve("binfmt.d"));
        Files.writeString(registrations.resolve("qemu-aarch64.conf"),
                "# from qemu-user-static\n:qemu-aarch64:M::\\x7f\\x45\\x4c\\x46:\\xff\\xff\\xff\\xff:"
                        + "/usr/libexec/qemu-binfmt/aarch64-binfmt-P:OPF\n");
        String why = explanation(Emulation.probe(binfmt(), registrations, AMD64).status(ARM64));
        assertTrue(why.contains("qemu-user-static is installed but not registered")
                && why.contains("jbuild info --install-emulators"), why);
        String other = explanation(Emulation.probe(binfmt(), registrations, AMD64).status(Platform.parse("linux/riscv64")));
        assertTrue(other.contains("apt-get install -y qemu-user-static"), other);
    }

    @Test
    void explainsPlatformsItCannotEmulate() throws IOException {
        String why = explanation(Emulation.probe(binfmt(), noRegistrations(), AMD64).status(Platform.parse("windows/amd64")));
        assertTrue(why.contains("windows/amd64") && why.contains("only Linux platforms"), why);
    }

    @Test
    void readsRegistrationLinesAndRejectsGarbage() throws IOException {
        Path file = dir.resolve("qemu-x.conf");
        Files.writeString(file, "; comment\n\n:qemu-x:M:0:\\x7fELF:\\xff\\xff\\xff\\xff:/usr/bin/qemu-x-static:F\n");
        EmulationEntries.Registration line = EmulationEntries.registrations(file).getFirst();
        assertEquals("qemu-x", line.name());
        assertEquals("/usr/bin/qemu-x-static", line.interpreter());
        assertEquals("F", line.flags());
        Files.writeString(file, "qemu-x M 0\n");
        IllegalArgumentException bad = assertThrows(IllegalArgumentException.class,
                () -> EmulationEntries.registrations(file));
        assertTrue(bad.getMessage().contains(file + ":1"), bad.getMessage());
    }

    @Test
    void installWithoutQemuSaysWhatToInstall() throws IOException {
        IOException missing = assertThrows(IOException.class,
                () -> Emulation.install(dir.resolve("binfmt_misc"), noRegistrations()));
        assertTrue(missing.getMessage().contains("apt-get install -y qemu-user-static"), missing.getMessage());
    }

    private static String explanation(EmulationStatus status) {
        return assertInstanceOf(EmulationStatus.Missing.class, status).explanation();
    }
}
