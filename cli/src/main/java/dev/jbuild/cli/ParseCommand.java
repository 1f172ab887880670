package dev.jbuild.cli;

import dev.jbuild.dockerfile.Dockerfile;
import dev.jbuild.dockerfile.DockerfileException;
import dev.jbuild.dockerfile.DockerfileParser;
import dev.jbuild.dockerfile.Environment;
import dev.jbuild.dockerfile.ExpansionException;
import dev.jbuild.dockerfile.ShellLexer;
import dev.jbuild.dockerfile.SyntaxTree;
import dev.jbuild.dockerfile.Warning;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code jbuild parse}: shows how jbuild (and BuildKit) read a Dockerfile — a summary, BuildKit's
 * {@code Node.Dump()} format with {@code --dump}, or the expansion of one word with {@code --expand}.
 * Output is written as UTF-8 bytes whatever the platform encoding, so it compares byte for byte.
 */
@Command(name = "parse", mixinStandardHelpOptions = true,
        description = "Parses a Dockerfile (summary, or BuildKit's AST dump) or expands one shell word.")
final class ParseCommand implements Callable<Integer> {
    @Option(names = "--dump", description = "Print the AST in BuildKit's Node.Dump() format.")
    boolean dump;

    @Option(names = "--expand", paramLabel = "WORD", description = "Expand WORD like BuildKit's shell lexer.")
    String expand;

    @Option(names = "--env", paramLabel = "K=V", description = "A variable for --expand (repeatable).")
    List<String> environment = new ArrayList<>();

    @Option(names = "--escape", paramLabel = "C", defaultValue = "\\", description = "Escape character for --expand: \\ or `.")
    String escape;

    @Option(names = "--words", description = "With --expand: print the resulting words, one per line.")
    boolean words;

    @Parameters(arity = "0..1", paramLabel = "FILE", description = "The Dockerfile.")
    Path file;

    @Override
    public Integer call() throws IOException {
        if (expand != null) {
            if (file != null || dump) {
                throw new UsageException("--expand takes no FILE and no --dump");
            }
            return expand();
        }
        if (environment.size() > 0 || words) {
            throw new UsageException("--env and --words go with --expand");
        }
        if (file == null) {
            throw new UsageException("missing FILE (or --expand WORD)");
        }
        byte[] text;
        try {
            text = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new UsageException("no such file: " + file);
        }
        String name = String.valueOf(file.getFileName());
        try {
            if (dump) {
                SyntaxTree tree = DockerfileParser.parseSyntax(name, text);
                printWarnings(tree.warnings());
                write(System.out, tree.dump());
            } else {
                Dockerfile dockerfile = DockerfileParser.parse(name, text);
                printWarnings(dockerfile.warnings());
                write(System.out, ParseSummary.of(dockerfile));
            }
            return ExitCode.OK;
        } catch (DockerfileException e) {
            write(System.err, e.formatted() + "\n");
            return ExitCode.FAILURE;
        }
    }

    private int expand() {
        if (!escape.equals("\\") && !escape.equals("`")) {
            throw new UsageException("--escape must be \\ or `, not " + escape);
        }
        ShellLexer lexer = ShellLexer.withEscape(escape.charAt(0));
        try {
            Environment variables = Environment.fromEntries(environment);
            if (words) {
                StringBuilder out = new StringBuilder();
                for (String word : lexer.processWords(expand, variables)) {
                    out.append(word).append('\n');
                }
                write(System.out, out.toString());
            } else {
                write(System.out, lexer.processWord(expand, variables) + "\n");
            }
            return ExitCode.OK;
        } catch (ExpansionException e) {
            write(System.err, "error: " + e.getMessage() + "\n");
            return ExitCode.FAILURE;
        }
    }

    private static void printWarnings(List<Warning> warnings) {
        StringBuilder out = new StringBuilder();
        for (Warning warning : warnings) {
            out.append("[WARNING]: ").append(warning).append('\n');
        }
        write(System.err, out.toString());
    }

    private static void write(PrintStream stream, String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        stream.write(bytes, 0, bytes.length);
        stream.flush();
    }
}
