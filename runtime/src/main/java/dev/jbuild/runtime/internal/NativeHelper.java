package dev.jbuild.runtime.internal;

import dev.jbuild.oci.Digest;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Locale;

/**
 * Finds the {@code jbuild-init} binary packed in the jar and extracts it once into a cache directory under a
 * name that contains its hash, so every version of jbuild runs its own helper and a half-written file is never
 * executed.
 */
public final class NativeHelper {
    private static volatile Path extracted;

    private NativeHelper() {
    }

    /** The extracted helper, ready to execute. */
    public static Path path() {
        Path result = extracted;
        if (result == null) {
            synchronized (NativeHelper.class) {
                result = extracted;
                if (result == null) {
                    result = extract(cacheDirectory());
                    extracted = result;
                }
            }
        }
        return result;
    }

    /** The architecture name used in the resource path, e.g. {@code x86_64} or {@code aarch64}. */
    public static String architecture() {
        String arch = System.getProperty("os.arch").toLowerCase(Locale.ROOT);
        return switch (arch) {
            case "amd64", "x86_64" -> "x86_64";
            case "aarch64", "arm64" -> "aarch64";
            default -> arch;
        };
    }

    static Path extract(Path directory) {
        String resource = "/dev/jbuild/runtime/native/linux-" + architecture() + "/jbuild-init";
        byte[] binary;
        try (InputStream in = NativeHelper.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("this jbuild has no jbuild-init for linux-" + architecture()
                        + " (resource " + resource + " is missing): build jbuild on this architecture");
            }
            binary = in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + resource, e);
        }
        String hash = sha256(binary);
        Path target = directory.resolve("jbuild-init-" + hash.substring(0, 16));
        try {
            if (Files.isRegularFile(target) && Files.isExecutable(target) && sha256(Files.readAllBytes(target)).equals(hash)) {
                return target;
            }
            Files.createDirectories(directory);
            Path temporary = Files.createTempFile(directory, ".jbuild-init-", ".tmp");
            try {
                Files.write(temporary, binary);
                Files.setPosixFilePermissions(temporary, PosixFilePermissions.fromString("rwxr-xr-x"));
                Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } finally {
                Files.deleteIfExists(temporary);
            }
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot extract jbuild-init to " + directory + ": " + e.getMessage(), e);
        }
    }

    private static Path cacheDirectory() {
        String configured = System.getProperty("jbuild.helper.dir");
        if (configured != null && !configured.isBlank()) {
            return Path.of(configured);
        }
        if (HostFacts.effectiveUid() == 0) {
            return Path.of("/var/cache/jbuild/bin");
        }
        String cacheHome = System.getenv("XDG_CACHE_HOME");
        Path base = cacheHome != null && !cacheHome.isBlank()
                ? Path.of(cacheHome)
                : Path.of(System.getProperty("user.home"), ".cache");
        return base.resolve("jbuild").resolve("bin");
    }

    private static String sha256(byte[] bytes) {
        return Digest.sha256(bytes).encoded();
    }
}
