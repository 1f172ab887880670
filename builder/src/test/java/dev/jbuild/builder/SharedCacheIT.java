package dev.jbuild.builder;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jbuild.oci.ContentSource;
import dev.jbuild.oci.Descriptor;
import dev.jbuild.oci.Index;
import dev.jbuild.oci.Manifest;
import dev.jbuild.oci.MediaType;
import dev.jbuild.oci.Platform;
import dev.jbuild.oci.Reference;
import dev.jbuild.registry.Registry;
import dev.jbuild.registry.RegistryOptions;
import dev.jbuild.registry.testing.LocalRegistry;
import dev.jbuild.runtime.Emulation;
import dev.jbuild.store.OciLayout;
import dev.jbuild.store.Store;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --cache-to} and {@code --cache-from} between two stores, as two CI runners share a cache: through
 * a real docker-registry and through an OCI layout directory. The last stage's RUN writes the time it ran,
 * so an image with the same digest proves that it did not run again.
 */
class SharedCacheIT {
    private static final String DOCKERFILE = """
            FROM busybox AS tools
            RUN echo tool > /tool.txt
            FROM busybox
            COPY --from=tools /tool.txt /tool.txt
            RUN date +%s%N > /final.txt
            CMD ["cat", "/final.txt"]
            """;

    @TempDir
    Path tmp;

    private Path context;

    @BeforeEach
    void context() throws IOException {
        context = Files.createDirectories(tmp.resolve("context"));
    }

    @AfterEach
    void removeTrees() throws IOException {
        BusyboxImage.deleteChildren(tmp);
    }

    /** A runner's own store, holding only the busybox base (the same image on every runner). */
    private Store runner(String name) throws IOException {
        return BusyboxImage.storeWithBusybox(Files.createDirectories(tmp.resolve(name)));
    }

    private record Built(BuildResult result, List<BuildEvent> events) {
        long misses() {
            return events.stream().filter(BuildEvent.StepCacheMiss.class::isInstance).count();
        }

        List<String> messages() {
            return events.stream().filter(BuildEvent.Message.class::isInstance)
                    .map(event -> ((BuildEvent.Message) event).text()).toList();
        }
    }

    private Built build(Store store, List<CacheLocation> from, List<CacheExport> to) throws Exception {
        return build(store, from, to, Set.of());
    }

    private Built build(Store store, List<CacheLocation> from, List<CacheExport> to, Set<String> noCacheFilter)
            throws Exception {
        List<BuildEvent> events = new CopyOnWriteArrayList<>();
        BuildRequest.Builder request = BuildRequest.builder(new BuildRequest.Context.Directory(context))
                .dockerfile(new BuildRequest.DockerfileSource.Text(DOCKERFILE)).tag("app:1").progress(events::add)
                .noCacheFilter(noCacheFilter);
        from.forEach(request::cacheFrom);
        to.forEach(request::cacheTo);
        return new Built(Builder.create(store, RegistryOptions.defaults()).build(request.build()), events);
    }

    @Test
    void aSecondRunnerBuildsNothingWithTheRegistryCacheOfTheFirst() throws Exception {
        try (LocalRegistry registry = LocalRegistry.open(Files.createDirectories(tmp.resolve("registry")))) {
            String ref = registry.host() + "/ci/app:buildcache";
            Built first = build(runner("first"), List.of(),
                    List.of(CacheExport.parse("type=registry,ref=" + ref + ",mode=max")));
            assertEquals(4, first.misses(), "RUN, COPY, RUN, CMD ran on the first runner");

            Built second = build(runner("second"), List.of(CacheLocation.parseImport(ref)), List.of());

            assertEquals(0, second.misses(), "every step came from the shared cache: " + second.events());
            assertEquals(first.result().configDigest(), second.result().configDigest());
            assertTrue(second.messages().contains("importing cache manifest from " + ref), second.messages().toString());

            try (Registry client = new Registry(RegistryOptions.defaults())) {
                ContentSource cache = client.repository(Reference.parse(ref));
                Index index = Index.parse(cache.readAll(cache.resolve("buildcache")));
                assertEquals(5, index.manifests().size(), "4 steps, the COPY under two keys");
                for (Descriptor step : index.manifests()) {
                    assertTrue(step.annotations().containsKey("dev.jbuild.cache.key"), step.toString());
                    Manifest manifest = Manifest.parse(cache.readAll(step));
                    assertEquals(java.util.Map.of(), manifest.annotations(),
                            "the local cache's notes (build args among them) stay on the machine");
                    assertTrue(manifest.layers().stream().allMatch(layer ->
                            layer.mediaType().equals(MediaType.OCI_LAYER_GZIP)), manifest.layers().toString());
                }
            }
        }
    }

    @Test
    void minModeSharesOnlyTheImagesStagesAndMaxModeSharesEveryStage() throws Exception {
        Path min = tmp.resolve("cache-min");
        Path max = tmp.resolve("cache-max");
        Built first = build(runner("first"), List.of(), List.of(CacheExport.parse("type=local,dest=" + min),
                CacheExport.parse("type=local,dest=" + max + ",mode=max")));
        Set<String> imageSteps = first.result().steps().stream().filter(CachedStep::inImage)
                .map(step -> step.key().toString()).collect(Collectors.toSet());
        assertEquals(4, imageSteps.size(), "COPY (by the tools image and by the copied file), RUN and CMD of the last stage");
        assertEquals(imageSteps, keys(min));
        assertEquals(5, keys(max).size());

        Built fromMax = build(runner("second"), List.of(CacheLocation.parseImport("type=local,src=" + max)), List.of());
        assertEquals(0, fromMax.misses(), fromMax.events().toString());
        assertEquals(first.result().configDigest(), fromMax.result().configDigest());

        Built fromMin = build(runner("third"), List.of(CacheLocation.parseImport("type=local,src=" + min)), List.of());
        assertEquals(1, fromMin.misses(), "only the tools stage's RUN ran again; it made the same file, so the COPY "
                + "found its result by the file's content, and the steps after it by their keys: " + fromMin.events());
        assertEquals(first.result().configDigest(), fromMin.result().configDigest());

    }

    @Test
    void aStageThatRanAgainWithTheSameFilesKeepsTheStepsThatCopyFromIt() throws Exception {
        Store store = runner("runner");
        Built first = build(store, List.of(), List.of());
        Built again = build(store, List.of(), List.of(), Set.of("tools"));
        assertEquals(1, again.misses(), "only the tools stage's RUN ran: " + again.events());
        assertEquals(first.result().configDigest(), again.result().configDigest());
    }

    @Test
    void aMultiPlatformBuildExportsEveryKeyOfItsStepsEvenWhenTheyWereCached() throws Exception {
        Files.writeString(context.resolve("a.txt"), "a\n");
        Store store = Store.open(tmp.resolve("multi/store"));
        Path cache = tmp.resolve("multi-cache");
        Emulation none = Emulation.probe(
                Files.createDirectories(tmp.resolve("unmounted-binfmt_misc")),
                Files.createDirectories(tmp.resolve("no-binfmt.d")), Platform.current());
        List<Platform> platforms = List.of(Platform.parse("linux/amd64"),
                Platform.parse("linux/arm64"));
        for (int build = 0; build < 2; build++) {
            MultiPlatformBuilder.create(store, RegistryOptions.defaults(), none).build(BuildRequest.builder(
                    new BuildRequest.Context.Directory(context)).dockerfile(new BuildRequest.DockerfileSource.Text("""
                            FROM scratch AS files
                            COPY a.txt /a.txt
                            FROM scratch
                            COPY --from=files /a.txt /copied.txt
                            """)).tag("multi:1").cacheTo(CacheExport.parse("type=local,dest=" + cache + ",mode=max"))
                    .build(), platforms, 2);
            assertEquals(6, keys(cache).size(), "build " + build + ": per platform, the COPY and the COPY --from "
                    + "under its image key and its files key");
        }
    }

    private static Set<String> keys(Path layout) throws IOException {
        OciLayout cache = OciLayout.open(layout);
        return cache.index(CacheLocation.DEFAULT_LOCAL_TAG).index().manifests().stream()
                .map(step -> step.annotations().get("dev.jbuild.cache.key")).collect(Collectors.toSet());
    }

    @Test
    void aMissingCacheIsReportedAndAFailedExportFailsTheBuildUnlessIgnored() throws Exception {
        Store store = runner("runner");
        Built withoutCache = build(store, List.of(CacheLocation.parseImport("type=local,src=" + tmp.resolve("none"))),
                List.of(CacheExport.parse("type=local,dest=" + tmp.resolve("exported"))));
        assertEquals(4, withoutCache.misses());
        assertTrue(withoutCache.messages().stream().anyMatch(message -> message.startsWith("importing cache from "
                + tmp.resolve("none") + ":latest failed, building without it: ")), withoutCache.messages().toString());

        Path notADirectory = Files.writeString(tmp.resolve("file"), "in the way\n");
        CacheExport blocked = CacheExport.parse("type=local,dest=" + notADirectory);
        IOException failed = assertThrows(IOException.class, () -> build(store, List.of(), List.of(blocked)));
        assertTrue(failed.getMessage().startsWith("exporting cache to " + notADirectory + ":latest: "), failed.getMessage());

        Built ignored = build(store, List.of(), List.of(CacheExport.parse("type=local,dest=" + notADirectory
                + ",ignore-error=true")));
        assertTrue(ignored.messages().stream().anyMatch(message -> message.startsWith("exporting cache to "
                + notADirectory + ":latest failed (ignored): ")), ignored.messages().toString());
    }
}
