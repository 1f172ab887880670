package dev.jbuild.builder.internal;

import dev.jbuild.dockerfile.Command;
import dev.jbuild.dockerfile.HealthConfig;
import dev.jbuild.oci.ContainerConfig;
import dev.jbuild.oci.HealthCheck;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/** Helpers for the instructions that only change the image config, and the history text BuildKit writes for them. */
public final class ConfigChanges {
    /** The shell of shell-form commands when the image sets none. */
    public static final List<String> DEFAULT_SHELL = List.of("/bin/sh", "-c");

    private ConfigChanges() {
    }

    /** The shell the config says, or {@code /bin/sh -c}. */
    public static List<String> shell(ContainerConfig config) {
        return config.shell() == null || config.shell().isEmpty() ? DEFAULT_SHELL : config.shell();
    }

    /** The argv of a CMD/ENTRYPOINT/RUN command: exec form as written, shell form through {@code shell}. */
    public static List<String> argv(Command command, List<String> shell) {
        return switch (command) {
            case Command.ExecForm exec -> exec.arguments();
            case Command.ShellForm form -> {
                List<String> argv = new ArrayList<>(shell);
                argv.add(form.script());
                yield argv;
            }
        };
    }

    /** Go's {@code %q} of a string slice, as BuildKit writes CMD/ENTRYPOINT/SHELL history: {@code ["a" "b"]}. */
    public static String quotedList(List<String> values) {
        return values.stream().map(ConfigChanges::quote).collect(Collectors.joining(" ", "[", "]"));
    }

    /** A Go-quoted string. */
    public static String quote(String value) {
        StringBuilder quoted = new StringBuilder("\"");
        for (int i = 0; i < value.length(); i++) {
            char ch = value.charAt(i);
            switch (ch) {
                case '"' -> quoted.append("\\\"");
                case '\\' -> quoted.append("\\\\");
                case '\n' -> quoted.append("\\n");
                case '\t' -> quoted.append("\\t");
                case '\r' -> quoted.append("\\r");
                default -> {
                    if (ch < 0x20 || ch == 0x7f) {
                        quoted.append(String.format("\\x%02x", (int) ch));
                    } else {
                        quoted.append(ch);
                    }
                }
            }
        }
        return quoted.append('"').toString();
    }

    /** A port as the config stores it: {@code 80} becomes {@code 80/tcp}; the protocol is lower-cased. */
    public static String port(String port) {
        int slash = port.indexOf('/');
        if (slash < 0) {
            return port + "/tcp";
        }
        return port.substring(0, slash) + "/" + port.substring(slash + 1).toLowerCase(java.util.Locale.ROOT);
    }

    /** The parser's health config as the image config's. */
    public static HealthCheck healthCheck(HealthConfig health) {
        return new HealthCheck(health.test(), health.interval().orElse(Duration.ZERO),
                health.timeout().orElse(Duration.ZERO), health.startPeriod().orElse(Duration.ZERO),
                health.startInterval().orElse(Duration.ZERO), health.retries().orElse(0));
    }
}
