package dev.jbuild.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Set;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class MainTest {
    private static final Set<String> SUBCOMMANDS = Set.of("build", "images", "pull");

    private static String[] rewrite(String... args) {
        return Main.withDefaultSubcommand(args, SUBCOMMANDS);
    }

    @Test
    void buildIsTheDefaultSubcommand() {
        assertArrayEquals(new String[] {"build", "-t", "app", "."}, rewrite("-t", "app", "."));
        assertArrayEquals(new String[] {"build", "."}, rewrite("."));
        assertArrayEquals(new String[] {"--root", "/s", "build", "-f", "D", "."}, rewrite("--root", "/s", "-f", "D", "."));
        assertArrayEquals(new String[] {"--root=/s", "--debug", "build", "."}, rewrite("--root=/s", "--debug", "."));
    }

    @Test
    void namedSubcommandsHelpAndVersionPassThrough() {
        assertArrayEquals(new String[] {"images"}, rewrite("images"));
        assertArrayEquals(new String[] {"--root", "/s", "pull", "x"}, rewrite("--root", "/s", "pull", "x"));
        assertArrayEquals(new String[] {"--help"}, rewrite("--help"));
        assertArrayEquals(new String[] {"-V"}, rewrite("-V"));
        assertArrayEquals(new String[] {}, rewrite());
        assertArrayEquals(new String[] {"--debug"}, rewrite("--debug"));
    }

    @Test
    void withoutABuildCommandNothingChanges() {
        assertArrayEquals(new String[] {"-t", "x"}, Main.withDefaultSubcommand(new String[] {"-t", "x"}, Set.of("images")));
    }

    @Test
    void everySubcommandIsRegisteredUnderItsOwnName() {
        for (String name : Subcommands.names()) {
            var root = new CommandLine(new JbuildCommand());
            Subcommands.register(root, name);
            assertEquals(name, root.getSubcommands().get(name).getCommandSpec().name());
        }
        assertEquals(Subcommands.names(), Main.newCommandLine().getSubcommands().keySet());
    }

    @Test
    void unknownOptionIsAUsageError() {
        var commandLine = Main.newCommandLine();
        StringWriter err = new StringWriter();
        commandLine.setErr(new PrintWriter(err));
        assertEquals(ExitCode.USAGE, commandLine.execute("--no-such-option"));
        assertTrue(err.toString().contains("--no-such-option"), err.toString());
    }

    @Test
    void versionNamesTheTool() {
        var commandLine = Main.newCommandLine();
        StringWriter out = new StringWriter();
        commandLine.setOut(new PrintWriter(out));
        assertEquals(ExitCode.OK, commandLine.execute("--version"));
        assertTrue(out.toString().startsWith("jbuild "), out.toString());
    }
}
