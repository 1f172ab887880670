package dev.jbuild.builder;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
        assertEquals(new Output.Tarball(Path.of("fs.tar")), Output.parse("type=tar,dest=fs.tar"));
    }

    @Test
    void buildxsOutputsIntoTheMachinesImageStoreAreTheStore() {
        assertEquals(new Output.LocalStore(List.of()), Output.parse("type=docker"), "as --load gives it");
        assertEquals(new Output.LocalStore(List.of("app:2")), Output.parse("type=image,name=app:2"));
        assertEquals(new Output.LocalStore(List.of()), Output.parse("type=image,push=false"));
        assertEquals(new Output.LocalStore(List.of()), Output.parse("type=cacheonly"));
        BuildRequest request = BuildRequest.builder(new BuildRequest.Context.Directory(Path.of(".")))
                .tag("app:1").output(Output.parse("type=docker,name=app:2")).build();
        assertEquals(List.of("app:1", "app:2"), request.tags());
    }

    @Test
    void aDashIsStandardOutputAndAFileTreeGoesThereAsATar() {
        assertEquals(new Output.Tarball(Output.STANDARD_OUTPUT), Output.parse("-"));
        assertEquals(new Output.Tarball(Output.STANDARD_OUTPUT), Output.parse("type=local,dest=-"));
        assertEquals(new Output.Tarball(Output.STANDARD_OUTPUT), Output.parse("type=tar,dest=-"));
        assertTrue(Output.parse("type=docker,dest=-").toStandardOutput());
        assertTrue(Output.parse("type=oci,dest=-").toStandardOutput());
        assertFalse(Output.parse("type=oci,dest=-x").toStandardOutput());
        assertEquals("an OCI layout directory (tar=false) cannot go to standard output",
                assertThrows(IllegalArgumentException.class, () -> Output.parse("type=oci,dest=-,tar=false")).getMessage());
        BuildRequest.Builder twice = BuildRequest.builder(new BuildRequest.Context.Directory(Path.of(".")))
                .output(Output.parse("-")).output(Output.parse("type=docker,dest=-"));
        assertEquals("only one --output can go to standard output",
                assertThrows(IllegalArgumentException.class, twice::build).getMessage());
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
        assertEquals("unknown --output type \"tarball\" (expected local, tar, oci, docker, registry, image or cacheonly)",
                assertThrows(IllegalArgumentException.class, () -> Output.parse("type=tarball,dest=x")).getMessage());
    }
}
