package dev.jbuild.store;

import com.github.luben.zstd.ZstdOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;

/**
 * The hostile-tar corpus of {@code testdata/hostile-tars/}: each case's bytes (built with
 * commons-compress, then damaged where the case needs it), what applying it must do, and a check of
 * the result. {@link #main} regenerates the files and the README; {@link HostileTarTest} proves the
 * committed files match and that each case is refused or applied safely.
 */
final class HostileTars {
    /** The directory beside the apply root that no case may touch. */
    static final String SENTINEL = "sentinel";

    /** What applying a case must do. */
    enum Outcome {
        REJECTED, APPLIED_SAFELY
    }

    /** Checks the root after a case was applied safely. */
    interface Check {
        void verify(Path root, ApplyResult result) throws IOException;
    }

    /** Builds the bytes of one archive. */
    interface Builder {
        byte[] build() throws IOException;
    }

    /**
     * One case: its file name, what it tries, the expected outcome, the entry the error must name
     * (for rejections), the apply limits it runs with, and a check of the result (for safe applies).
     */
    record Case(String file, String description, Outcome outcome, String entry, ApplyOptions options,
            Builder builder, Check check) {
    }

    private HostileTars() {
    }

    static List<Case> cases() {
        List<Case> cases = new ArrayList<>();
        ApplyOptions defaults = ApplyOptions.DEFAULTS;
        ApplyOptions tight = ApplyOptions.DEFAULTS.withExpansionLimit(100, 8L << 20);

        reject(cases, "dotdot-file", "a file named ../escape", "../escape", tar(file("../escape", "x")));
        reject(cases, "dotdot-nested", "a/../../escape climbs out through a subdirectory", "a/../../escape",
                tar(dir("a/"), file("a/../../escape", "x")));
        reject(cases, "dotdot-deep", "a/b/../../../../sentinel/file.txt aims at the sentinel",
                "a/b/../../../../sentinel/file.txt", tar(file("a/b/../../../../sentinel/file.txt", "pwned")));
        reject(cases, "absolute-file", "an absolute path /abs-escape", "/abs-escape", tar(file("/abs-escape", "x")));
        reject(cases, "absolute-dotdot", "/../abs-escape", "/../abs-escape", tar(file("/../abs-escape", "x")));
        reject(cases, "pax-path-dotdot", "a harmless ustar name overridden by PAX path=../escape", "../escape",
                tar(pax("path", "../escape"), file("harmless", "x")));
        reject(cases, "pax-path-nul", "PAX path with an embedded NUL hiding ../", "ok\0/../../escape",
                tar(pax("path", "ok\0/../../escape"), file("harmless", "x")));
        safe(cases, "symlink-root-then-file", "symlink escape -> / then escape/probe-file through it",
                tar(symlink("escape", "/"), file("escape/probe-file", "inside")),
                (root, result) -> assertRegular(root.resolve("probe-file"), "inside"));
        safe(cases, "symlink-dotdot-parent", "symlink up -> ../sentinel then up/victim through it",
                tar(symlink("up", "../" + SENTINEL), file("up/victim", "inside")),
                (root, result) -> assertRegular(root.resolve(SENTINEL + "/victim"), "inside"));
        safe(cases, "symlink-chain", "a -> b, b -> ../../.., then a/sentinel/victim",
                tar(symlink("a", "b"), symlink("b", "../../.."), file("a/" + SENTINEL + "/victim", "inside")),
                (root, result) -> assertRegular(root.resolve(SENTINEL + "/victim"), "inside"));
        safe(cases, "symlink-absolute-parent", "symlink s -> /tmp then s/jbuild-hostile-probe",
                tar(symlink("s", "/tmp"), file("s/jbuild-hostile-probe", "inside")),
                (root, result) -> {
                    assertRegular(root.resolve("tmp/jbuild-hostile-probe"), "inside");
                    if (Files.exists(Path.of("/tmp/jbuild-hostile-probe"))) {
                        throw new AssertionError("/tmp/jbuild-hostile-probe was written outside the root");
                    }
                });
        safe(cases, "symlink-then-file-same-name", "symlink link -> ../sentinel/file.txt, then a file named link",
                tar(symlink("link", "../" + SENTINEL + "/file.txt"), file("link", "replaced")),
                (root, result) -> assertRegular(root.resolve("link"), "replaced"));
        safe(cases, "symlinked-parent-etc", "symlink dir -> /etc then dir/passwd",
                tar(symlink("dir", "/etc"), file("dir/passwd", "inside")),
                (root, result) -> assertRegular(root.resolve("etc/passwd"), "inside"));
        reject(cases, "symlink-loop", "loop1 -> loop2 -> loop1, then loop1/x", "loop1/x",
                tar(symlink("loop1", "loop2"), symlink("loop2", "loop1"), file("loop1/x", "x")));
        safe(cases, "dir-replaces-symlink", "symlink s -> ../sentinel replaced by a directory s/ and s/f",
                tar(symlink("s", "../" + SENTINEL), dir("s/"), file("s/f", "inside")),
                (root, result) -> assertRegular(root.resolve("s/f"), "inside"));
        reject(cases, "hardlink-dotdot", "hardlink h -> ../sentinel/file.txt", "h",
                tar(hardlink("h", "../" + SENTINEL + "/file.txt")));
        reject(cases, "hardlink-absolute", "hardlink h -> /etc/passwd", "h", tar(hardlink("h", "/etc/passwd")));
        reject(cases, "hardlink-through-symlink", "s -> ../sentinel, then hardlink h -> s/file.txt", "h",
                tar(symlink("s", "../" + SENTINEL), hardlink("h", "s/file.txt")));
        reject(cases, "hardlink-missing", "hardlink h -> nope (never written)", "h", tar(hardlink("h", "nope")));
        reject(cases, "hardlink-to-directory", "hardlink h -> d/ (a directory)", "h",
                tar(dir("d/"), hardlink("h", "d")));
        safe(cases, "hardlink-to-outside-symlink", "s -> ../sentinel/file.txt, hardlink h -> s (links the symlink itself)",
                tar(symlink("s", "../" + SENTINEL + "/file.txt"), hardlink("h", "s")),
                (root, result) -> {
                    if (!Files.isSymbolicLink(root.resolve("h"))) {
                        throw new AssertionError("h should be a second name of the symlink");
                    }
                });
        reject(cases, "whiteout-dotdot", "whiteout .wh... (of \"..\")", ".wh...", tar(file(".wh...", "")));
        reject(cases, "whiteout-dot", "whiteout .wh.. (of \".\")", ".wh..", tar(file(".wh..", "")));
        reject(cases, "whiteout-empty", "whiteout .wh. (of nothing)", ".wh.", tar(file(".wh.", "")));
        reject(cases, "whiteout-of-whiteout", "whiteout .wh..wh.x (a whiteout prefix trick)", ".wh..wh.x",
                tar(file(".wh..wh.x", "")));
        reject(cases, "whiteout-parent-dotdot", "whiteout ../.wh.sentinel", "../.wh." + SENTINEL,
                tar(file("../.wh." + SENTINEL, "")));
        safe(cases, "whiteout-through-symlink", "s -> ../sentinel then s/.wh.file.txt",
                tar(symlink("s", "../" + SENTINEL), file("s/.wh.file.txt", "")), (root, result) -> { });
        safe(cases, "opaque-through-symlink", "s -> ../sentinel then s/.wh..wh..opq",
                tar(symlink("s", "../" + SENTINEL), file("s/.wh..wh..opq", "")), (root, result) -> { });
        safe(cases, "opaque-at-root", ".wh..wh..opq at the root of the layer",
                tar(file("kept", "k"), file(".wh..wh..opq", "")),
                (root, result) -> assertRegular(root.resolve("kept"), "k"));
        safe(cases, "device-char", "char device dev/null 1/3 (created as root, skipped with a warning otherwise)",
                tar(dir("dev/"), device("dev/null", TarConstants.LF_CHR, 1, 3)), HostileTars::deviceCheck);
        safe(cases, "device-block", "block device dev/sda 8/0 (created as root, skipped with a warning otherwise)",
                tar(dir("dev/"), device("dev/sda", TarConstants.LF_BLK, 8, 0)), HostileTars::deviceCheck);
        reject(cases, "pax-huge", "a 2 MiB PAX header (limit 1 MiB)", "././@PaxHeader",
                gzip(tar(pax("comment", "a".repeat(2 << 20)), file("after", "x"))));
        reject(cases, "gnu-longname-huge", "a 2 MiB GNU long name header (limit 1 MiB)", "././@LongLink",
                gzip(tar(longName("n".repeat(2 << 20)), file("after", "x"))));
        reject(cases, "truncated-header", "archive cut in the middle of the second header", "first",
                truncate(tar(file("first", "1"), file("second", "2")), 1024 + 100));
        reject(cases, "truncated-data", "entry declares 10000 bytes, archive ends after 3000", "big",
                truncate(tar(file("big", "z".repeat(10000))), 512 + 3000));
        reject(cases, "truncated-gzip", "gzip stream cut in half", "(stream)",
                truncate(gzip(tar(file("data", "q".repeat(100_000)))), 200));
        reject(cases, "corrupt-checksum", "header checksum does not match", "file",
                corruptChecksum(tar(file("file", "x"))));
        reject(cases, "gnu-sparse", "GNU sparse entry (unsupported)", "sparse",
                tar(typed("sparse", TarConstants.LF_GNUTYPE_SPARSE)));
        reject(cases, "gzip-bomb", "64 MiB of zeros as gzip (ratio limit 100 after 8 MiB)", "(stream)", tight,
                gzip(tar(zeros("zeros", 64 << 20))), (root, result) -> { });
        reject(cases, "zstd-bomb", "64 MiB of zeros as zstd (ratio limit 100 after 8 MiB)", "(stream)", tight,
                zstd(tar(zeros("zeros", 64 << 20))), (root, result) -> { });
        safe(cases, "duplicate-file", "the same file twice: the later one wins",
                tar(file("dup", "first"), file("dup", "second")),
                (root, result) -> assertRegular(root.resolve("dup"), "second"));
        safe(cases, "file-replaces-dir-and-back", "d/ and d/x, then a file d, then a directory d/ and d/y",
                tar(dir("d/"), file("d/x", "x"), file("d", "file"), dir("d/"), file("d/y", "y")),
                (root, result) -> {
                    assertRegular(root.resolve("d/y"), "y");
                    if (Files.exists(root.resolve("d/x"))) {
                        throw new AssertionError("d/x should be gone with the directory it was in");
                    }
                });
        reject(cases, "file-under-file", "a file f, then f/g as if f were a directory", "f/g",
                tar(file("f", "f"), file("f/g", "g")));
        reject(cases, "root-as-file", "the root ./ as a regular file", "./", tar(file("./", "")));
        safe(cases, "overlay-xattr-injection", "a directory carrying SCHILY.xattr.user.overlay.opaque=y",
                tar(pax("SCHILY.xattr.user.overlay.opaque", "y"), dir("d/")),
                (root, result) -> {
                    if (dev.jbuild.store.internal.fs.Posix.lgetxattr(root.resolve("d"), "user.overlay.opaque")
                            .isPresent()) {
                        throw new AssertionError("a layer must not set overlay markers");
                    }
                });
        return cases;
    }

    private static void reject(List<Case> cases, String name, String description, String entry, Builder builder) {
        reject(cases, name, description, entry, ApplyOptions.DEFAULTS, builder, (root, result) -> { });
    }

    private static void reject(List<Case> cases, String name, String description, String entry, ApplyOptions options,
            Builder builder, Check check) {
        cases.add(new Case(name + extension(name), description, Outcome.REJECTED, entry, options, builder, check));
    }

    private static void safe(List<Case> cases, String name, String description, Builder builder, Check check) {
        cases.add(new Case(name + extension(name), description, Outcome.APPLIED_SAFELY, null, ApplyOptions.DEFAULTS,
                builder, check));
    }

    private static String extension(String name) {
        return switch (name) {
            case "pax-huge", "gnu-longname-huge", "gzip-bomb", "truncated-gzip" -> ".tar.gz";
            case "zstd-bomb" -> ".tar.zst";
            default -> ".tar";
        };
    }

    private static void deviceCheck(Path root, ApplyResult result) {
        if (dev.jbuild.store.internal.fs.Posix.euid() != 0 && result.warnings().isEmpty()) {
            throw new AssertionError("a skipped device must be reported as a warning");
        }
    }

    private static void assertRegular(Path path, String content) throws IOException {
        if (!Files.isRegularFile(path, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            throw new AssertionError(path + " should be a regular file inside the root");
        }
        String actual = Files.readString(path);
        if (!actual.equals(content)) {
            throw new AssertionError(path + " holds \"" + actual + "\", expected \"" + content + "\"");
        }
    }

    /** Writes one entry (with its content, if any) to the archive. */
    private interface Member {
        void writeTo(TarArchiveOutputStream out) throws IOException;
    }

    private static Builder tar(Member... members) {
        return () -> {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            try (TarArchiveOutputStream out = new TarArchiveOutputStream(bytes)) {
                out.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
                out.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
                for (Member member : members) {
                    member.writeTo(out);
                }
            }
            return bytes.toByteArray();
        };
    }

    private static TarArchiveEntry entry(String name, byte type) {
        TarArchiveEntry entry = new TarArchiveEntry(name, type, true);
        entry.setModTime(new Date(1_700_000_000_000L));
        entry.setUserName("");
        entry.setGroupName("");
        return entry;
    }

    private static Member file(String name, String content) {
        return out -> {
            byte[] data = content.getBytes(StandardCharsets.UTF_8);
            TarArchiveEntry entry = entry(name, TarConstants.LF_NORMAL);
            entry.setMode(0100644);
            entry.setSize(data.length);
            out.putArchiveEntry(entry);
            out.write(data);
            out.closeArchiveEntry();
        };
    }

    private static Member zeros(String name, int size) {
        return out -> {
            TarArchiveEntry entry = entry(name, TarConstants.LF_NORMAL);
            entry.setMode(0100644);
            entry.setSize(size);
            out.putArchiveEntry(entry);
            out.write(new byte[size]);
            out.closeArchiveEntry();
        };
    }

    private static Member dir(String name) {
        return out -> {
            TarArchiveEntry entry = entry(name, TarConstants.LF_DIR);
            entry.setMode(040755);
            out.putArchiveEntry(entry);
            out.closeArchiveEntry();
        };
    }

    private static Member symlink(String name, String target) {
        return out -> {
            TarArchiveEntry entry = entry(name, TarConstants.LF_SYMLINK);
            entry.setLinkName(target);
            entry.setMode(0120777);
            out.putArchiveEntry(entry);
            out.closeArchiveEntry();
        };
    }

    private static Member hardlink(String name, String target) {
        return out -> {
            TarArchiveEntry entry = entry(name, TarConstants.LF_LINK);
            entry.setLinkName(target);
            entry.setMode(0100644);
            out.putArchiveEntry(entry);
            out.closeArchiveEntry();
        };
    }

    private static Member device(String name, byte type, int major, int minor) {
        return out -> {
            TarArchiveEntry entry = entry(name, type);
            entry.setMode(0666);
            entry.setDevMajor(major);
            entry.setDevMinor(minor);
            out.putArchiveEntry(entry);
            out.closeArchiveEntry();
        };
    }

    private static Member typed(String name, byte type) {
        return out -> {
            TarArchiveEntry entry = entry(name, type);
            entry.setMode(0644);
            out.putArchiveEntry(entry);
            out.closeArchiveEntry();
        };
    }

    /** A raw PAX extended header member applying to the next entry. */
    private static Member pax(String key, String value) {
        return out -> {
            byte[] body = (key + "=" + value + "\n").getBytes(StandardCharsets.UTF_8);
            int length = body.length + 2;
            while (length != body.length + 1 + Integer.toString(length).length()) {
                length = body.length + 1 + Integer.toString(length).length();
            }
            byte[] record = (length + " " + key + "=" + value + "\n").getBytes(StandardCharsets.UTF_8);
            TarArchiveEntry entry = entry("././@PaxHeader", TarConstants.LF_PAX_EXTENDED_HEADER_LC);
            entry.setSize(record.length);
            out.putArchiveEntry(entry);
            out.write(record);
            out.closeArchiveEntry();
        };
    }

    /** A raw GNU long-name member applying to the next entry. */
    private static Member longName(String name) {
        return out -> {
            byte[] data = name.getBytes(StandardCharsets.UTF_8);
            TarArchiveEntry entry = entry("././@LongLink", TarConstants.LF_GNUTYPE_LONGNAME);
            entry.setSize(data.length);
            out.putArchiveEntry(entry);
            out.write(data);
            out.closeArchiveEntry();
        };
    }

    private static Builder truncate(Builder inner, int length) {
        return () -> java.util.Arrays.copyOf(inner.build(), length);
    }

    private static Builder corruptChecksum(Builder inner) {
        return () -> {
            byte[] bytes = inner.build();
            bytes[148] = (bytes[148] == '1') ? (byte) '2' : (byte) '1';
            return bytes;
        };
    }

    private static Builder gzip(Builder inner) {
        return () -> {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            try (OutputStream out = new GZIPOutputStream(bytes)) {
                out.write(inner.build());
            }
            return bytes.toByteArray();
        };
    }

    private static Builder zstd(Builder inner) {
        return () -> {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            try (OutputStream out = new ZstdOutputStream(bytes, 3)) {
                out.write(inner.build());
            }
            return bytes.toByteArray();
        };
    }

    /** Regenerates {@code testdata/hostile-tars/} (argument: the testdata directory). */
    public static void main(String[] args) throws IOException {
        Path directory = Files.createDirectories(Path.of(args[0], "hostile-tars"));
        StringBuilder readme = new StringBuilder("""
                # Hostile layer tars

                Generated by `layer-store/src/test/java/dev/jbuild/store/HostileTars.java` (run its `main` with
                the `testdata` directory as argument); `HostileTarTest` checks these files still match the
                generator, applies each one to an empty root beside a sentinel directory, and checks that the
                case is rejected with an error naming the entry (or applied safely inside the root) and that the
                sentinel tree is unchanged (same paths, contents, modes and mtimes).

                | file | what it tries | expected outcome |
                |---|---|---|
                """);
        for (Case c : cases()) {
            Files.write(directory.resolve(c.file()), c.builder().build());
            String outcome = c.outcome() == Outcome.REJECTED
                    ? "rejected, naming `" + c.entry().replace("\0", "\\0") + "`"
                            + (c.options().equals(ApplyOptions.DEFAULTS) ? "" : " (with ratio limit "
                            + c.options().maxExpansionRatio() + " after " + (c.options().ratioGraceBytes() >> 20)
                            + " MiB)")
                    : "applied safely inside the root";
            readme.append("| `").append(c.file()).append("` | ").append(c.description().replace("\0", "\\0"))
                    .append(" | ").append(outcome).append(" |\n");
        }
        Files.writeString(directory.resolve("README.md"), readme);
    }
}
