package dev.jbuild.builder.internal;

import dev.jbuild.builder.BuildException;
import dev.jbuild.dockerfile.RunMount;
import dev.jbuild.runtime.Mount;
import dev.jbuild.store.ApplyMode;
import dev.jbuild.store.DirectoryTrees;
import dev.jbuild.store.LayerApplier;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Turns a RUN's {@code --mount} values into runtime mounts: context and stage binds, caches, tmpfs, secrets and SSH agents. */
final class RunMounts {
    /** The runtime mounts one {@code --mount} becomes (none for an optional secret that was not given). */
    record Resolved(List<Mount> mounts) {
        Resolved {
            mounts = List.copyOf(mounts);
        }
    }

    private RunMounts() {
    }

    /** Resolves {@code mount}; cache directories and SSH agent sockets come from what the step holds. */
    static Resolved resolve(StepContext context, RunMount mount, Path scratch, CacheMounts.StepCaches caches,
                            SshMounts agents) throws IOException, BuildException,
            InterruptedException {
        BuildSession session = context.session();
        int line = context.line();
        return switch (mount) {
            case RunMount.Bind bind -> {
                Path source;
                Optional<ContextTree> named = bind.from().isPresent() ? session.namedDirectory(bind.from().get())
                        : Optional.empty();
                if (bind.from().isPresent() && named.isEmpty()) {
                    Path root = flattened(context, bind.from().get(), scratch);
                    source = root.resolve(PathNames.inside(bind.source()));
                } else {
                    source = named.orElse(session.context).find(PathNames.inside(bind.source()))
                            .orElseThrow(() -> new BuildException(line, "line " + line + ": bind mount source \""
                                    + bind.source() + "\" not found in the build context"
                                    + bind.from().map(name -> " " + name).orElse(""), null));
                }
                if (!Files.exists(source, LinkOption.NOFOLLOW_LINKS)) {
                    throw new BuildException(line, "line " + line + ": bind mount source \"" + bind.source()
                            + "\" not found", null);
                }
                if (!bind.readOnly()) {
                    Path copy = scratch.resolve("bind-" + Integer.toHexString(bind.target().hashCode()));
                    DirectoryTrees.copy(source, copy);
                    source = copy;
                }
                yield new Resolved(List.of(new Mount.Bind(source, bind.target(), bind.readOnly())));
            }
            case RunMount.Cache cache -> new Resolved(List.of(cache.readOnly()
                    ? new Mount.Bind(caches.directory(cache), cache.target(), true)
                    : new Mount.Cache(caches.directory(cache), cache.target())));
            case RunMount.Tmpfs tmpfs -> new Resolved(List.of(new Mount.Tmpfs(tmpfs.target(), tmpfs.size().orElse(0))));
            case RunMount.Secret secret -> {
                Path file = session.request.secrets().get(secret.id());
                if (file == null || !Files.isRegularFile(file)) {
                    if (secret.required()) {
                        throw new BuildException(line, "line " + line + ": secret " + secret.id()
                                + " is required but was not given (--secret id=" + secret.id() + ",src=FILE)", null);
                    }
                    yield new Resolved(List.of());
                }
                if (secret.env().isPresent()) {
                    yield new Resolved(List.of());
                }
                yield new Resolved(List.of(new Mount.Secret(file, secret.target())));
            }
            case RunMount.Ssh ssh -> new Resolved(agents.socket(ssh)
                    .map(socket -> List.<Mount>of(new Mount.Bind(socket, ssh.target(), false))).orElse(List.of()));
        };
    }

    /** Environment variables a mount adds to the command: a secret as {@code env=}, an SSH agent's socket path. */
    static Map<String, String> environment(StepContext context, RunMount mount) throws IOException {
        if (mount instanceof RunMount.Secret secret && secret.env().isPresent()) {
            Path file = context.session().request.secrets().get(secret.id());
            if (file != null && Files.isRegularFile(file)) {
                return Map.of(secret.env().get(), Files.readString(file));
            }
        }
        if (mount instanceof RunMount.Ssh ssh && context.session().request.ssh().containsKey(ssh.id())) {
            return Map.of("SSH_AUTH_SOCK", ssh.target());
        }
        return Map.of();
    }

    private static Path flattened(StepContext context, String from, Path scratch) throws IOException, BuildException,
            InterruptedException {
        List<ImageState.LayerRef> layers = SourceStages.layers(context, from);
        Path root = scratch.resolve("from-" + Integer.toHexString(from.hashCode()));
        if (!Files.isDirectory(root)) {
            Files.createDirectories(root);
            for (ImageState.LayerRef layer : layers) {
                try (InputStream blob = context.session().store.open(layer.blob())) {
                    LayerApplier.apply(blob, root, ApplyMode.FLATTEN);
                }
            }
        }
        return root;
    }
}
