package dev.jbuild.dockerfile.internal;

import dev.jbuild.dockerfile.ArgDefinition;
import dev.jbuild.dockerfile.ExpansionException;
import dev.jbuild.dockerfile.ExpansionResult;
import dev.jbuild.dockerfile.Instruction;
import dev.jbuild.dockerfile.ShellLexer;
import dev.jbuild.dockerfile.Warning;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * BuildKit's lint rules for FROM lines, which depend on the global ARGs (those before the first
 * FROM): UndefinedArgInFrom (a variable that is neither a global ARG nor an automatic build arg),
 * InvalidDefaultArgInFrom (the image name is empty or invalid with only the defaults),
 * RedundantTargetPlatform ({@code --platform} that comes to just {@code $TARGETPLATFORM}) and
 * FromPlatformFlagConstDisallowed (a constant {@code --platform}, allowed when the stage name
 * carries that OS or architecture).
 * Words that do not expand are left to the builder, which reports them as errors.
 */
final class FromLint {
    // Values stand in for what the builder sets, so names like build_${TARGETARCH} stay valid.
    private static final Map<String, String> AUTOMATIC_ARGS = automaticArgs();

    private final ShellLexer lexer;
    private final Map<String, String> globals = new LinkedHashMap<>();
    private final List<Warning> warnings = new ArrayList<>();

    private FromLint(char escapeToken) {
        this.lexer = ShellLexer.withEscape(escapeToken);
    }

    static List<Warning> check(List<Instruction> instructions, char escapeToken) {
        FromLint lint = new FromLint(escapeToken);
        int index = 0;
        while (index < instructions.size() && instructions.get(index) instanceof Instruction.Arg arg) {
            lint.declare(arg);
            index++;
        }
        for (Instruction instruction : instructions) {
            if (instruction instanceof Instruction.From from) {
                lint.from(from);
            }
        }
        return lint.warnings;
    }

    private static Map<String, String> automaticArgs() {
        Map<String, String> args = new LinkedHashMap<>();
        for (String prefix : List.of("TARGET", "BUILD")) {
            args.put(prefix + "PLATFORM", "linux/amd64");
            args.put(prefix + "OS", "linux");
            args.put(prefix + "ARCH", "amd64");
            args.put(prefix + "VARIANT", "");
        }
        for (String proxy : List.of("HTTP_PROXY", "HTTPS_PROXY", "FTP_PROXY", "NO_PROXY", "ALL_PROXY")) {
            args.put(proxy, "");
            args.put(proxy.toLowerCase(Locale.ROOT), "");
        }
        return Map.copyOf(args);
    }

    // A declared ARG without a default is set but empty: it is declared, yet names nothing.
    private void declare(Instruction.Arg arg) {
        for (ArgDefinition definition : arg.args()) {
            String value = "";
            if (definition.defaultValue().isPresent()) {
                try {
                    value = lexer.processWord(definition.defaultValue().get(), this::lookup);
                } catch (ExpansionException e) {
                    value = "";
                }
            }
            globals.put(definition.name(), value);
        }
    }

    private Optional<String> lookup(String name) {
        String value = globals.get(name);
        return value != null ? Optional.of(value) : Optional.ofNullable(AUTOMATIC_ARGS.get(name));
    }

    private void from(Instruction.From from) {
        int line = from.range().startLine();
        TreeSet<String> undefined = new TreeSet<>();
        Optional<ExpansionResult> image = expand(from.image());
        image.ifPresent(result -> undefined.addAll(result.unmatched()));
        Optional<ExpansionResult> platform = from.platform().flatMap(this::expand);
        platform.ifPresent(result -> undefined.addAll(result.unmatched()));
        List<String> known = new ArrayList<>(globals.keySet());
        known.addAll(AUTOMATIC_ARGS.keySet());
        for (String name : undefined) {
            warnings.add(new Warning("UndefinedArgInFrom", "FROM argument '" + name + "' is not declared"
                    + Suggestions.didYouMean(name, known, false), line));
        }
        image.filter(result -> !result.matched().isEmpty() || !result.unmatched().isEmpty())
                .filter(result -> !ImageReferences.isValid(result.result()))
                .ifPresent(result -> warnings.add(new Warning("InvalidDefaultArgInFrom", "Default value for ARG "
                        + from.image() + " results in empty or invalid base image name", line)));
        platform.ifPresent(result -> platform(from, result, line));
    }

    private void platform(Instruction.From from, ExpansionResult platform, int line) {
        String written = from.platform().orElseThrow();
        boolean onlyTargetPlatform = platform.matched().equals(Set.of("TARGETPLATFORM")) && platform.unmatched().isEmpty();
        if (onlyTargetPlatform && lookup("TARGETPLATFORM").orElseThrow().equals(platform.result())) {
            warnings.add(new Warning("RedundantTargetPlatform", "Setting platform to predefined " + written
                    + " in FROM is redundant as this is the default behavior", line));
            return;
        }
        if (!platform.matched().isEmpty() || !platform.unmatched().isEmpty()) {
            return;
        }
        String stageName = from.stageName().orElse("");
        String[] parts = GoText.toLower(written).split("/");
        boolean namedForPlatform = false;
        for (int i = 0; i < Math.min(parts.length, 2); i++) {
            namedForPlatform |= !parts[i].isEmpty() && stageName.contains(parts[i]);
        }
        if (!namedForPlatform) {
            warnings.add(new Warning("FromPlatformFlagConstDisallowed",
                    "FROM --platform flag should not use constant value \"" + written + "\"", line));
        }
    }

    // A word that does not expand is the builder's error to report, not a lint finding.
    private Optional<ExpansionResult> expand(String word) {
        try {
            return Optional.of(lexer.processWordWithMatches(word, this::lookup));
        } catch (ExpansionException e) {
            return Optional.empty();
        }
    }
}
