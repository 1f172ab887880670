package dev.jbuild.runtime;

import java.util.Locale;
import java.util.Objects;
import java.util.Set;

/**
 * A resource limit of a container's command ({@code --ulimit}), as {@code setrlimit} takes it.
 *
 * @param resource the resource in upper case, as after {@code RLIMIT_}: {@code NOFILE}, {@code NPROC}, …
 * @param soft     the soft limit; {@link #UNLIMITED} for none
 * @param hard     the hard limit, at least the soft one; {@link #UNLIMITED} for none
 */
public record Rlimit(String resource, long soft, long hard) {
    /** No limit ({@code RLIM_INFINITY}). */
    public static final long UNLIMITED = -1;

    private static final Set<String> RESOURCES = Set.of("AS", "CORE", "CPU", "DATA", "FSIZE", "MEMLOCK", "MSGQUEUE",
            "NICE", "NOFILE", "NPROC", "RTPRIO", "SIGPENDING", "STACK");

    public Rlimit {
        Objects.requireNonNull(resource, "resource");
        if (!RESOURCES.contains(resource)) {
            throw new IllegalArgumentException("unknown ulimit \"" + resource.toLowerCase(Locale.ROOT) + "\" (known: "
                    + String.join(", ", RESOURCES.stream().sorted().map(name -> name.toLowerCase(Locale.ROOT)).toList())
                    + ")");
        }
        if (soft < UNLIMITED || hard < UNLIMITED || (hard != UNLIMITED && (soft == UNLIMITED || soft > hard))) {
            throw new IllegalArgumentException("ulimit " + resource.toLowerCase(Locale.ROOT)
                    + ": the soft limit must not exceed the hard one");
        }
    }

    /** Parses Docker's {@code NAME=SOFT[:HARD]}, where a limit may be {@code -1} or {@code unlimited}. */
    public static Rlimit parse(String spec) {
        int equals = spec.indexOf('=');
        if (equals <= 0) {
            throw new IllegalArgumentException("invalid ulimit \"" + spec + "\" (expected NAME=SOFT[:HARD])");
        }
        String[] limits = spec.substring(equals + 1).split(":", -1);
        if (limits.length > 2) {
            throw new IllegalArgumentException("invalid ulimit \"" + spec + "\" (expected NAME=SOFT[:HARD])");
        }
        long soft = limit(spec, limits[0]);
        return new Rlimit(spec.substring(0, equals).toUpperCase(Locale.ROOT), soft,
                limits.length == 2 ? limit(spec, limits[1]) : soft);
    }

    private static long limit(String spec, String text) {
        if (text.equals("unlimited") || text.equals("-1")) {
            return UNLIMITED;
        }
        try {
            long value = Long.parseLong(text);
            if (value < 0) {
                throw new NumberFormatException(text);
            }
            return value;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("invalid ulimit \"" + spec + "\": \"" + text + "\" is not a limit", e);
        }
    }

    /** The soft limit as the container helper takes it: a number, or {@code unlimited}. */
    public String softText() {
        return text(soft);
    }

    /** The hard limit as the container helper takes it: a number, or {@code unlimited}. */
    public String hardText() {
        return text(hard);
    }

    private static String text(long limit) {
        return limit == UNLIMITED ? "unlimited" : Long.toString(limit);
    }
}
