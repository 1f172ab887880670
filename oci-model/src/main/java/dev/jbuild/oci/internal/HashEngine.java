package dev.jbuild.oci.internal;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/** One running hash computation: bytes in, the hash out once at the end. */
public sealed interface HashEngine permits HashEngine.Jdk, OpenSslHash {
    /** Adds {@code length} bytes of {@code bytes} from {@code offset}. */
    void update(byte[] bytes, int offset, int length);

    /** The hash of everything added; the engine must not be used afterwards. */
    byte[] finish();

    /**
     * An engine for {@code algorithm} ({@code sha256} or {@code sha512}): the system's libcrypto when
     * it can be loaded, else the JDK's. libcrypto hashes at full speed from the first byte with the
     * CPU's SHA extensions, where the JDK does so only in code its C2 compiler has compiled, which
     * the launcher leaves off because compiling costs a short command more than it saves.
     */
    static HashEngine of(String algorithm) {
        return OpenSslHash.available() ? new OpenSslHash(algorithm) : new Jdk(algorithm);
    }

    /** The JDK's {@link MessageDigest}. */
    record Jdk(MessageDigest messageDigest) implements HashEngine {
        public Jdk(String algorithm) {
            this(messageDigest(algorithm));
        }

        @Override
        public void update(byte[] bytes, int offset, int length) {
            messageDigest.update(bytes, offset, length);
        }

        @Override
        public byte[] finish() {
            return messageDigest.digest();
        }

        private static MessageDigest messageDigest(String algorithm) {
            try {
                return MessageDigest.getInstance(jcaName(algorithm));
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException("the JDK lacks " + algorithm, e);
            }
        }
    }

    /** The JCA name of an OCI digest algorithm. */
    static String jcaName(String algorithm) {
        return switch (algorithm) {
            case "sha256" -> "SHA-256";
            case "sha512" -> "SHA-512";
            default -> throw new IllegalArgumentException("unsupported digest algorithm \"" + algorithm + "\"");
        };
    }
}
