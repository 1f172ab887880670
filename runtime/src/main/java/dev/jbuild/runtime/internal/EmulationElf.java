package dev.jbuild.runtime.internal;

import dev.jbuild.oci.Platform;
import java.util.List;
import java.util.Optional;

/**
 * The ELF identity of a platform's programs (class, byte order, machine number from the ELF
 * specification), and the first bytes of such a program, to test binfmt_misc entries against.
 */
public record EmulationElf(boolean sixtyFourBit, boolean bigEndian, int machine, String machineName) {
    private static final int EM_386 = 3;
    private static final int EM_MIPS = 8;
    private static final int EM_PPC64 = 21;
    private static final int EM_S390 = 22;
    private static final int EM_ARM = 40;
    private static final int EM_X86_64 = 62;
    private static final int EM_AARCH64 = 183;
    private static final int EM_RISCV = 243;
    private static final int EM_LOONGARCH = 258;
    private static final int ET_EXEC = 2;
    private static final int ET_DYN = 3;

    /** The Linux platforms whose ELF identity is known here, in the order {@code jbuild info} lists them. */
    public static final List<Platform> KNOWN = List.of(
            new Platform("linux", "amd64"), new Platform("linux", "arm64"), new Platform("linux", "arm", "v7"),
            new Platform("linux", "arm", "v6"), new Platform("linux", "ppc64le"), new Platform("linux", "s390x"),
            new Platform("linux", "riscv64"), new Platform("linux", "386"), new Platform("linux", "mips64le"),
            new Platform("linux", "loong64"));

    /** The ELF identity of programs for {@code platform}, when this is a Linux architecture known here. */
    public static Optional<EmulationElf> of(Platform platform) {
        Platform normal = platform.normalized();
        if (!normal.os().equals("linux")) {
            return Optional.empty();
        }
        return Optional.ofNullable(switch (normal.architecture()) {
            case "amd64" -> new EmulationElf(true, false, EM_X86_64, "x86-64");
            case "386" -> new EmulationElf(false, false, EM_386, "i386");
            case "arm64" -> new EmulationElf(true, false, EM_AARCH64, "aarch64");
            case "arm" -> new EmulationElf(false, false, EM_ARM, "arm");
            case "ppc64le" -> new EmulationElf(true, false, EM_PPC64, "ppc64le");
            case "ppc64" -> new EmulationElf(true, true, EM_PPC64, "ppc64");
            case "s390x" -> new EmulationElf(true, true, EM_S390, "s390x");
            case "riscv64" -> new EmulationElf(true, false, EM_RISCV, "riscv64");
            case "mips64le" -> new EmulationElf(true, false, EM_MIPS, "mips64el");
            case "mips64" -> new EmulationElf(true, true, EM_MIPS, "mips64");
            case "loong64" -> new EmulationElf(true, false, EM_LOONGARCH, "loongarch64");
            default -> null;
        });
    }

    /** The first 64 bytes of a statically linked executable (ET_EXEC) of this identity. */
    public byte[] executableHeader() {
        return header(ET_EXEC);
    }

    /** The first 64 bytes of a position-independent executable or shared object (ET_DYN). */
    public byte[] positionIndependentHeader() {
        return header(ET_DYN);
    }

    private byte[] header(int type) {
        byte[] header = new byte[64];
        header[0] = 0x7f;
        header[1] = 'E';
        header[2] = 'L';
        header[3] = 'F';
        header[4] = (byte) (sixtyFourBit ? 2 : 1);
        header[5] = (byte) (bigEndian ? 2 : 1);
        header[6] = 1;
        putHalf(header, 16, type);
        putHalf(header, 18, machine);
        return header;
    }

    private void putHalf(byte[] target, int offset, int value) {
        byte low = (byte) value;
        byte high = (byte) (value >>> 8);
        target[offset] = bigEndian ? high : low;
        target[offset + 1] = bigEndian ? low : high;
    }
}
