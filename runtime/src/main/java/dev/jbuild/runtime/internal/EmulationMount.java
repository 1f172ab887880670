package dev.jbuild.runtime.internal;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;
import java.nio.file.Path;

/** Mounts binfmt_misc with the mount(2) system call, through the FFM API. */
public final class EmulationMount {
    private static final Linker LINKER = Linker.nativeLinker();
    private static final StructLayout CALL_STATE = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO = CALL_STATE.varHandle(MemoryLayout.PathElement.groupElement("errno"));
    private static final MethodHandle MOUNT = LINKER.downcallHandle(
            LINKER.defaultLookup().find("mount").orElseThrow(),
            FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.ADDRESS, ValueLayout.ADDRESS,
                    ValueLayout.JAVA_LONG, ValueLayout.ADDRESS),
            Linker.Option.captureCallState("errno"));
    private static final MethodHandle STRERROR = LINKER.downcallHandle(
            LINKER.defaultLookup().find("strerror").orElseThrow(),
            FunctionDescriptor.of(ValueLayout.ADDRESS, ValueLayout.JAVA_INT));

    private EmulationMount() {
    }

    /** {@code mount -t binfmt_misc binfmt_misc TARGET}; fails with the system's reason. */
    public static void mountBinfmtMisc(Path target) throws IOException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CALL_STATE);
            MemorySegment name = arena.allocateFrom("binfmt_misc");
            int result = (int) MOUNT.invokeExact(state, name, arena.allocateFrom(target.toString()), name, 0L,
                    MemorySegment.NULL);
            if (result != 0) {
                int errno = (int) ERRNO.get(state, 0L);
                throw new IOException("cannot mount binfmt_misc on " + target + ": " + describe(errno)
                        + (errno == 1 ? " (mounting needs root)" : ""));
            }
        } catch (IOException | RuntimeException | Error e) {
            throw e;
        } catch (Throwable e) {
            throw new IOException("cannot call mount(2)", e);
        }
    }

    private static String describe(int errno) throws Throwable {
        MemorySegment message = (MemorySegment) STRERROR.invokeExact(errno);
        return message.reinterpret(1024).getString(0);
    }
}
