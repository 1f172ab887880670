package dev.jbuild.cli;

import static java.lang.foreign.ValueLayout.JAVA_INT;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.invoke.MethodHandle;

/**
 * Ends the process with an exit code at once, through libc's {@code _exit}. {@link System#exit}
 * makes the JVM wait 300 ms for any thread in native code, and once a virtual thread has used a
 * socket, the JDK's poller thread always is (blocked in {@code epoll_wait}): every registry
 * command paid those 300 ms after its work was done. jbuild registers no shutdown hooks and closes
 * what it writes before it returns, so there is nothing left for the JVM's exit to do.
 */
final class ProcessExit {
    private ProcessExit() {
    }

    /**
     * Flushes standard output and error and ends the process with {@code code}. With the system
     * property {@code jbuild.exit.jvm=true} the JVM's own exit runs instead: scripts/cds-classlist.sh
     * sets it, because the JVM writes part of a class list (resolved constants) only as it exits.
     */
    static void now(int code) {
        System.out.flush();
        System.err.flush();
        if (Boolean.getBoolean("jbuild.exit.jvm")) {
            System.exit(code);
        }
        try {
            Linker linker = Linker.nativeLinker();
            MethodHandle exit = linker.downcallHandle(linker.defaultLookup().findOrThrow("_exit"),
                    FunctionDescriptor.ofVoid(JAVA_INT));
            exit.invokeExact(code);
        } catch (Throwable unavailable) {
            System.exit(code);
        }
    }
}
