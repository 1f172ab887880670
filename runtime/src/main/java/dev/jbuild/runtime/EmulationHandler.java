package dev.jbuild.runtime;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;

/**
 * One binfmt_misc registration as the kernel shows it in {@code /proc/sys/fs/binfmt_misc/NAME}: the
 * interpreter the kernel runs for files whose leading bytes, masked, equal the magic.
 *
 * @param name the entry's name, e.g. {@code qemu-aarch64}
 * @param enabled whether the kernel uses the entry
 * @param interpreter the program the kernel runs with the file as its argument
 * @param flags the entry's flags, e.g. {@code POF}; {@code F} means the interpreter was opened at registration
 * @param offset where in the file the magic starts
 * @param magic the bytes to compare (empty for extension entries)
 * @param mask the bits of the file that are compared (all ones when the entry has no mask)
 */
public record EmulationHandler(String name, boolean enabled, Path interpreter, String flags, int offset, byte[] magic,
                               byte[] mask) {
    public EmulationHandler {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(interpreter, "interpreter");
        flags = flags == null ? "" : flags;
        if (offset < 0) {
            throw new IllegalArgumentException("binfmt_misc entry " + name + " has a negative offset " + offset);
        }
        magic = magic == null ? new byte[0] : magic.clone();
        mask = mask == null || mask.length == 0 ? filled(magic.length) : mask.clone();
        if (mask.length != magic.length) {
            throw new IllegalArgumentException("binfmt_misc entry " + name + " has a mask of " + mask.length
                    + " bytes for a magic of " + magic.length);
        }
    }

    private static byte[] filled(int length) {
        byte[] ones = new byte[length];
        Arrays.fill(ones, (byte) 0xff);
        return ones;
    }

    /**
     * True when the interpreter was opened when the entry was registered (flag {@code F}), so it also runs
     * programs inside a container whose root filesystem does not hold the interpreter.
     */
    public boolean fixBinary() {
        return flags.indexOf('F') >= 0;
    }

    /** True when the kernel would hand a file that starts with {@code header} to this interpreter. */
    public boolean matches(byte[] header) {
        return enabled && recognises(header);
    }

    /** True when {@code header}, masked, equals the magic, whether or not the entry is enabled. */
    public boolean recognises(byte[] header) {
        if (magic.length == 0 || header.length < offset + magic.length) {
            return false;
        }
        for (int i = 0; i < magic.length; i++) {
            if ((header[offset + i] & mask[i]) != (magic[i] & mask[i])) {
                return false;
            }
        }
        return true;
    }

    @Override
    public byte[] magic() {
        return magic.clone();
    }

    @Override
    public byte[] mask() {
        return mask.clone();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof EmulationHandler that && name.equals(that.name) && enabled == that.enabled
                && interpreter.equals(that.interpreter) && flags.equals(that.flags) && offset == that.offset
                && Arrays.equals(magic, that.magic) && Arrays.equals(mask, that.mask);
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, enabled, interpreter, flags, offset, Arrays.hashCode(magic), Arrays.hashCode(mask));
    }

    @Override
    public String toString() {
        return name + " (" + interpreter + ", flags " + (flags.isEmpty() ? "none" : flags) + ", magic "
                + HexFormat.of().formatHex(magic) + ")";
    }
}
