import dev.jbuild.oci.MediaType.Compression;
import dev.jbuild.store.ApplyMode;
import dev.jbuild.store.ApplyResult;
import dev.jbuild.store.LayerApplier;
import dev.jbuild.store.LayerBlob;
import dev.jbuild.store.LayerWriteOptions;
import dev.jbuild.store.LayerWriter;
import java.io.BufferedOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/** Whole-program benchmark driver: {@code write TREE BLOB [gzip|zstd|none]} or {@code apply BLOB DIR}. */
public final class LayerBench {
    public static void main(String[] args) throws Exception {
        switch (args[0]) {
            case "write" -> {
                Compression compression = args.length > 3 ? Compression.valueOf(args[3].toUpperCase()) : Compression.GZIP;
                try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(Path.of(args[2])), 1 << 20)) {
                    LayerBlob blob = LayerWriter.writeDirectory(Path.of(args[1]), out,
                            LayerWriteOptions.DEFAULTS.withCompression(compression));
                    System.out.println(blob);
                }
            }
            case "apply" -> {
                Files.createDirectories(Path.of(args[2]));
                try (InputStream in = Files.newInputStream(Path.of(args[1]))) {
                    ApplyResult result = LayerApplier.apply(in, Path.of(args[2]), ApplyMode.FLATTEN);
                    System.out.println(result.diffId() + " " + result.entries() + " entries");
                }
            }
            default -> throw new IllegalArgumentException("usage: write TREE BLOB [gzip|zstd|none] | apply BLOB DIR");
        }
    }
}
