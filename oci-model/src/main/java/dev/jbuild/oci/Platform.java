package dev.jbuild.oci;

import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * The platform an image runs on, {@code os/architecture[/variant]} plus the rarely used
 * {@code os.version} and {@code os.features}.
 *
 * <p>Instances are kept as given (so descriptors round-trip); {@link #normalized()} gives the
 * canonical form used for matching: {@code aarch64} is {@code arm64}, {@code x86_64} is
 * {@code amd64}, and a default variant ({@code arm64/v8}, {@code arm/v7}, {@code amd64/v1}) is
 * the same as none.
 */
public record Platform(String os, String architecture, String variant, String osVersion, List<String> osFeatures) {

    public Platform {
        Objects.requireNonNull(os, "os");
        Objects.requireNonNull(architecture, "architecture");
        if (os.isEmpty() || architecture.isEmpty()) {
            throw new IllegalArgumentException("a platform needs an os and an architecture");
        }
        variant = variant == null ? "" : variant;
        osVersion = osVersion == null ? "" : osVersion;
        osFeatures = osFeatures == null ? List.of() : List.copyOf(osFeatures);
    }

    public Platform(String os, String architecture, String variant) {
        this(os, architecture, variant, "", List.of());
    }

    public Platform(String os, String architecture) {
        this(os, architecture, "", "", List.of());
    }

    /** Parses {@code os/arch[/variant]}; a bare architecture such as {@code arm64} means {@code linux/arm64}. */
    public static Platform parse(String text) {
        Objects.requireNonNull(text, "platform");
        String[] parts = text.trim().split("/", -1);
        for (String part : parts) {
            if (part.isEmpty()) {
                throw new IllegalArgumentException("invalid platform \"" + text + "\": expected os/arch[/variant]");
            }
        }
        return switch (parts.length) {
            case 1 -> isKnownOs(parts[0].toLowerCase(Locale.ROOT))
                    ? new Platform(parts[0].toLowerCase(Locale.ROOT), current().architecture(), current().variant())
                    : new Platform("linux", parts[0].toLowerCase(Locale.ROOT));
            case 2 -> new Platform(parts[0].toLowerCase(Locale.ROOT), parts[1].toLowerCase(Locale.ROOT));
            case 3 -> new Platform(parts[0].toLowerCase(Locale.ROOT), parts[1].toLowerCase(Locale.ROOT),
                    parts[2].toLowerCase(Locale.ROOT));
            default -> throw new IllegalArgumentException(
                    "invalid platform \"" + text + "\": expected os/arch[/variant]");
        };
    }

    /** The platform of this machine (Linux is assumed for the os: images are Linux images here). */
    public static Platform current() {
        String arch = System.getProperty("os.arch", "amd64");
        return new Platform("linux", arch).normalized();
    }

    private static boolean isKnownOs(String name) {
        return switch (name) {
            case "linux", "windows", "darwin", "freebsd", "netbsd", "openbsd", "solaris", "illumos", "aix",
                    "plan9", "js", "wasip1" -> true;
            default -> false;
        };
    }

    /** The canonical form of this platform, used for comparisons. */
    public Platform normalized() {
        String os = this.os.toLowerCase(Locale.ROOT);
        String arch = architecture.toLowerCase(Locale.ROOT);
        String variant = this.variant.toLowerCase(Locale.ROOT);
        switch (arch) {
            case "x86_64", "x86-64", "amd64" -> {
                arch = "amd64";
                if (variant.equals("v1")) {
                    variant = "";
                }
            }
            case "i386", "i486", "i586", "i686", "386" -> arch = "386";
            case "aarch64", "arm64" -> {
                arch = "arm64";
                if (variant.equals("8") || variant.equals("v8")) {
                    variant = "";
                }
            }
            case "armhf", "armv7l", "armv7" -> {
                arch = "arm";
                variant = "v7";
            }
            case "armel", "armv6l", "armv6" -> {
                arch = "arm";
                variant = "v6";
            }
            case "armv5l", "armv5" -> {
                arch = "arm";
                variant = "v5";
            }
            case "arm" -> {
                if (variant.isEmpty() || variant.equals("7")) {
                    variant = "v7";
                } else if (variant.matches("[5-8]")) {
                    variant = "v" + variant;
                }
            }
            case "ppc64le", "s390x", "riscv64", "ppc64", "mips64le", "loong64" -> {
            }
            default -> {
            }
        }
        return new Platform(os, arch, variant, osVersion, osFeatures);
    }

    /**
     * True when an image for {@code this} platform satisfies a request for {@code wanted}: same os,
     * architecture and variant after normalisation. A request without a variant takes the default
     * variant only (asking for {@code arm} means {@code arm/v7}). {@code os.version} is ignored;
     * see {@link #matchesExactly}.
     */
    public boolean matches(Platform wanted) {
        Platform mine = normalized();
        Platform other = wanted.normalized();
        return mine.os.equals(other.os) && mine.architecture.equals(other.architecture)
                && mine.variant.equals(other.variant);
    }

    /** Like {@link #matches} but also requires equal {@code os.version} when the request names one. */
    public boolean matchesExactly(Platform wanted) {
        return matches(wanted) && (wanted.osVersion.isEmpty() || wanted.osVersion.equals(osVersion));
    }

    /** {@code os/arch[/variant]}, as typed on command lines. */
    public String format() {
        return variant.isEmpty() ? os + "/" + architecture : os + "/" + architecture + "/" + variant;
    }

    @Override
    public String toString() {
        return format();
    }
}
