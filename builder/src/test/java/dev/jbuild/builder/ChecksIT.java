package dev.jbuild.builder;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jbuild.store.Store;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Dockerfile checks during a build: reported as events, and fatal with {@code check=error=true}. */
class ChecksIT {
    private static final BuildEvent.CheckWarning SHELL_FORM_CMD = new BuildEvent.CheckWarning("JSONArgsRecommended",
            "JSON arguments recommended for CMD to prevent unintended behavior related to OS signals", 3);

    @TempDir
    Path tmp;

    private final List<BuildEvent> events = new CopyOnWriteArrayList<>();

    @Test
    void warningsAreReportedAndTheBuildGoesOn() throws Exception {
        BuildResult result = build("# check=skip=WorkdirRelativePath\nFROM scratch\nCMD run\nWORKDIR app\n");
        assertEquals(List.of(SHELL_FORM_CMD), checks(), "skipped rules are not reported");
        assertEquals(List.of("/bin/sh", "-c", "run"), Store.open(tmp.resolve("store")).image("checks:test").config()
                .config().cmd(), "the image was still built");
        assertTrue(result.tags().contains("docker.io/library/checks:test"), result.tags().toString());
    }

    @Test
    void variablesTheStageDoesNotDefineAreReportedWithAHint() throws Exception {
        build("""
                FROM scratch AS base
                ENV FROM_BASE=1
                FROM base
                ARG DECLARED
                ENV PATH=/bin
                ENV GREETING=$PAHT:/app
                LABEL a=$DECLARED b=$FROM_BASE c=$PATH d=${NOWHERE}
                WORKDIR /$NOWHERE
                """);
        assertEquals(List.of(
                new BuildEvent.CheckWarning("UndefinedVar", "Usage of undefined variable '$PAHT' (did you mean $PATH?)", 6),
                new BuildEvent.CheckWarning("UndefinedVar", "Usage of undefined variable '$NOWHERE'", 7),
                new BuildEvent.CheckWarning("UndefinedVar", "Usage of undefined variable '$NOWHERE'", 8)), checks(),
                "declared ARGs, the base stage's ENV and the stage's own ENV are defined; each use is reported once");

        events.clear();
        build("# check=skip=UndefinedVar\nFROM scratch\nLABEL a=$NOWHERE\n");
        assertEquals(List.of(), checks());
    }

    @Test
    void aFrontendOtherThanDockersIsNamedAndTheDockerfileBuiltAsUsual() throws Exception {
        build("# syntax=docker/dockerfile:1.7-labs\nFROM scratch\nLABEL a=b\n");
        assertTrue(events.stream().noneMatch(event -> event instanceof BuildEvent.Message message
                && message.text().contains("frontend")), events.toString());
        events.clear();
        build("# syntax=example.com/lang:2\nFROM scratch\nLABEL a=b\n");
        assertTrue(events.contains(new BuildEvent.Message("the Dockerfile asks for the frontend example.com/lang:2; "
                + "jbuild builds it with its own Dockerfile frontend")), events.toString());
    }

    @Test
    void checkErrorTrueStopsTheBuildBeforeAnyStep() {
        BuildException error = assertThrows(BuildException.class,
                () -> build("# check=error=true\nFROM scratch\nCMD run\n"));
        assertTrue(error.getMessage().contains("lint violation found for rules: JSONArgsRecommended"), error.getMessage());
        assertEquals(List.of(SHELL_FORM_CMD), checks());
        assertTrue(events.stream().noneMatch(BuildEvent.StepStarted.class::isInstance), "no step ran: " + events);
    }

    @Test
    void checkErrorTrueFailsTheBuildOnAnUndefinedVariableAtItsStep() {
        BuildException error = assertThrows(BuildException.class,
                () -> build("# check=error=true\nFROM scratch\nLABEL a=ok\nLABEL b=$NOWHERE\nLABEL c=never\n"));
        assertTrue(error.getMessage().contains("line 4") && error.getMessage().contains(
                "lint violation found for rules: UndefinedVar"), error.getMessage());
        assertEquals(List.of(new BuildEvent.CheckWarning("UndefinedVar", "Usage of undefined variable '$NOWHERE'", 4)),
                checks());
        assertTrue(events.stream().noneMatch(e -> e instanceof BuildEvent.StepStarted started
                && started.name().contains("never")), "the build stopped there: " + events);
    }

    @Test
    void copyingWhatTheIgnoreFileExcludesIsReported() throws Exception {
        Path context = Files.createDirectories(tmp.resolve("context"));
        Files.createDirectories(context.resolve("build"));
        Files.writeString(context.resolve("build/keep.txt"), "kept\n");
        Files.writeString(context.resolve("build/drop.txt"), "dropped\n");
        Files.writeString(context.resolve(".dockerignore"), "build\n!build/keep.txt\n");
        build("""
                FROM scratch
                COPY build/keep.txt /keep.txt
                COPY build /copied
                ADD ./build /added
                COPY . /all
                """);
        assertEquals(List.of(
                new BuildEvent.CheckWarning("CopyIgnoredFile",
                        "Attempting to Copy file \"build\" that is excluded by .dockerignore", 3),
                new BuildEvent.CheckWarning("CopyIgnoredFile",
                        "Attempting to Add file \"./build\" that is excluded by .dockerignore", 4)), checks(),
                "a file a ! pattern brings back and the context root itself are not reported");
        BuiltImage image = BuiltImage.read(Store.open(tmp.resolve("store")), "checks:test", tmp);
        assertEquals("kept\n", image.file("copied/keep.txt"));
        assertTrue(!image.exists("copied/drop.txt") && !image.exists("all/build/drop.txt"), "the ignore file still applies");
    }

    private List<BuildEvent> checks() {
        return events.stream().filter(BuildEvent.CheckWarning.class::isInstance).toList();
    }

    private BuildResult build(String dockerfile) throws BuildException, IOException {
        Path context = Files.createDirectories(tmp.resolve("context"));
        return Builder.create(Store.open(tmp.resolve("store"))).build(BuildRequest.builder(
                        new BuildRequest.Context.Directory(context))
                .dockerfile(new BuildRequest.DockerfileSource.Text(dockerfile))
                .tag("checks:test").progress(events::add).build());
    }
}
