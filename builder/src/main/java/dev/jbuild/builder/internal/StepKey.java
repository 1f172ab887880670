package dev.jbuild.builder.internal;

import dev.jbuild.oci.Digest;
import dev.jbuild.oci.Digester;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The inputs of one build step that decide its result, and the one function that turns them into
 * the cache key, used both when a result is recorded and when it is looked up.
 *
 * @param parent      the digest of the config the step starts from (it names the parent's layers and history)
 * @param instruction the instruction after expansion, with its flags
 * @param args        the build args the step can see (RUN sees every one in scope; others those they expand)
 * @param content     a digest of everything else the step reads: COPY/ADD sources, bind/cache mount
 *                    sources, heredoc bodies ({@code sha256} of nothing when it reads nothing)
 */
public record StepKey(Digest parent, String instruction, SortedMap<String, String> args, Digest content) {
    /** The content digest of a step that reads nothing but its parent. */
    public static final Digest NO_CONTENT = Digest.sha256(new byte[0]);

    private static final String VERSION = "jbuild-step-v1";

    public StepKey {
        Objects.requireNonNull(parent, "parent");
        Objects.requireNonNull(instruction, "instruction");
        TreeMap<String, String> naturalOrder = new TreeMap<>();
        naturalOrder.putAll(args);
        args = java.util.Collections.unmodifiableSortedMap(naturalOrder);
        Objects.requireNonNull(content, "content");
    }

    /** The cache key: a digest over every component, each length-prefixed so no two key sets collide. */
    public Digest digest() {
        Digester digester = Digester.sha256();
        field(digester, VERSION);
        field(digester, parent.toString());
        field(digester, instruction);
        field(digester, Integer.toString(args.size()));
        for (Map.Entry<String, String> arg : args.entrySet()) {
            field(digester, arg.getKey());
            field(digester, arg.getValue());
        }
        field(digester, content.toString());
        return digester.digest();
    }

    /** A key over the parent and instruction only: finds an earlier run of this step whose other inputs differed. */
    public Digest stepIdentity() {
        Digester digester = Digester.sha256();
        field(digester, VERSION + "-identity");
        field(digester, parent.toString());
        field(digester, instruction);
        return digester.digest();
    }

    private static void field(Digester digester, String value) {
        byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        byte[] length = Long.toString(bytes.length).getBytes(StandardCharsets.US_ASCII);
        digester.update(length, 0, length.length);
        digester.update(new byte[] {':'}, 0, 1);
        digester.update(bytes, 0, bytes.length);
    }
}
