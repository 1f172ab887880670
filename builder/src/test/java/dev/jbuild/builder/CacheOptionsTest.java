package dev.jbuild.builder;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** {@code --cache-from} and {@code --cache-to} values as buildx users write them. */
class CacheOptionsTest {
    @Test
    void importsFromARegistryRefBareOrTypedAndFromALocalDirectory() {
        assertEquals(new CacheLocation.Registry("ghcr.io/acme/app:buildcache"),
                CacheLocation.parseImport("ghcr.io/acme/app:buildcache"));
        assertEquals(new CacheLocation.Registry("ghcr.io/acme/app:buildcache"),
                CacheLocation.parseImport("type=registry,ref=ghcr.io/acme/app:buildcache"));
        assertEquals(new CacheLocation.LocalDirectory(Path.of("/tmp/cache"), "latest"),
                CacheLocation.parseImport("type=local,src=/tmp/cache"));
        assertEquals(new CacheLocation.LocalDirectory(Path.of("/tmp/cache"), "main"),
                CacheLocation.parseImport("type=local,src=/tmp/cache,tag=main"));
    }

    @Test
    void exportsWithModeAndIgnoreErrorAndAcceptsBuildKitsFormatFlags() {
        assertEquals(new CacheExport(new CacheLocation.Registry("localhost:5000/app:cache"), false, false),
                CacheExport.parse("type=registry,ref=localhost:5000/app:cache"));
        assertEquals(new CacheExport(new CacheLocation.Registry("localhost:5000/app:cache"), true, true),
                CacheExport.parse("type=registry,ref=localhost:5000/app:cache,mode=max,ignore-error=true,"
                        + "oci-mediatypes=true,image-manifest=true,compression=gzip"));
        assertEquals(new CacheExport(new CacheLocation.LocalDirectory(Path.of("/tmp/c"), "latest"), true, false),
                CacheExport.parse("type=local,dest=/tmp/c,mode=max"));
    }

    @Test
    void whatJbuildCannotDoIsAClearUsageError() {
        assertEquals("unsupported --cache-to type \"gha\" (jbuild keeps shared cache in a registry, type=registry, "
                        + "or an OCI layout directory, type=local)",
                assertThrows(IllegalArgumentException.class, () -> CacheExport.parse("type=gha")).getMessage());
        assertEquals("unsupported --cache-from type \"inline\" (jbuild keeps shared cache in a registry, type=registry, "
                        + "or an OCI layout directory, type=local)",
                assertThrows(IllegalArgumentException.class, () -> CacheLocation.parseImport("type=inline")).getMessage());
        assertEquals("--cache-to type=registry needs ref=",
                assertThrows(IllegalArgumentException.class, () -> CacheExport.parse("type=registry,mode=max")).getMessage());
        assertEquals("--cache-to type=local needs dest=",
                assertThrows(IllegalArgumentException.class, () -> CacheExport.parse("type=local,tag=x")).getMessage());
        assertEquals("unknown --cache-to field \"src\" (known: compression, dest, ignore-error, image-manifest, mode, "
                        + "oci-mediatypes, tag, type)",
                assertThrows(IllegalArgumentException.class, () -> CacheExport.parse("type=local,src=/x")).getMessage());
        assertEquals("--cache-to mode must be min or max, not \"all\"",
                assertThrows(IllegalArgumentException.class, () -> CacheExport.parse("ref=r:1,mode=all")).getMessage());
        assertEquals("--cache-to compression=zstd is not supported (cache layers are gzip)",
                assertThrows(IllegalArgumentException.class, () -> CacheExport.parse("ref=r:1,compression=zstd")).getMessage());
        assertEquals("cache ref \"r@sha256:" + "0".repeat(64) + "\" must be a tag, not a digest",
                assertThrows(IllegalArgumentException.class,
                        () -> CacheLocation.parseImport("r@sha256:" + "0".repeat(64))).getMessage());
        assertEquals("invalid --cache-from field \"mode\" in \"type=local,mode\" (expected key=value)",
                assertThrows(IllegalArgumentException.class, () -> CacheLocation.parseImport("type=local,mode")).getMessage());
    }
}
