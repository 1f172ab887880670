package dev.jbuild.builder;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jbuild.store.Store;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code --build-context}: a directory, an image and an OCI layout read in place of the names FROM and --from use. */
class NamedContextsIT {
    private static final String DOCKERFILE = """
            FROM busybox AS tools
            RUN echo from the stage > /tool.txt
            FROM base
            COPY --from=docs . /docs/
            RUN --mount=type=bind,from=docs,target=/d cat /d/readme.txt > /mounted
            COPY --from=tools /tool.txt /tool.txt
            """;

    @TempDir
    Path tmp;

    private Store store;
    private Path docs;
    private Path layout;

    @BeforeEach
    void contexts() throws Exception {
        store = BusyboxImage.storeWithBusybox(tmp);
        docs = Files.createDirectories(tmp.resolve("docs"));
        Files.writeString(docs.resolve("readme.txt"), "read me\n");
        Files.writeString(docs.resolve("secret.txt"), "left out\n");
        Files.writeString(docs.resolve(".dockerignore"), "secret.txt\n");
        Path toolContext = Files.createDirectories(tmp.resolve("tool-context"));
        Files.writeString(toolContext.resolve("tool.txt"), "from the layout\n");
        layout = tmp.resolve("tools-layout");
        Builder.create(store).build(BuildRequest.builder(new BuildRequest.Context.Directory(toolContext))
                .dockerfile(new BuildRequest.DockerfileSource.Text("FROM scratch\nCOPY tool.txt /\n"))
                .tag("tools:v1").output(new Output.OciLayout(layout, false)).build());
    }

    @AfterEach
    void removeTrees() throws IOException {
        BusyboxImage.deleteChildren(tmp);
    }

    private BuiltImage build(String dockerfile, List<BuildEvent> events) throws Exception {
        Path context = Files.createDirectories(tmp.resolve("context"));
        Builder.create(store).build(BuildRequest.builder(new BuildRequest.Context.Directory(context))
                .dockerfile(new BuildRequest.DockerfileSource.Text(dockerfile)).tag("app:1").progress(events::add)
                .buildContext(NamedContext.parse("base=docker-image://busybox:latest"))
                .buildContext(NamedContext.parse("docs=" + docs))
                .buildContext(NamedContext.parse("TOOLS=oci-layout://" + layout + ":v1"))
                .build());
        return BuiltImage.read(store, "app:1", Files.createTempDirectory(tmp, "image-"));
    }

    @Test
    void eachKindOfContextIsReadWhereItsNameIsUsed() throws Exception {
        List<BuildEvent> events = new CopyOnWriteArrayList<>();
        BuiltImage image = build(DOCKERFILE, events);
        assertTrue(image.exists("bin/busybox"), "FROM base is the busybox image");
        assertEquals("read me\n", image.file("docs/readme.txt"));
        assertFalse(image.exists("docs/secret.txt"), "the directory's own .dockerignore applies");
        assertEquals("read me\n", image.file("mounted"));
        assertEquals("from the layout\n", image.file("tool.txt"), "the context overrides the stage of the same name");
        assertFalse(events.stream().anyMatch(event -> event instanceof BuildEvent.StepStarted started
                && started.name().contains("echo from the stage")), "the overridden stage is not built: " + events);

        Files.writeString(docs.resolve("readme.txt"), "read me again\n");
        List<BuildEvent> again = new CopyOnWriteArrayList<>();
        BuiltImage changed = build(DOCKERFILE, again);
        assertEquals("read me again\n", changed.file("docs/readme.txt"));
        assertEquals("read me again\n", changed.file("mounted"), "the mount's directory is part of the step's key");
        assertTrue(again.contains(new BuildEvent.StepCacheMiss(2, "source content changed")), again.toString());
    }

    @Test
    void aDirectoryIsNoBaseImage() {
        BuildException failed = assertThrows(BuildException.class, () -> build("FROM docs\n", new CopyOnWriteArrayList<>()));
        assertTrue(failed.getMessage().contains("the build context docs is the directory " + docs
                + ": COPY --from and bind mounts read it, but it is no image"), failed.getMessage());
    }
}
