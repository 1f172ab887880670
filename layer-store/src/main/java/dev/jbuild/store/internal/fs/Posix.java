package dev.jbuild.store.internal.fs;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The few Linux system calls NIO lacks, through FFM: mknod, lchown, chmod with setuid bits,
 * utimensat without following symlinks, the l*xattr family for every namespace, and syncfs.
 */
public final class Posix {
    public static final int S_IFMT = 0170000;
    public static final int S_IFLNK = 0120000;
    public static final int S_IFREG = 0100000;
    public static final int S_IFBLK = 0060000;
    public static final int S_IFDIR = 0040000;
    public static final int S_IFCHR = 0020000;
    public static final int S_IFIFO = 0010000;

    public static final int EPERM = 1;
    public static final int ERANGE = 34;
    public static final int EINVAL = 22;
    public static final int ENODATA = 61;
    public static final int EOPNOTSUPP = 95;

    private static final int AT_FDCWD = -100;
    private static final int AT_SYMLINK_NOFOLLOW = 0x100;

    private static final Linker LINKER = Linker.nativeLinker();
    private static final SymbolLookup LIBC = LINKER.defaultLookup();
    private static final StructLayout CALL_STATE = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO =
            CALL_STATE.varHandle(java.lang.foreign.MemoryLayout.PathElement.groupElement("errno"));
    private static final Linker.Option CAPTURE_ERRNO = Linker.Option.captureCallState("errno");

    private static final ValueLayout.OfInt INT = ValueLayout.JAVA_INT;
    private static final ValueLayout.OfLong LONG = ValueLayout.JAVA_LONG;
    private static final ValueLayout ADDRESS = ValueLayout.ADDRESS;

    private static final Downcall MKNOD = new Downcall("mknod", FunctionDescriptor.of(INT, ADDRESS, INT, LONG));
    private static final Downcall LCHOWN = new Downcall("lchown", FunctionDescriptor.of(INT, ADDRESS, INT, INT));
    private static final Downcall CHMOD = new Downcall("chmod", FunctionDescriptor.of(INT, ADDRESS, INT));
    private static final Downcall UTIMENSAT =
            new Downcall("utimensat", FunctionDescriptor.of(INT, INT, ADDRESS, ADDRESS, INT));
    private static final Downcall LSETXATTR =
            new Downcall("lsetxattr", FunctionDescriptor.of(INT, ADDRESS, ADDRESS, ADDRESS, LONG, INT));
    private static final Downcall LGETXATTR =
            new Downcall("lgetxattr", FunctionDescriptor.of(LONG, ADDRESS, ADDRESS, ADDRESS, LONG));
    private static final Downcall LLISTXATTR =
            new Downcall("llistxattr", FunctionDescriptor.of(LONG, ADDRESS, ADDRESS, LONG));
    private static final Downcall OPEN = new Downcall("open", FunctionDescriptor.of(INT, ADDRESS, INT));
    private static final Downcall SYNCFS = new Downcall("syncfs", FunctionDescriptor.of(INT, INT));
    private static final Downcall CLOSE = new Downcall("close", FunctionDescriptor.of(INT, INT));
    private static final int O_RDONLY_DIRECTORY_CLOEXEC = 0200000 | 02000000;

    private Posix() {
    }

    /**
     * A libc function linked on its first call: linking one spins classes (milliseconds each), and
     * most commands call few of these functions or none.
     */
    private static final class Downcall {
        private final String name;
        private final FunctionDescriptor descriptor;
        private volatile MethodHandle handle;

        Downcall(String name, FunctionDescriptor descriptor) {
            this.name = name;
            this.descriptor = descriptor;
        }

        MethodHandle handle() {
            MethodHandle linked = handle;
            if (linked == null) {
                linked = function(name, descriptor);
                handle = linked;
            }
            return linked;
        }
    }

    private static MethodHandle function(String name, FunctionDescriptor descriptor) {
        return LINKER.downcallHandle(LIBC.find(name).orElseThrow(
                () -> new IllegalStateException("libc lacks " + name)), descriptor, CAPTURE_ERRNO);
    }

    /** The effective uid, linked and read on first use: writing a layer never asks for it. */
    private static final class EffectiveUid {
        static final int VALUE = geteuid();

        private static int geteuid() {
            try {
                return (int) LINKER.downcallHandle(LIBC.find("geteuid").orElseThrow(), FunctionDescriptor.of(INT))
                        .invokeExact();
            } catch (Throwable e) {
                throw new IllegalStateException("geteuid failed", e);
            }
        }
    }

    /** The effective uid of this process. */
    public static int euid() {
        return EffectiveUid.VALUE;
    }

    /** Creates a device node, fifo or whiteout (char 0/0) at {@code path}. */
    public static void mknod(Path path, int mode, int major, int minor) throws IOException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CALL_STATE);
            int rc = (int) MKNOD.handle().invokeExact(state, cString(arena, path), mode, makedev(major, minor));
            check(rc, state, "mknod", path);
        } catch (IOException | RuntimeException | Error e) {
            throw e;
        } catch (Throwable e) {
            throw new IllegalStateException(e);
        }
    }

    /** Changes the owner of {@code path} without following a symlink. */
    public static void lchown(Path path, int uid, int gid) throws IOException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CALL_STATE);
            int rc = (int) LCHOWN.handle().invokeExact(state, cString(arena, path), uid, gid);
            check(rc, state, "lchown", path);
        } catch (IOException | RuntimeException | Error e) {
            throw e;
        } catch (Throwable e) {
            throw new IllegalStateException(e);
        }
    }

    /** Sets all twelve permission bits (setuid, setgid and sticky included) of a non-symlink. */
    public static void chmod(Path path, int mode) throws IOException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CALL_STATE);
            int rc = (int) CHMOD.handle().invokeExact(state, cString(arena, path), mode & 07777);
            check(rc, state, "chmod", path);
        } catch (IOException | RuntimeException | Error e) {
            throw e;
        } catch (Throwable e) {
            throw new IllegalStateException(e);
        }
    }

    /** Sets access and modification time of {@code path} (a symlink itself, not its target). */
    public static void lutimes(Path path, long seconds, int nanos) throws IOException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CALL_STATE);
            MemorySegment times = arena.allocate(LONG, 4);
            times.setAtIndex(LONG, 0, seconds);
            times.setAtIndex(LONG, 1, nanos);
            times.setAtIndex(LONG, 2, seconds);
            times.setAtIndex(LONG, 3, nanos);
            int rc = (int) UTIMENSAT.handle().invokeExact(state, AT_FDCWD, cString(arena, path), times, AT_SYMLINK_NOFOLLOW);
            check(rc, state, "utimensat", path);
        } catch (IOException | RuntimeException | Error e) {
            throw e;
        } catch (Throwable e) {
            throw new IllegalStateException(e);
        }
    }

    /** Sets an extended attribute of {@code path} itself (no symlink following). */
    public static void lsetxattr(Path path, String name, byte[] value) throws IOException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CALL_STATE);
            MemorySegment buffer = arena.allocate(Math.max(1, value.length));
            MemorySegment.copy(value, 0, buffer, ValueLayout.JAVA_BYTE, 0, value.length);
            int rc = (int) LSETXATTR.handle().invokeExact(state, cString(arena, path), arena.allocateFrom(name), buffer,
                    (long) value.length, 0);
            check(rc, state, "lsetxattr " + name, path);
        } catch (IOException | RuntimeException | Error e) {
            throw e;
        } catch (Throwable e) {
            throw new IllegalStateException(e);
        }
    }

    /** The value of one extended attribute, or empty when {@code path} does not have it. */
    public static Optional<byte[]> lgetxattr(Path path, String name) throws IOException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CALL_STATE);
            MemorySegment cPath = cString(arena, path);
            MemorySegment cName = arena.allocateFrom(name);
            long capacity = 256;
            while (true) {
                MemorySegment buffer = arena.allocate(capacity);
                long n = (long) LGETXATTR.handle().invokeExact(state, cPath, cName, buffer, capacity);
                if (n >= 0) {
                    return Optional.of(buffer.asSlice(0, n).toArray(ValueLayout.JAVA_BYTE));
                }
                int errno = errno(state);
                if (errno == ENODATA || errno == EOPNOTSUPP) {
                    return Optional.empty();
                }
                if (errno != ERANGE || capacity >= 1 << 20) {
                    throw new PosixException("lgetxattr " + name, path, errno);
                }
                capacity *= 4;
            }
        } catch (IOException | RuntimeException | Error e) {
            throw e;
        } catch (Throwable e) {
            throw new IllegalStateException(e);
        }
    }

    /** The names of all extended attributes of {@code path} itself, in the order the kernel lists them. */
    public static List<String> llistxattr(Path path) throws IOException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CALL_STATE);
            MemorySegment cPath = cString(arena, path);
            long capacity = 1024;
            while (true) {
                MemorySegment buffer = arena.allocate(capacity);
                long n = (long) LLISTXATTR.handle().invokeExact(state, cPath, buffer, capacity);
                if (n >= 0) {
                    List<String> names = new ArrayList<>();
                    long start = 0;
                    for (long i = 0; i < n; i++) {
                        if (buffer.get(ValueLayout.JAVA_BYTE, i) == 0) {
                            names.add(new String(buffer.asSlice(start, i - start).toArray(ValueLayout.JAVA_BYTE),
                                    java.nio.charset.StandardCharsets.UTF_8));
                            start = i + 1;
                        }
                    }
                    return names;
                }
                int errno = errno(state);
                if (errno == EOPNOTSUPP) {
                    return List.of();
                }
                if (errno != ERANGE || capacity >= 1 << 20) {
                    throw new PosixException("llistxattr", path, errno);
                }
                capacity *= 4;
            }
        } catch (IOException | RuntimeException | Error e) {
            throw e;
        } catch (Throwable e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Flushes the whole filesystem holding {@code directory} to disk: one call makes a freshly
     * unpacked layer durable before its completion marker is written.
     */
    public static void syncfs(Path directory) throws IOException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CALL_STATE);
            int fd = (int) OPEN.handle().invokeExact(state, cString(arena, directory), O_RDONLY_DIRECTORY_CLOEXEC);
            if (fd < 0) {
                throw new PosixException("open", directory, errno(state));
            }
            try {
                int rc = (int) SYNCFS.handle().invokeExact(state, fd);
                check(rc, state, "syncfs", directory);
            } finally {
                int closed = (int) CLOSE.handle().invokeExact(state, fd);
                check(closed, state, "close", directory);
            }
        } catch (IOException | RuntimeException | Error e) {
            throw e;
        } catch (Throwable e) {
            throw new IllegalStateException(e);
        }
    }

    private static long makedev(int major, int minor) {
        long ma = major & 0xffffffffL;
        long mi = minor & 0xffffffffL;
        return ((ma & 0xfffff000L) << 32) | ((ma & 0xfffL) << 8) | ((mi & 0xffffff00L) << 12) | (mi & 0xffL);
    }

    /** The major number of a Linux {@code dev_t}. */
    public static int major(long dev) {
        return (int) (((dev >>> 32) & 0xfffff000L) | ((dev >>> 8) & 0xfffL));
    }

    /** The minor number of a Linux {@code dev_t}. */
    public static int minor(long dev) {
        return (int) (((dev >>> 12) & 0xffffff00L) | (dev & 0xffL));
    }

    private static MemorySegment cString(Arena arena, Path path) {
        return arena.allocateFrom(path.toString());
    }

    private static int errno(MemorySegment state) {
        return (int) ERRNO.get(state, 0L);
    }

    private static void check(int rc, MemorySegment state, String call, Path path) throws PosixException {
        if (rc != 0) {
            throw new PosixException(call, path, errno(state));
        }
    }
}
