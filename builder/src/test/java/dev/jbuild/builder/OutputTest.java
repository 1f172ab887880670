package dev.jbuild.builder;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code --output} values as docker build and buildx take them. */
class OutputTest {
    @Test
    void eachTypeAndItsDestination() {
        assertEquals(new Output.LocalDirectory(Path.of("out")), Output.parse("out"));
        assertEquals(new Output.LocalDirectory(Path.of("out")), Output.parse("type=local,dest=out"));
        assertEquals(new Output.OciLayout(Path.of("i.tar"), true), Output.parse("type=oci,dest=i.tar"));
        assertEquals(new Output.OciLayout(Path.of("dir"), false), Output.parse("type=oci,dest=dir,tar=false"));
        assertEquals(new Output.DockerArchive(Path.of("i.tar")), Output.parse("type=docker,dest=i.tar"));
        assertEquals(new Output.Registry(), Output.parse("type=registry"));
        assertEquals(new Output.Registry(), Output.parse("type=image,push=true"));
    }

    @Test
    void aRegistryOutputsNameIsOneMoreTag() {
        assertEquals(new Output.Registry(List.of("ghcr.io/acme/app:1")),
                Output.parse("type=image,name=ghcr.io/acme/app:1,push=true"));
        BuildRequest request = BuildRequest.builder(new BuildRequest.Context.Directory(Path.of(".")))
                .tag("app:1").output(Output.parse("type=registry,name=localhost:5000/app:1")).build();
        assertEquals(List.of("app:1", "localhost:5000/app:1"), request.tags());
    }

    @Test
    void whatIsMissingOrUnknownIsAClearError() {
        assertEquals("--output type=oci needs dest=PATH",
                assertThrows(IllegalArgumentException.class, () -> Output.parse("type=oci")).getMessage());
        assertEquals("--output type=image needs push=true (the store always receives the image)",
                assertThrows(IllegalArgumentException.class, () -> Output.parse("type=image,name=x:1")).getMessage());
        assertEquals("unknown --output type \"tarball\" (expected local, oci, docker, registry or image)",
                assertThrows(IllegalArgumentException.class, () -> Output.parse("type=tarball,dest=x")).getMessage());
    }
}
