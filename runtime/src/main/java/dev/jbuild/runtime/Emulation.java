package dev.jbuild.runtime;

import dev.jbuild.oci.Platform;
import dev.jbuild.runtime.internal.EmulationElf;
import dev.jbuild.runtime.internal.EmulationEntries;
import dev.jbuild.runtime.internal.EmulationMount;
import java.nio.file.DirectoryStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Which foreign platforms this host can run programs of, through the kernel's binfmt_misc and a
 * registered interpreter such as Debian's qemu-user-static, and how to get one when it cannot.
 *
 * <pre>{@code
 * EmulationStatus arm = Emulation.probe().status(Platform.parse("linux/arm64"));
 * if (arm instanceof EmulationStatus.Missing missing) { fail(missing.explanation()); }
 * }</pre>
 */
public final class Emulation {
    /** Where binfmt_misc is mounted on Linux. */
    public static final Path BINFMT_MISC = Path.of("/proc/sys/fs/binfmt_misc");
    /** Where Debian's qemu-user-static puts its registrations (systemd binfmt.d format). */
    public static final Path BINFMT_D = Path.of("/usr/lib/binfmt.d");

    private static final String HOW_TO_INSTALL = "as root, run `jbuild info --install-emulators` (after "
            + "`apt-get install -y qemu-user-static` if it is not installed); by hand: `apt-get install -y "
            + "qemu-user-static`, `mount -t binfmt_misc binfmt_misc /proc/sys/fs/binfmt_misc`, then write each line "
            + "of /usr/lib/binfmt.d/qemu-*.conf to /proc/sys/fs/binfmt_misc/register";

    private final Path directory;
    private final Path registrations;
    private final Platform host;
    private final boolean mounted;
    private final boolean enabled;
    private final List<EmulationHandler> handlers;

    private Emulation(Path directory, Path registrations, Platform host, boolean mounted, boolean enabled,
                      List<EmulationHandler> handlers) {
        this.directory = directory;
        this.registrations = registrations;
        this.host = host;
        this.mounted = mounted;
        this.enabled = enabled;
        this.handlers = List.copyOf(handlers);
    }

    /** What this host's binfmt_misc holds now. */
    public static Emulation probe() throws IOException {
        return probe(BINFMT_MISC, BINFMT_D, Platform.current());
    }

    /** What the binfmt_misc at {@code directory} holds, for a host of platform {@code host}. */
    public static Emulation probe(Path directory, Path registrations, Platform host) throws IOException {
        Objects.requireNonNull(directory, "directory");
        Objects.requireNonNull(registrations, "registrations");
        Objects.requireNonNull(host, "host");
        Path status = directory.resolve("status");
        if (!Files.isRegularFile(status)) {
            return new Emulation(directory, registrations, host, false, false, List.of());
        }
        boolean enabled = Files.readString(status, StandardCharsets.UTF_8).strip().equals("enabled");
        return new Emulation(directory, registrations, host, true, enabled, EmulationEntries.read(directory));
    }

    /** The platform of this host. */
    public Platform host() {
        return host;
    }

    /** Whether binfmt_misc is mounted. */
    public boolean mounted() {
        return mounted;
    }

    /** Whether binfmt_misc as a whole is switched on ({@code status} says {@code enabled}). */
    public boolean enabled() {
        return enabled;
    }

    /** The registered entries, sorted by name. */
    public List<EmulationHandler> handlers() {
        return handlers;
    }

    /** The platforms known here that programs can be run for, natively or emulated. */
    public List<EmulationStatus> runnablePlatforms() {
        return EmulationElf.KNOWN.stream().map(this::status).filter(EmulationStatus::runnable).toList();
    }

    /** Whether programs for {@code platform} run on this host, and through what; or why not and what to do. */
    public EmulationStatus status(Platform platform) {
        Objects.requireNonNull(platform, "platform");
        Platform wanted = platform.normalized();
        if (isNative(wanted)) {
            return new EmulationStatus.Native(platform);
        }
        Optional<EmulationElf> elf = EmulationElf.of(wanted);
        if (elf.isEmpty()) {
            return new EmulationStatus.Missing(platform, "jbuild does not know the program format of " + platform
                    + "; only Linux platforms with a known ELF machine can be emulated ("
                    + String.join(", ", EmulationElf.KNOWN.stream().map(Platform::format).toList()) + ")");
        }
        String prefix = "programs for " + platform.format() + " (ELF " + elf.get().machineName()
                + ") cannot run on this " + host.format() + " host: ";
        if (!mounted) {
            return new EmulationStatus.Missing(platform, prefix + "binfmt_misc is not mounted at " + directory + ". "
                    + capitalised(HOW_TO_INSTALL) + ".");
        }
        if (!enabled) {
            return new EmulationStatus.Missing(platform, prefix + "binfmt_misc is disabled; as root, "
                    + "`echo 1 > " + directory.resolve("status") + "`.");
        }
        List<EmulationHandler> candidates = handlers.stream()
                .filter(h -> matches(h, elf.get()))
                .toList();
        Optional<EmulationHandler> usable = candidates.stream().filter(EmulationHandler::fixBinary).findFirst();
        if (usable.isPresent()) {
            return new EmulationStatus.Emulated(platform, usable.get());
        }
        if (!candidates.isEmpty()) {
            EmulationHandler handler = candidates.getFirst();
            return new EmulationStatus.Missing(platform, prefix + "the binfmt_misc entry " + handler.name()
                    + " was registered without the F (fix binary) flag, so the kernel looks for "
                    + handler.interpreter() + " inside the container, where it does not exist. As root, "
                    + "`echo -1 > " + directory.resolve(handler.name()) + "` and register it again with F, "
                    + "for instance with `jbuild info --install-emulators`.");
        }
        List<EmulationHandler> disabled = handlers.stream()
                .filter(h -> !h.enabled() && (h.recognises(elf.get().executableHeader())
                        || h.recognises(elf.get().positionIndependentHeader())))
                .toList();
        if (!disabled.isEmpty()) {
            return new EmulationStatus.Missing(platform, prefix + "the binfmt_misc entry " + disabled.getFirst().name()
                    + " is disabled; as root, `echo 1 > " + directory.resolve(disabled.getFirst().name()) + "`.");
        }
        return new EmulationStatus.Missing(platform, prefix + "no interpreter is registered for it in " + directory
                + (debianRegistrationShipped(elf.get())
                        ? " (qemu-user-static is installed but not registered: as root, run "
                                + "`jbuild info --install-emulators`)."
                        : ". " + capitalised(HOW_TO_INSTALL) + "."));
    }

    private boolean isNative(Platform wanted) {
        Platform self = host.normalized();
        if (!wanted.os().equals(self.os())) {
            return false;
        }
        // 64-bit x86 kernels run 32-bit x86 programs themselves
        return wanted.architecture().equals(self.architecture())
                || (self.architecture().equals("amd64") && wanted.architecture().equals("386"));
    }

    private static boolean matches(EmulationHandler handler, EmulationElf elf) {
        return handler.matches(elf.executableHeader()) || handler.matches(elf.positionIndependentHeader());
    }

    private boolean debianRegistrationShipped(EmulationElf elf) {
        try {
            for (Path file : registrationFiles(registrations)) {
                for (EmulationEntries.Registration registration : EmulationEntries.registrations(file)) {
                    if (registration.name().equals("qemu-" + elf.machineName())) {
                        return true;
                    }
                }
            }
            return false;
        } catch (IOException | IllegalArgumentException e) {
            return false;
        }
    }

    private static String capitalised(String text) {
        return Character.toUpperCase(text.charAt(0)) + text.substring(1);
    }

    /** Mounts this host's binfmt_misc when needed and registers what qemu-user-static ships (needs root). */
    public static EmulationInstall install() throws IOException {
        return install(BINFMT_MISC, BINFMT_D);
    }

    /**
     * Mounts binfmt_misc on {@code directory} unless it is mounted, switches it on, and registers every
     * {@code qemu-*.conf} line in {@code registrations} whose entry is not registered yet. Entries the
     * kernel refuses are reported, not thrown, so one bad line does not stop the others.
     */
    public static EmulationInstall install(Path directory, Path registrations) throws IOException {
        List<Path> files = registrationFiles(registrations);
        if (files.isEmpty()) {
            throw new IOException("no emulator registrations (qemu-*.conf) in " + registrations
                    + ": install Debian's qemu-user-static first (`apt-get install -y qemu-user-static`)");
        }
        boolean mountedNow = false;
        if (!Files.isRegularFile(directory.resolve("status"))) {
            EmulationMount.mountBinfmtMisc(directory);
            mountedNow = true;
        }
        Path status = directory.resolve("status");
        if (!Files.readString(status, StandardCharsets.UTF_8).strip().equals("enabled")) {
            Files.writeString(status, "1");
        }
        List<String> registered = new ArrayList<>();
        List<String> already = new ArrayList<>();
        Map<String, String> failed = new LinkedHashMap<>();
        for (Path file : files) {
            for (EmulationEntries.Registration registration : EmulationEntries.registrations(file)) {
                if (Files.exists(directory.resolve(registration.name()))) {
                    already.add(registration.name());
                    continue;
                }
                try {
                    Files.writeString(directory.resolve("register"), registration.line());
                    registered.add(registration.name());
                } catch (IOException e) {
                    failed.put(registration.name(), "the kernel refused " + registration.line() + ": "
                            + Objects.requireNonNullElse(e.getMessage(), e.getClass().getSimpleName()));
                }
            }
        }
        return new EmulationInstall(mountedNow, registered, already, failed);
    }

    private static List<Path> registrationFiles(Path registrations) throws IOException {
        if (!Files.isDirectory(registrations)) {
            return List.of();
        }
        List<Path> files = new ArrayList<>();
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(registrations, "qemu-*.conf")) {
            stream.forEach(files::add);
        }
        files.sort(null);
        return files;
    }
}
