package dev.jbuild.builder;

import dev.jbuild.store.Store;
import java.nio.file.Path;

/**
 * A build run in its own JVM, as the user that starts it, so that {@link CopySourcesIT} can build
 * as an unprivileged user. Arguments: store directory, context directory, Dockerfile, tag.
 */
final class RootlessBuild {
    private RootlessBuild() {
    }

    public static void main(String[] args) throws Exception {
        Builder.create(Store.open(Path.of(args[0]))).build(BuildRequest.builder(new BuildRequest.Context.Directory(Path.of(args[1])))
                .dockerfile(new BuildRequest.DockerfileSource.File(Path.of(args[2])))
                .tag(args[3]).build());
    }
}
