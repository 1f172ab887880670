package dev.jbuild.builder.internal;

import dev.jbuild.oci.History;
import dev.jbuild.store.BlobWriter;
import dev.jbuild.store.FileOwner;
import dev.jbuild.store.LayerBlob;
import dev.jbuild.store.LayerWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The layer WORKDIR makes when its directory does not exist: the directory and missing parents, owned by the step's user. */
final class WorkdirLayer {
    private final BuildSession session;
    private final ImageState state;
    private final String path;

    WorkdirLayer(BuildSession session, ImageState state, String path) {
        this.session = session;
        this.state = state;
        this.path = path;
    }

    ImageState create(History history) throws IOException {
        LayeredTree image = session.layers.tree(state.layers());
        UserDatabase.Owner owner = new UserDatabase.Owner(0, 0);
        String user = state.config().config().user();
        if (!user.isEmpty()) {
            owner = users(image).resolveUser(user);
        }
        List<CopyEntry> entries = new ArrayList<>();
        for (String current = path; !current.isEmpty(); current = PathNames.parent(current)) {
            Optional<Path> existing = image.find(current);
            if (existing.isPresent()) {
                entries.addFirst(new CopyEntry(current, CopyEntry.Kind.DIRECTORY, existing, null, null,
                        (Integer) Files.getAttribute(existing.get(), "unix:mode") & 07777,
                        (Integer) Files.getAttribute(existing.get(), "unix:uid"),
                        (Integer) Files.getAttribute(existing.get(), "unix:gid")));
            } else {
                entries.addFirst(new CopyEntry(current, CopyEntry.Kind.DIRECTORY, Optional.empty(), null, null, 0755,
                        owner.uid(), owner.gid()));
            }
        }
        Path staging = session.scratchDirectory("workdir");
        Files.createDirectories(staging);
        Map<String, FileOwner> owners = CopyStaging.write(entries, staging, FileTime.from(session.now()));
        LayerBlob blob;
        try (BlobWriter writer = session.store.newBlob()) {
            blob = LayerWriter.writeDirectory(staging, writer, session.layerOptions, owners);
            writer.commit(blob.mediaType());
        }
        ImageState next = state.withLayer(new ImageState.LayerRef(blob.descriptor(), blob.diffId()), history);
        if (session.request.sourceDateEpoch().isEmpty()) {
            session.layers.adopt(next.layers(), staging);
        }
        return next;
    }

    private static UserDatabase users(LayeredTree image) throws IOException {
        return UserDatabase.parse(read(image, "etc/passwd"), read(image, "etc/group"));
    }

    private static String read(LayeredTree image, String path) throws IOException {
        Optional<SourceMatcher.Match> file = SourceMatcher.resolve(image, path);
        return file.isPresent() && Files.isRegularFile(file.get().file()) ? Files.readString(file.get().file()) : "";
    }
}
