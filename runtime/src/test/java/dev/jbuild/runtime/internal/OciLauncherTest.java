package dev.jbuild.runtime.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jbuild.runtime.ContainerSpec;
import dev.jbuild.runtime.Limits;
import dev.jbuild.runtime.Mount;
import dev.jbuild.runtime.Network;
import dev.jbuild.runtime.Rlimit;
import dev.jbuild.runtime.Rootfs;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class OciLauncherTest {
    private static final Rootfs.Overlay OVERLAY = new Rootfs.Overlay(
            List.of(Path.of("/store/layers/b/diff"), Path.of("/store/layers/a/diff")), Path.of("/c/upper"), Path.of("/c/work"));

    @Test
    void configCarriesTheSameSpec() {
        ContainerSpec spec = ContainerSpec.builder(OVERLAY, List.of("sh", "-c", "make"))
                .env("A", "1").cwd("/src").hostname("builder").network(Network.NONE)
                .mount(new Mount.Bind(Path.of("/host/data"), "/data", true))
                .mount(new Mount.Tmpfs("/scratch", 1024))
                .limits(new Limits(64L << 20, 1.5, 100)).rlimit(Rlimit.parse("nofile=1024:4096"))
                .rlimit(Rlimit.parse("core=unlimited")).build();
        PreparedCommand command = new PreparedCommand(new UserResolver.ResolvedUser(1000, 1000, List.of(1000, 10), "/home/app"),
                List.of("PATH=/bin", "A=1"));
        JsonNode config = OciLauncher.config(spec, command, Path.of("/run/bundle/rootfs"));

        assertEquals("1.0.2", config.get("ociVersion").asText());
        assertEquals(List.of("sh", "-c", "make"), texts(config.at("/process/args")));
        assertEquals(List.of("PATH=/bin", "A=1"), texts(config.at("/process/env")));
        assertEquals("/src", config.at("/process/cwd").asText());
        assertEquals(1000, config.at("/process/user/uid").asInt());
        assertEquals(List.of("1000", "10"), texts(config.at("/process/user/additionalGids")));
        assertFalse(texts(config.at("/process/capabilities/bounding")).contains("CAP_SYS_ADMIN"));
        assertEquals("/run/bundle/rootfs", config.at("/root/path").asText());
        assertEquals("builder", config.get("hostname").asText());
        assertEquals(5, config.at("/linux/namespaces").size(), "pid, ipc, uts, mount and network");
        assertEquals(64L << 20, config.at("/linux/resources/memory/limit").asLong());
        assertEquals(150_000, config.at("/linux/resources/cpu/quota").asLong());
        assertEquals(100, config.at("/linux/resources/pids/limit").asLong());
        JsonNode data = config.at("/mounts/5");
        assertEquals("/data", data.get("destination").asText());
        assertEquals(List.of("rbind", "ro"), texts(data.get("options")));
        assertEquals("size=1024", config.at("/mounts/6/options/3").asText());
        assertEquals(List.of("{\"type\":\"RLIMIT_NOFILE\",\"hard\":4096,\"soft\":1024}",
                "{\"type\":\"RLIMIT_CORE\",\"hard\":18446744073709551615,\"soft\":18446744073709551615}"),
                texts(config.at("/process/rlimits")));
    }

    @Test
    void hostNetworkHasNoNetworkNamespace() {
        ContainerSpec spec = ContainerSpec.builder(OVERLAY, List.of("true")).network(Network.HOST).build();
        JsonNode config = OciLauncher.config(spec, new PreparedCommand(new UserResolver.ResolvedUser(0, 0, List.of(0), "/root"),
                List.of()), Path.of("/r"));
        List<String> types = new ArrayList<>();
        config.at("/linux/namespaces").forEach(namespace -> types.add(namespace.get("type").asText()));
        assertEquals(List.of("pid", "ipc", "uts", "mount"), types);
    }

    @Test
    void overlayOptionsListLowerLayersTopFirstWithTheSafeOptions() {
        assertEquals("lowerdir=/store/layers/b/diff:/store/layers/a/diff,upperdir=/c/upper,workdir=/c/work,"
                + "userxattr,index=off,metacopy=off,redirect_dir=nofollow", OciLauncher.overlayOptions(OVERLAY));
    }

    private static List<String> texts(JsonNode array) {
        List<String> values = new ArrayList<>();
        array.forEach(node -> values.add(node.isObject() ? node.toString() : node.asText()));
        return values;
    }
}
