package dev.jbuild.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class ContainerSpecTest {
    private static final Rootfs ROOTFS = new Rootfs.Directory(Path.of("/srv/rootfs"));

    @Test
    void builderDefaultsAreDockers() {
        ContainerSpec spec = ContainerSpec.builder(ROOTFS, List.of("true")).build();
        assertEquals("/", spec.cwd());
        assertEquals("0", spec.user());
        assertEquals(Network.NONE, spec.network());
        assertEquals(Limits.NONE, spec.limits());
        assertEquals(Duration.ZERO, spec.timeout());
    }

    @Test
    void badInputIsRejectedWithTheValueNamed() {
        assertEquals("a container needs a command",
                assertThrows(IllegalArgumentException.class, () -> ContainerSpec.builder(ROOTFS, List.of()).build()).getMessage());
        assertEquals("environment entry must be KEY=value: \"=x\"",
                assertThrows(IllegalArgumentException.class, () -> ContainerSpec.builder(ROOTFS, List.of("true")).env(List.of("=x")).build()).getMessage());
        assertEquals("working directory must be absolute: \"tmp\"",
                assertThrows(IllegalArgumentException.class, () -> ContainerSpec.builder(ROOTFS, List.of("true")).cwd("tmp").build()).getMessage());
        assertEquals("user must be uid[:gid] or name[:group]: \"app:\"",
                assertThrows(IllegalArgumentException.class, () -> ContainerSpec.builder(ROOTFS, List.of("true")).user("app:").build()).getMessage());
        assertEquals("mount target must be an absolute path: \"data\"",
                assertThrows(IllegalArgumentException.class, () -> new Mount.Tmpfs("data", 0)).getMessage());
        assertEquals("an overlay rootfs needs at least one lower directory",
                assertThrows(IllegalArgumentException.class, () -> new Rootfs.Overlay(List.of(), Path.of("/u"), Path.of("/w"))).getMessage());
        assertThrows(IllegalArgumentException.class, () -> ContainerSpec.builder(ROOTFS, List.of("echo", "a\0b")).build());
        assertThrows(IllegalArgumentException.class, () -> new Limits(-1, 0, 0));
    }

    @Test
    void ulimitsTakeDockersForms() {
        assertEquals(new Rlimit("NOFILE", 1024, 2048), Rlimit.parse("nofile=1024:2048"));
        assertEquals(new Rlimit("NPROC", 100, 100), Rlimit.parse("nproc=100"));
        assertEquals(new Rlimit("CORE", Rlimit.UNLIMITED, Rlimit.UNLIMITED), Rlimit.parse("core=-1:unlimited"));
        assertEquals("unlimited", Rlimit.parse("core=-1").softText());
        assertEquals("ulimit nofile: the soft limit must not exceed the hard one",
                assertThrows(IllegalArgumentException.class, () -> Rlimit.parse("nofile=2048:1024")).getMessage());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Rlimit.parse("files=1")).getMessage()
                .startsWith("unknown ulimit \"files\" (known: as, core, cpu"));
        assertEquals("invalid ulimit \"nofile\" (expected NAME=SOFT[:HARD])",
                assertThrows(IllegalArgumentException.class, () -> Rlimit.parse("nofile")).getMessage());
    }

    @Test
    void exitStatusDescribesHowItEnded() {
        assertEquals("exit code 3", new ExitStatus(3, 0, false, false, Duration.ofMillis(5)).describe());
        assertEquals("killed: out of memory, killed by signal 9 (exit code 137)",
                new ExitStatus(137, 9, true, false, Duration.ofMillis(5)).describe());
    }
}
