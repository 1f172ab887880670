package dev.jbuild.dockerfile;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** BuildKit's lint rules about WORKDIR, secrets, EXPOSE and FROM, and the {@code # check=skip=} directive. */
class LintRulesTest {
    private static List<String> found(String rule, String text) {
        return DockerfileParser.parse("Dockerfile", text).warnings().stream()
                .filter(warning -> warning.rule().equals(rule))
                .map(warning -> warning.line() + ": " + warning.message())
                .toList();
    }

    static Stream<Arguments> firing() {
        return Stream.of(
                Arguments.of("WorkdirRelativePath", "FROM nginx AS web\nRUN true\nWORKDIR usr/share/nginx/html\n",
                        List.of("3: Relative workdir 'usr/share/nginx/html' can have unexpected results if the base image changes")),
                Arguments.of("WorkdirRelativePath", "FROM a AS one\nWORKDIR /app\nFROM b\nWORKDIR \"src\"\n",
                        List.of("4: Relative workdir 'src' can have unexpected results if the base image changes")),
                Arguments.of("SecretsUsedInArgOrEnv", "ARG GITHUB_TOKEN\nFROM alpine\nENV passwd=banana user=me AWS_SECRET_ACCESS_KEY=x\n",
                        List.of("1: Do not use ARG or ENV instructions for sensitive data (ARG \"GITHUB_TOKEN\")",
                                "3: Do not use ARG or ENV instructions for sensitive data (ENV \"passwd\")",
                                "3: Do not use ARG or ENV instructions for sensitive data (ENV \"AWS_SECRET_ACCESS_KEY\")")),
                Arguments.of("ExposeProtoCasing", "FROM alpine\nEXPOSE 80/TcP 443/tcp\n",
                        List.of("2: Defined protocol '80/TcP' in EXPOSE instruction should be lowercase")),
                Arguments.of("ExposeInvalidFormat", "FROM alpine\nEXPOSE 127.0.0.1:80:80 \\\n  8080:80 443\n",
                        List.of("2: EXPOSE instruction should not define an IP address or host-port mapping, found '127.0.0.1:80:80'",
                                "2: EXPOSE instruction should not define an IP address or host-port mapping, found '8080:80'")),
                Arguments.of("FromPlatformFlagConstDisallowed", "FROM alpine\nFROM --platform=linux/amd64 alpine AS base\n",
                        List.of("2: FROM --platform flag should not use constant value \"linux/amd64\"")),
                Arguments.of("RedundantTargetPlatform", "FROM --platform=$TARGETPLATFORM alpine AS builder\n"
                        + "FROM --platform=${TARGETPLATFORM} alpine\nFROM --platform=\"$TARGETPLATFORM\" alpine\n",
                        List.of("1: Setting platform to predefined $TARGETPLATFORM in FROM is redundant as this is the default behavior",
                                "2: Setting platform to predefined ${TARGETPLATFORM} in FROM is redundant as this is the default behavior",
                                "3: Setting platform to predefined $TARGETPLATFORM in FROM is redundant as this is the default behavior")),
                Arguments.of("UndefinedArgInFrom", "ARG TAG=1\nFROM node:22${VARIANT}\nFROM --platform=$BULIDPLATFORM busybox:$TAG\n",
                        List.of("2: FROM argument 'VARIANT' is not declared",
                                "3: FROM argument 'BULIDPLATFORM' is not declared (did you mean BUILDPLATFORM?)")),
                Arguments.of("InvalidDefaultArgInFrom", "ARG TAG\nARG IMAGE\nFROM busybox:${TAG}\nFROM ${IMAGE}\n",
                        List.of("3: Default value for ARG busybox:${TAG} results in empty or invalid base image name",
                                "4: Default value for ARG ${IMAGE} results in empty or invalid base image name")));
    }

    static Stream<Arguments> silent() {
        return Stream.of(
                Arguments.of("WorkdirRelativePath", "FROM nginx\nWORKDIR /usr/share\nWORKDIR nginx/html\n"),
                Arguments.of("WorkdirRelativePath", "FROM nginx AS base\nWORKDIR /srv\nFROM base\nWORKDIR app\n"),
                Arguments.of("WorkdirRelativePath", "FROM nginx\nENV DIR=/srv\nWORKDIR $DIR\n"),
                Arguments.of("SecretsUsedInArgOrEnv", "FROM alpine\nARG PUBLIC_KEY GPG_KEYRING MONKEY\nENV AUTHOR=me TOKENIZER=x\n"),
                Arguments.of("ExposeProtoCasing", "FROM alpine\nEXPOSE 80/tcp 53/udp 8080\n"),
                Arguments.of("ExposeInvalidFormat", "FROM alpine\nEXPOSE 80 443/tcp 8000-8010\n"),
                Arguments.of("FromPlatformFlagConstDisallowed", "FROM --platform=linux/amd64 alpine AS build_amd64\n"
                        + "FROM --platform=linux/arm64 alpine AS build-arm64\nFROM --platform=$BUILDPLATFORM alpine\n"
                        + "FROM build_${TARGETARCH} AS build\n"),
                Arguments.of("RedundantTargetPlatform", "FROM --platform=$BUILDPLATFORM alpine\nFROM alpine\n"
                        + "FROM --platform=${TARGETPLATFORM}-x alpine\n"),
                Arguments.of("UndefinedArgInFrom", "ARG VARIANT=-alpine\nARG TAG\nFROM node:22${VARIANT}\n"
                        + "FROM --platform=$BUILDPLATFORM busybox${TAG}\nFROM alpine:${TARGETARCH}${HTTP_PROXY}\n"),
                Arguments.of("InvalidDefaultArgInFrom", "ARG TAG=latest\nARG VARIANT\nARG BASE=alpine\nARG FULL=${BASE}:3\n"
                        + "FROM busybox:${TAG}\nFROM busybox:stable${VARIANT}\nFROM alpine:${VARIANT:-3.14}\n"
                        + "FROM ${FULL}\nFROM busybox:1\n"));
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("firing")
    void reportsTheRuleWithBuildKitsWordingAndLine(String rule, String text, List<String> expected) {
        assertEquals(expected, found(rule, text));
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("silent")
    void staysQuietWhereBuildKitDoes(String rule, String text) {
        assertEquals(List.of(), found(rule, text));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("firing")
    void checkSkipSilencesTheRule(String rule, String text, List<String> expected) {
        assertEquals(List.of(), found(rule, "# check=skip=JSONArgsRecommended," + rule + ";error=false\n" + text));
    }

    @Test
    void checkSkipAllSilencesEveryRuleAndOtherRulesStillReport() {
        String text = "FROM alpine\nEXPOSE 80/TCP\nWORKDIR app\n";
        assertEquals(List.of(), DockerfileParser.parse("Dockerfile", "# check=skip=all\n" + text).warnings());
        assertEquals(List.of("WorkdirRelativePath"), DockerfileParser.parse("Dockerfile",
                "# check=skip=ExposeProtoCasing\n" + text).warnings().stream().map(Warning::rule).toList());
    }

    @Test
    void checkErrorTrueMakesWarningsErrorsAndAnythingElseDoesNot() {
        assertEquals(true, DockerfileParser.parse("Dockerfile", "# check=error=true\nFROM a\nCMD run\n").warningsAreErrors());
        assertEquals(true, DockerfileParser.parse("Dockerfile",
                "# check=skip=StageNameCasing;error=TRUE\nFROM a\n").warningsAreErrors());
        assertEquals(false, DockerfileParser.parse("Dockerfile", "# check=error=false\nFROM a\n").warningsAreErrors());
        assertEquals(false, DockerfileParser.parse("Dockerfile", "FROM a\nCMD run\n").warningsAreErrors());
    }

    @Test
    void theBuildsOwnChecksFollowTheDirective() {
        BuildChecks plain = BuildChecks.of(DockerfileParser.parse("Dockerfile", "FROM a\n"));
        assertEquals(List.of(new Warning("CopyIgnoredFile",
                        "Attempting to Add file \"./secret\" that is excluded by .dockerignore", 3)),
                plain.copyIgnoredFile("Add", "./secret", 3).stream().toList());
        assertEquals(false, plain.warningsAreErrors());
        BuildChecks skipping = BuildChecks.of(DockerfileParser.parse("Dockerfile",
                "# check=skip=CopyIgnoredFile;error=true\nFROM a\n"));
        assertEquals(List.of(), skipping.copyIgnoredFile("Copy", "secret", 3).stream().toList());
        assertEquals(List.of("UndefinedVar"), skipping.undefinedVariable("X", List.of(), 2).stream().map(Warning::rule).toList());
        assertEquals(true, skipping.warningsAreErrors());
    }

    @Test
    void invalidDefinitionDescriptionIsExperimentalAndReadsTheLastCommentLineAbove() {
        String text = """
                # a non-descriptive comment
                FROM scratch AS base

                # another non-descriptive comment
                ARG VERSION=1
                # base2 builds on base
                FROM base AS base2
                # not a description: an empty comment ends the block
                #
                ARG UNDESCRIBED
                # first line of something
                # ONE and TWO are what they say
                ARG ONE TWO
                # nothing to do with it
                ARG THREE FOUR
                # RUN gets no description
                RUN true
                # a blank line does not end the block, as in BuildKit's parser

                ARG LATE
                """;
        assertEquals(List.of(), found("InvalidDefinitionDescription", text), "off unless asked for");
        List<String> expected = List.of("2: Comment for FROM should follow the format: `# base <description>`",
                "5: Comment for ARG should follow the format: `# VERSION <description>`",
                "15: Comment for ARG should follow the format: `# <arg_key> <description>`",
                "20: Comment for ARG should follow the format: `# LATE <description>`");
        assertEquals(expected, found("InvalidDefinitionDescription", "# check=experimental=InvalidDefinitionDescription\n"
                + text).stream().map(LintRulesTest::shiftedUp).toList());
        assertEquals(expected, found("InvalidDefinitionDescription", "# check=skip=all;experimental=all\n" + text)
                .stream().map(LintRulesTest::shiftedUp).toList(), "skip does not silence an experimental rule");
    }

    private static String shiftedUp(String finding) {
        int colon = finding.indexOf(':');
        return (Integer.parseInt(finding.substring(0, colon)) - 1) + finding.substring(colon);
    }
}
