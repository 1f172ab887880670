package dev.jbuild.oci.internal;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.lang.ref.Cleaner;
import java.util.Objects;
import java.util.Optional;

/** A hash computed by the system's OpenSSL libcrypto (version 3), called through the FFM API. */
public final class OpenSslHash implements HashEngine {
    private static final Optional<Functions> FUNCTIONS = Functions.load();
    private static final Cleaner CLEANER = Cleaner.create();
    /**
     * Updates smaller than this are gathered and passed to libcrypto together: a downcall costs
     * microseconds before C1 has compiled the call path, and tar writers hash 512-byte headers and
     * small files one at a time.
     */
    private static final int BATCH = 16 * 1024;

    private final MemorySegment context;
    private final Cleaner.Cleanable freeContext;
    private boolean finished;
    private byte[] batch;
    private int batched;

    OpenSslHash(String algorithm) {
        Functions functions = FUNCTIONS.orElseThrow(() -> new IllegalStateException("libcrypto.so.3 is not available"));
        MemorySegment type = switch (algorithm) {
            case "sha256" -> functions.sha256;
            case "sha512" -> functions.sha512;
            default -> throw new IllegalArgumentException("unsupported digest algorithm \"" + algorithm + "\"");
        };
        try {
            context = (MemorySegment) functions.newContext.invokeExact();
            if (context.equals(MemorySegment.NULL)) {
                throw new OutOfMemoryError("EVP_MD_CTX_new failed");
            }
            MemorySegment address = context;
            freeContext = CLEANER.register(this, () -> functions.free(address));
            check((int) functions.init.invokeExact(context, type, MemorySegment.NULL), "EVP_DigestInit_ex");
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable e) {
            throw new IllegalStateException(e);
        }
    }

    /** Whether libcrypto.so.3 was found and has the functions this class calls. */
    public static boolean available() {
        return FUNCTIONS.isPresent();
    }

    @Override
    public void update(byte[] bytes, int offset, int length) {
        if (finished) {
            throw new IllegalStateException("hash already finished");
        }
        Objects.checkFromIndexSize(offset, length, bytes.length);
        if (length >= BATCH) {
            flushBatch();
            digestUpdate(bytes, offset, length);
            return;
        }
        if (batch == null) {
            batch = new byte[BATCH];
        } else if (batched + length > BATCH) {
            flushBatch();
        }
        System.arraycopy(bytes, offset, batch, batched, length);
        batched += length;
    }

    private void flushBatch() {
        if (batched > 0) {
            digestUpdate(batch, 0, batched);
            batched = 0;
        }
    }

    private void digestUpdate(byte[] bytes, int offset, int length) {
        try {
            // The update handle is "critical": it reads the Java array in place instead of a copy.
            check((int) FUNCTIONS.get().update.invokeExact(context, MemorySegment.ofArray(bytes).asSlice(offset, length),
                    (long) length), "EVP_DigestUpdate");
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public byte[] finish() {
        if (finished) {
            throw new IllegalStateException("hash already finished");
        }
        flushBatch();
        finished = true;
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment hash = arena.allocate(64);
            MemorySegment length = arena.allocate(JAVA_INT);
            check((int) FUNCTIONS.get().finish.invokeExact(context, hash, length), "EVP_DigestFinal_ex");
            return hash.asSlice(0, length.get(JAVA_INT, 0)).toArray(JAVA_BYTE);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable e) {
            throw new IllegalStateException(e);
        } finally {
            freeContext.clean();
        }
    }

    private static void check(int result, String function) {
        if (result != 1) {
            throw new IllegalStateException(function + " failed");
        }
    }

    /** The libcrypto functions and message-digest types, looked up once. */
    private record Functions(MethodHandle newContext, MethodHandle freeContext, MethodHandle init, MethodHandle update,
                             MethodHandle finish, MemorySegment sha256, MemorySegment sha512) {
        static Optional<Functions> load() {
            try {
                SymbolLookup library = SymbolLookup.libraryLookup("libcrypto.so.3", Arena.global());
                Linker linker = Linker.nativeLinker();
                MethodHandle sha256 = linker.downcallHandle(library.findOrThrow("EVP_sha256"), FunctionDescriptor.of(ADDRESS));
                MethodHandle sha512 = linker.downcallHandle(library.findOrThrow("EVP_sha512"), FunctionDescriptor.of(ADDRESS));
                return Optional.of(new Functions(
                        linker.downcallHandle(library.findOrThrow("EVP_MD_CTX_new"), FunctionDescriptor.of(ADDRESS)),
                        linker.downcallHandle(library.findOrThrow("EVP_MD_CTX_free"), FunctionDescriptor.ofVoid(ADDRESS)),
                        linker.downcallHandle(library.findOrThrow("EVP_DigestInit_ex"),
                                FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, ADDRESS)),
                        linker.downcallHandle(library.findOrThrow("EVP_DigestUpdate"),
                                FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, JAVA_LONG), Linker.Option.critical(true)),
                        linker.downcallHandle(library.findOrThrow("EVP_DigestFinal_ex"),
                                FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, ADDRESS)),
                        (MemorySegment) sha256.invokeExact(),
                        (MemorySegment) sha512.invokeExact()));
            } catch (Throwable e) {
                // No libcrypto 3 here (or native access is denied): the JDK's digests serve instead.
                return Optional.empty();
            }
        }

        void free(MemorySegment context) {
            try {
                freeContext.invokeExact(context);
            } catch (Throwable e) {
                throw new IllegalStateException(e);
            }
        }
    }
}
