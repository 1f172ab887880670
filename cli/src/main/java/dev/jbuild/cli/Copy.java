package dev.jbuild.cli;

import dev.jbuild.oci.ContentCopy;
import dev.jbuild.oci.ContentSink;
import dev.jbuild.oci.ContentSource;
import dev.jbuild.oci.Platform;
import dev.jbuild.registry.Registry;
import dev.jbuild.registry.RegistryRepository;
import dev.jbuild.store.Store;
import java.io.Closeable;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code jbuild copy SRC DST}: copies an image between registries, OCI layouts, docker-archives and the store. */
@Command(name = "copy", mixinStandardHelpOptions = true,
        description = "Copy an image between docker://REGISTRY/NAME[:TAG], oci:DIR[:TAG], "
                + "docker-archive:FILE[:NAME[:TAG]] and the store (a bare name).")
final class Copy implements Callable<Integer> {
    @ParentCommand
    JbuildCommand parent;

    @Parameters(index = "0", paramLabel = "SRC")
    String source;

    @Parameters(index = "1", paramLabel = "DST")
    String destination;

    @Mixin
    PlatformChoice platforms;

    @Mixin
    LoginOptions login;

    @Mixin
    ProgressOptions progressOptions;

    @Mixin
    PushFormat format;

    @Override
    public Integer call() throws Exception {
        CopyLocation from = CopyLocation.parse(source);
        CopyLocation to = CopyLocation.parse(destination);
        Platform wanted = platforms.wanted();
        if (format.docker() && !(to instanceof CopyLocation.RegistryLocation)) {
            throw new UsageException("--format docker applies to docker:// destinations only, not " + destination);
        }
        Progress progress = progressOptions.open("copy");
        ContentCopy.Result result;
        try (Registry registry = login.open(); progress) {
            CopyLocation.Context context = new CopyLocation.Context(registry, () -> Store.open(parent.storeRoot()));
            ContentSink sink = to.sink(context);
            if (from instanceof CopyLocation.RegistryLocation(var src) && to instanceof CopyLocation.RegistryLocation(var dst)
                    && src.registry().equals(dst.registry()) && !src.repository().equals(dst.repository())
                    && sink instanceof RegistryRepository repository) {
                sink = repository.withMountSources(List.of(src.repository()));
            }
            ContentSource origin = from.source(context);
            if (sink instanceof RegistryRepository repository) {
                sink = format.apply(repository.withResendSource(origin));
            }
            try {
                ContentCopy copy = new ContentCopy(origin, sink, wanted, login.jobs, progress);
                result = origin instanceof Store store && getsCompressedLayers(to)
                        ? copy.copy(store.withCompressedLayers(store.resolve(from.identifier()), progress::compressing), to.destinationTag())
                        : copy.copy(from.identifier(), to.destinationTag());
                if (sink instanceof RegistryRepository repository) {
                    result = format.report(result, repository);
                }
            } finally {
                closeIfCloseable(origin);
            }
            // Archives are only complete (and in place) once closed, so a close failure fails the copy.
            closeIfCloseable(sink);
        }
        System.out.println(Pull.summary("copied", source + " to " + destination, result, progress));
        return ExitCode.OK;
    }

    /** True for destinations that get gzip layers; a docker archive keeps them uncompressed, as {@code docker save} does. */
    private static boolean getsCompressedLayers(CopyLocation destination) {
        return destination instanceof CopyLocation.RegistryLocation || destination instanceof CopyLocation.LayoutLocation;
    }

    private static void closeIfCloseable(Object side) throws IOException {
        if (side instanceof Closeable closeable) {
            closeable.close();
        }
    }
}
