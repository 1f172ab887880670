package dev.jbuild.runtime.internal;

import dev.jbuild.runtime.Rootfs;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Reads small files such as /etc/passwd from a rootfs before the container starts, looking through overlay layers. */
public final class RootfsFiles {
    private RootfsFiles() {
    }

    /** The lines of {@code relative} (e.g. {@code etc/passwd}) as the container will see it, if it exists. */
    public static Optional<List<String>> lines(Rootfs rootfs, String relative) {
        List<Path> layers = switch (rootfs) {
            case Rootfs.Directory directory -> List.of(directory.path());
            case Rootfs.Overlay overlay -> {
                List<Path> all = new ArrayList<>();
                all.add(overlay.upper());
                all.addAll(overlay.lowerdirs());
                yield all;
            }
        };
        for (Path layer : layers) {
            Path candidate = layer.resolve(relative);
            try {
                if (Files.isRegularFile(candidate, LinkOption.NOFOLLOW_LINKS)) {
                    return Optional.of(Files.readAllLines(candidate));
                }
                if (Files.exists(candidate, LinkOption.NOFOLLOW_LINKS)) {
                    // a whiteout (char device 0/0), a symlink or a directory hides every layer below
                    return Optional.empty();
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + candidate, e);
            }
        }
        return Optional.empty();
    }
}
