package dev.jbuild.dockerfile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/** The typed view of a Dockerfile: stages, instruction records, mounts, heredocs, warnings and error reports. */
class DockerfileParserTest {
    private static Dockerfile parse(String text) {
        return DockerfileParser.parse("Dockerfile", text);
    }

    @Test
    void splitsStagesAndKeepsGlobalArgs() {
        Dockerfile dockerfile = parse("""
                # syntax=docker/dockerfile:1
                ARG VERSION=1.22
                ARG BASE
                FROM golang:${VERSION} AS build
                RUN go build
                FROM --platform=linux/arm64 scratch
                COPY --from=build /out /app
                """);
        assertEquals(Optional.of("docker/dockerfile:1"), dockerfile.directives().syntax());
        assertEquals('\\', dockerfile.directives().escapeToken());
        assertEquals(List.of(new ArgDefinition("VERSION", Optional.of("1.22")), new ArgDefinition("BASE", Optional.empty())),
                dockerfile.globalArgs().stream().flatMap(arg -> arg.args().stream()).toList());
        List<Stage> stages = dockerfile.stages();
        assertEquals(2, stages.size());
        assertEquals(Optional.of("build"), stages.get(0).name());
        assertEquals("golang:${VERSION}", stages.get(0).from().image());
        assertEquals(Optional.of("linux/arm64"), stages.get(1).from().platform());
        Instruction.Copy copy = assertInstanceOf(Instruction.Copy.class, stages.get(1).instructions().getFirst());
        assertEquals(Optional.of("build"), copy.from());
        assertEquals(List.of("/out"), copy.sources());
        assertEquals("/app", copy.destination());
        assertEquals(new SourceRange(7, 7), copy.range());
        assertEquals(stages.get(0), dockerfile.stage("BUILD").orElseThrow());
        assertEquals(stages.get(1), dockerfile.stage("1").orElseThrow());
    }

    @Test
    void keepsHeredocBodiesByteExact() {
        Dockerfile dockerfile = parse("FROM busybox\r\nRUN <<EOF bash\r\necho \"$HOME\"\r\n\r\nEOF\r\n"
                + "COPY <<-'A' 3<<B /d/\n\tchomped\n\tA\nplain $X\nB\n");
        Instruction.Run run = assertInstanceOf(Instruction.Run.class, dockerfile.instructions().get(1));
        assertEquals(new SourceRange(2, 5), run.range());
        assertEquals(List.of(new Heredoc("EOF", "echo \"$HOME\"\r\n\r\n", true, false, 0)), run.heredocs());
        assertEquals(new Command.ShellForm("<<EOF bash"), run.command());
        Instruction.Copy copy = assertInstanceOf(Instruction.Copy.class, dockerfile.instructions().get(2));
        assertEquals(List.of(new Heredoc("A", "\tchomped\n", false, true, 0), new Heredoc("B", "plain $X\n", true, false, 3)),
                copy.heredocs());
        assertEquals("chomped\n", copy.heredocs().getFirst().effectiveContent());
        assertEquals(new SourceRange(6, 10), copy.range());
    }

    @Test
    void parsesEveryMountType() {
        Instruction.Run run = assertInstanceOf(Instruction.Run.class, parse("""
                FROM busybox
                RUN --mount=type=cache,target=/root/.cache,sharing=locked,mode=0755,uid=1000 \\
                    --mount=source=.,target=/src,from=build,rw \\
                    --mount=type=tmpfs,dst=/tmp,size=64m \\
                    --mount=type=secret,id=token,required \\
                    --mount=type=secret,source=npmrc,env=NPMRC \\
                    --mount=type=ssh \\
                    --network=none --security=insecure make
                """).instructions().get(1));
        assertEquals(List.of(
                new RunMount.Cache("/root/.cache", "/root/.cache", RunMount.Sharing.LOCKED, Optional.empty(), Optional.empty(),
                        false, OptionalInt.of(0755), OptionalInt.of(1000), OptionalInt.empty()),
                new RunMount.Bind("/src", ".", Optional.of("build"), false),
                new RunMount.Tmpfs("/tmp", OptionalLong.of(64L << 20)),
                new RunMount.Secret("token", "/run/secrets/token", Optional.empty(), true, OptionalInt.empty(),
                        OptionalInt.empty(), OptionalInt.empty()),
                new RunMount.Secret("npmrc", "", Optional.of("NPMRC"), false, OptionalInt.empty(), OptionalInt.empty(),
                        OptionalInt.empty()),
                new RunMount.Ssh("default", "/run/buildkit/ssh_agent.0", false, OptionalInt.empty(), OptionalInt.empty(),
                        OptionalInt.empty())), run.mounts());
        assertEquals(Optional.of("none"), run.network());
        assertEquals(Optional.of("insecure"), run.security());
        assertEquals(new Command.ShellForm("make"), run.command());
    }

    @Test
    void mountSpecsWithVariablesWaitForExpansion() {
        Instruction.Run run = assertInstanceOf(Instruction.Run.class,
                parse("FROM busybox\nRUN --mount=type=tmpfs,target=/t,size=$SIZE true\n").instructions().get(1));
        assertEquals(List.of("type=tmpfs,target=/t,size=$SIZE"), run.mountSpecs());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, run::mounts);
        assertEquals("invalid size: '$SIZE'", e.getMessage());
    }

    @Test
    void typesCopyAndAddFlags() {
        Dockerfile dockerfile = parse("""
                FROM busybox
                COPY --chown=1:2 --chmod=0640 --link --parents --exclude=*.md --exclude=x ["a", "b", "/d/"]
                ADD --checksum=sha256:00 --keep-git-dir=false --unpack=true https://e.com/x.tgz /x
                """);
        Instruction.Copy copy = assertInstanceOf(Instruction.Copy.class, dockerfile.instructions().get(1));
        assertEquals(List.of("a", "b"), copy.sources());
        assertEquals(Optional.of("1:2"), copy.chown());
        assertEquals(Optional.of("0640"), copy.chmod());
        assertTrue(copy.link());
        assertTrue(copy.parents());
        assertEquals(List.of("*.md", "x"), copy.excludes());
        Instruction.Add add = assertInstanceOf(Instruction.Add.class, dockerfile.instructions().get(2));
        assertEquals(Optional.of("sha256:00"), add.checksum());
        assertEquals(Optional.of(false), add.keepGitDir());
        assertEquals(Optional.of(true), add.unpack());
        assertFalse(add.link());
    }

    @Test
    void typesHealthchecks() {
        Dockerfile dockerfile = parse("""
                FROM busybox
                HEALTHCHECK --interval=1m30s --timeout=1.5s --start-period=0s --retries=3 CMD curl -f localhost
                HEALTHCHECK CMD ["true"]
                HEALTHCHECK NONE
                """);
        HealthConfig shell = assertInstanceOf(Instruction.Healthcheck.class, dockerfile.instructions().get(1)).health();
        assertEquals(List.of("CMD-SHELL", "curl -f localhost"), shell.test());
        assertEquals(Optional.of(Duration.ofSeconds(90)), shell.interval());
        assertEquals(Optional.of(Duration.ofMillis(1500)), shell.timeout());
        assertEquals(Optional.of(Duration.ZERO), shell.startPeriod());
        assertEquals(Optional.of(3), shell.retries());
        HealthConfig exec = assertInstanceOf(Instruction.Healthcheck.class, dockerfile.instructions().get(2)).health();
        assertEquals(List.of("CMD", "true"), exec.test());
        assertTrue(assertInstanceOf(Instruction.Healthcheck.class, dockerfile.instructions().get(3)).health().disabled());
    }

    @Test
    void typesKeyValueInstructionsAndCommands() {
        Dockerfile dockerfile = parse("""
                FROM busybox
                ENV A=1 B="x y"
                LABEL legacy value here
                SHELL ["/bin/bash", "-c"]
                CMD ["run", "it"]
                ENTRYPOINT exec app
                ONBUILD RUN <<EOF
                echo later
                EOF
                """);
        Instruction.Env env = assertInstanceOf(Instruction.Env.class, dockerfile.instructions().get(1));
        assertEquals(List.of(new KeyValue("A", "1"), new KeyValue("B", "\"x y\"")), env.pairs());
        assertFalse(env.legacyForm());
        Instruction.Label label = assertInstanceOf(Instruction.Label.class, dockerfile.instructions().get(2));
        assertEquals(List.of(new KeyValue("legacy", "value here")), label.pairs());
        assertTrue(label.legacyForm());
        assertEquals(List.of("/bin/bash", "-c"), assertInstanceOf(Instruction.Shell.class, dockerfile.instructions().get(3)).shell());
        assertEquals(new Command.ExecForm(List.of("run", "it")),
                assertInstanceOf(Instruction.Cmd.class, dockerfile.instructions().get(4)).command());
        assertEquals(new Command.ShellForm("exec app"),
                assertInstanceOf(Instruction.Entrypoint.class, dockerfile.instructions().get(5)).command());
        Instruction.Onbuild onbuild = assertInstanceOf(Instruction.Onbuild.class, dockerfile.instructions().get(6));
        assertEquals("RUN <<EOF\necho later\nEOF", onbuild.expression());
        assertEquals("run", onbuild.trigger().name());
    }

    @Test
    void warnsLikeBuildKitLint() {
        Dockerfile dockerfile = parse("""
                FROM busybox as Builder
                MAINTAINER me
                ENV K V
                RUN echo a \\

                    b
                CMD echo hi
                """);
        assertEquals(List.of("StageNameCasing", "FromAsCasing", "MaintainerDeprecated", "LegacyKeyValueFormat",
                "NoEmptyContinuation", "JSONArgsRecommended"), dockerfile.warnings().stream().map(Warning::rule).toList());
        Warning emptyContinuation = dockerfile.warnings().get(4);
        assertEquals("Empty continuation line found in: RUN echo a     b", emptyContinuation.message());
        assertEquals(6, emptyContinuation.line());
    }

    @Test
    void lintsAcrossInstructions() {
        Dockerfile dockerfile = parse("""
                FROM busybox AS base
                CMD a
                cmd ["b"]
                FROM busybox AS base
                FROM busybox AS scratch
                SHELL ["/bin/bash", "-c"]
                CMD shell form on purpose
                """);
        assertEquals(List.of(
                "JSONArgsRecommended line 2",
                "ConsistentInstructionCasing line 3: Command 'cmd' should match the case of the command majority (uppercase)",
                "MultipleInstructionsDisallowed line 3: Multiple CMD instructions should not be used in the same stage "
                        + "because only the last one will be used",
                "DuplicateStageName line 4: Duplicate stage name \"base\", stage names should be unique",
                "ReservedStageName line 5: Stage name should not use the same name as reserved stage \"scratch\""),
                dockerfile.warnings().stream().map(w -> w.rule() + " line " + w.line()
                        + (w.rule().equals("JSONArgsRecommended") ? "" : ": " + w.message())).toList());
    }

    @Test
    void reportsErrorsLikeACompiler() {
        DockerfileException e = assertThrows(DockerfileException.class,
                () -> parse("FROM busybox\n  COPY --chmod=755 --lnk a b\n"));
        assertEquals("unknown flag: --lnk (did you mean --link?)", e.getMessage());
        assertEquals(2, e.line());
        assertEquals(20, e.column());
        assertEquals("""
                Dockerfile:2:20: unknown flag: --lnk (did you mean --link?)
                    COPY --chmod=755 --lnk a b
                                     ^""", e.formatted());
    }

    @Test
    void keepsTheCommentsBeforeAnInstructionButNotDirectives() {
        SyntaxTree tree = DockerfileParser.parseSyntax("Dockerfile",
                "# syntax=docker/dockerfile:1\n# first\n\n# second\nFROM busybox\n#\n# only this\nRUN \\\n# not kept\n  true\n");
        assertEquals(List.of("first", "second"), tree.nodes().get(0).comments());
        assertEquals(List.of("only this"), tree.nodes().get(1).comments());
        assertEquals(new SourceRange(8, 10), tree.nodes().get(1).range().orElseThrow());
    }

    @Test
    void survivesDeepNesting() {
        String chain = "ONBUILD ".repeat(7000);
        String dump = DockerfileParser.parseSyntax("Dockerfile", "FROM a\n" + chain + "RUN x\n").dump();
        assertEquals("(from \"a\")\n" + "(onbuild ".repeat(7000) + "(run \"x\")" + ")".repeat(7000) + "\n", dump);
        DockerfileException nested = assertThrows(DockerfileException.class, () -> DockerfileParser.parseSyntax("Dockerfile",
                "FROM a\nCMD " + "[".repeat(9000) + "]".repeat(9000) + "\n"));
        assertEquals("when using JSON array syntax, arrays must be comprised of strings only", nested.getMessage());
        String tooDeep = "[".repeat(10_001) + "]".repeat(10_001);
        assertEquals("(cmd \"" + tooDeep + "\")\n", DockerfileParser.parseSyntax("Dockerfile", "CMD " + tooDeep + "\n").dump());
    }

    @Test
    void parsesOnbuildTriggersFromABaseImage() {
        Instruction.Onbuild onbuild = assertInstanceOf(Instruction.Onbuild.class,
                parse("FROM busybox\nONBUILD COPY <<EOF /x\nbody\nEOF\n").instructions().get(1));
        List<Instruction> triggers = DockerfileParser.parseTriggers(List.of("RUN echo hi", onbuild.expression()));
        assertEquals(new Command.ShellForm("echo hi"), assertInstanceOf(Instruction.Run.class, triggers.get(0)).command());
        Instruction.Copy copy = assertInstanceOf(Instruction.Copy.class, triggers.get(1));
        assertEquals(List.of(new Heredoc("EOF", "body\n", true, false, 0)), copy.heredocs());
        assertEquals("/x", copy.destination());
    }

    @Test
    void randomInputEitherParsesOrFailsWithAPosition() {
        String[] pieces = {"FROM ", "RUN ", "COPY ", "ADD ", "ENV ", "LABEL ", "ARG ", "ONBUILD ", "HEALTHCHECK ", "CMD ",
            "SHELL ", "--mount=type=cache,target=/x ", "--from=a ", "--", "<<", "<<-", "EOF", "'", "\"", "\\", "`", "$",
            "${", "}", ":", "-", "?", "#", "%", "/", "[", "]", ",", "=", " ", "\t", "\n", "\r\n", "# escape=`\n", "a",
            "é", "\u00a0", "3<<"};
        java.util.Random random = new java.util.Random(7);
        for (int i = 0; i < 20_000; i++) {
            StringBuilder text = new StringBuilder();
            for (int k = random.nextInt(25); k > 0; k--) {
                text.append(pieces[random.nextInt(pieces.length)]);
            }
            try {
                DockerfileParser.parseSyntax("Dockerfile", text.toString()).dump();
                DockerfileParser.parse("Dockerfile", text.toString());
            } catch (DockerfileException e) {
                assertTrue(e.line() >= 1 && e.column() >= 1 && !e.getMessage().isBlank(), e.formatted());
            }
        }
    }

    @Test
    void theDumpIgnoresWhatOnlyTheTypedParseRejects() {
        SyntaxTree tree = DockerfileParser.parseSyntax("Dockerfile", "FROM busybox\nFORM x\n");
        assertEquals("(from \"busybox\")\n(form \"\")\n", tree.dump());
        DockerfileException e = assertThrows(DockerfileException.class, () -> parse("FROM busybox\nFORM x\n"));
        assertEquals("unknown instruction: FORM (did you mean FROM?)", e.getMessage());
    }

    @Test
    void backtickEscapeDrivesContinuationAndWords() {
        Dockerfile dockerfile = parse("# escape=`\nFROM windows\nENV P=c:\\a` b\nRUN dir `\n  c:\\\n");
        assertEquals('`', dockerfile.directives().escapeToken());
        assertEquals(List.of(new KeyValue("P", "c:\\a` b")),
                assertInstanceOf(Instruction.Env.class, dockerfile.instructions().get(1)).pairs());
        assertEquals(new Command.ShellForm("dir   c:\\"),
                assertInstanceOf(Instruction.Run.class, dockerfile.instructions().get(2)).command());
    }
}
