package dev.jbuild.builder;

import dev.jbuild.builder.internal.GitSources;
import dev.jbuild.oci.Platform;
import dev.jbuild.oci.Reference;
import dev.jbuild.runtime.Isolation;
import dev.jbuild.runtime.Limits;
import dev.jbuild.runtime.Rlimit;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;

/**
 * Everything one {@code jbuild build} needs; make one with {@link #builder(Context)}.
 *
 * @param context          the build context: a directory, or a tar stream (context {@code -})
 * @param dockerfile       the Dockerfile: a file, or text (from {@code -f -}); empty means {@code Dockerfile} in the context
 * @param namedContexts    {@code --build-context}: contexts by name (lower case), read instead of a stage or image of that name
 * @param tags             the references to tag the image with (normalised as Docker does); with the names of
 *                         registry outputs ({@code name=})
 * @param buildArgs        {@code --build-arg} values
 * @param target           {@code --target} stage; empty builds the last stage
 * @param platform         {@code --platform}; empty means this machine's
 * @param noCache          {@code --no-cache}: run every step
 * @param noCacheFilter    {@code --no-cache-filter}: stages whose steps always run
 * @param cacheFrom        {@code --cache-from}: shared caches to look in when the store's own cache misses
 * @param cacheTo          {@code --cache-to}: where to write the build's step results for other machines
 * @param pull             {@code --pull}: fetch base images even when the store has them
 * @param secrets          {@code --secret id=…,src=…}: id to file
 * @param ssh              {@code --ssh id=socket}: id to agent socket
 * @param run              how every RUN step runs: network, hosts, limits, isolation, entitlements
 * @param labels           {@code --label} values added to the image config
 * @param annotations      {@code --annotation} values written on the manifest, index or descriptors
 * @param outputs          where the image goes besides the store
 * @param provenance       {@code --provenance}: the attestation attached to pushed images and OCI layout outputs
 * @param iidFile          {@code --iidfile}: where to write the image ID
 * @param metadataFile     {@code --metadata-file}: where to write the build's JSON metadata
 * @param format           the manifest and config media types
 * @param sourceDateEpoch  {@code SOURCE_DATE_EPOCH}: the time of every history entry, config and clamped layer mtime
 * @param progress         receives the build's events
 */
public record BuildRequest(Context context, Optional<DockerfileSource> dockerfile,
                           Map<String, NamedContext> namedContexts, List<String> tags,
                           Map<String, String> buildArgs, Optional<String> target, Optional<Platform> platform,
                           boolean noCache, Set<String> noCacheFilter, List<CacheLocation> cacheFrom,
                           List<CacheExport> cacheTo, boolean pull, Map<String, Path> secrets,
                           Map<String, Path> ssh, RunSettings run, Map<String, String> labels, List<Annotation> annotations, List<Output> outputs,
                           Optional<Provenance> provenance, Optional<Path> iidFile, Optional<Path> metadataFile, ImageFormat format,
                           OptionalLong sourceDateEpoch, ProgressListener progress) {

    /** The build context. */
    public sealed interface Context {
        /** A directory on disk. */
        record Directory(Path path) implements Context {
            public Directory {
                Objects.requireNonNull(path, "path");
            }
        }

        /** A tar stream (plain or compressed) holding the context, as {@code docker build -} reads. */
        record Tarball(InputStream stream) implements Context {
            public Tarball {
                Objects.requireNonNull(stream, "stream");
            }
        }

        /**
         * A git repository, as {@code docker build URL#REF:DIR} takes it: the commit REF names
         * (default: the remote's HEAD) is fetched, shallow, and DIR in it is the context.
         */
        record Git(String url) implements Context {
            public Git {
                Objects.requireNonNull(url, "url");
                if (!isGitUrl(url)) {
                    throw new IllegalArgumentException("not a git repository URL: " + url);
                }
            }

            /** True for what docker build reads as a git repository: {@code git@…}, {@code git://}, {@code ssh://}, {@code https://….git}. */
            public static boolean isGitUrl(String text) {
                return GitSources.isGit(text);
            }
        }
    }

    /** Where the Dockerfile comes from. */
    public sealed interface DockerfileSource {
        /** A file; relative paths are relative to the current directory, as {@code -f} is. */
        record File(Path path) implements DockerfileSource {
            public File {
                Objects.requireNonNull(path, "path");
            }
        }

        /** The Dockerfile's text ({@code -f -}). */
        record Text(String text) implements DockerfileSource {
            public Text {
                Objects.requireNonNull(text, "text");
            }
        }
    }

    public BuildRequest {
        Objects.requireNonNull(context, "context");
        Objects.requireNonNull(dockerfile, "dockerfile");
        namedContexts = Map.copyOf(namedContexts);
        // buildx's --output type=registry,name=REF (or type=image) names the image too
        List<String> named = new ArrayList<>(tags);
        for (Output output : outputs) {
            List<String> names = switch (output) {
                case Output.Registry registry -> registry.names();
                case Output.LocalStore store -> store.names();
                default -> List.of();
            };
            names.stream().filter(name -> !named.contains(name)).forEach(named::add);
        }
        tags = List.copyOf(named);
        for (String tag : tags) {
            Reference reference = Reference.parse(tag);
            if (reference.digest() != null) {
                throw new IllegalArgumentException("invalid tag \"" + tag + "\": a tag cannot hold a digest");
            }
        }
        buildArgs = Map.copyOf(buildArgs);
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(platform, "platform");
        noCacheFilter = Set.copyOf(noCacheFilter);
        cacheFrom = List.copyOf(cacheFrom);
        cacheTo = List.copyOf(cacheTo);
        secrets = Map.copyOf(secrets);
        ssh = Map.copyOf(ssh);
        Objects.requireNonNull(run, "run");
        labels = Map.copyOf(labels);
        annotations = List.copyOf(annotations);
        Objects.requireNonNull(provenance, "provenance");
        outputs = List.copyOf(outputs);
        Objects.requireNonNull(iidFile, "iidFile");
        Objects.requireNonNull(metadataFile, "metadataFile");
        Objects.requireNonNull(format, "format");
        Objects.requireNonNull(sourceDateEpoch, "sourceDateEpoch");
        if (sourceDateEpoch.isPresent() && sourceDateEpoch.getAsLong() < 0) {
            throw new IllegalArgumentException("SOURCE_DATE_EPOCH must not be negative: " + sourceDateEpoch.getAsLong());
        }
        Objects.requireNonNull(progress, "progress");
        if (format == ImageFormat.DOCKER && !annotations.isEmpty()) {
            throw new IllegalArgumentException("--format docker manifests have no annotations: use --label, or OCI");
        }
        if (format == ImageFormat.DOCKER && outputs.stream().anyMatch(o -> o instanceof Output.OciLayout)) {
            throw new IllegalArgumentException("--format docker cannot be written as an OCI layout output");
        }
        if (format == ImageFormat.DOCKER && provenance.isPresent()) {
            throw new IllegalArgumentException("--format docker cannot carry attestations: they need an OCI index");
        }
        if (outputs.stream().filter(Output::toStandardOutput).count() > 1) {
            throw new IllegalArgumentException("only one --output can go to standard output");
        }
    }

    /** A builder for a request over {@code context}, with Docker's defaults. */
    public static Builder builder(Context context) {
        return new Builder(context);
    }

    /** Collects a {@link BuildRequest}; every setter returns the builder. */
    public static final class Builder {
        private final Context context;
        private Optional<DockerfileSource> dockerfile = Optional.empty();
        private final Map<String, NamedContext> namedContexts = new LinkedHashMap<>();
        private final List<String> tags = new ArrayList<>();
        private final Map<String, String> buildArgs = new LinkedHashMap<>();
        private Optional<String> target = Optional.empty();
        private Optional<Platform> platform = Optional.empty();
        private boolean noCache;
        private Set<String> noCacheFilter = Set.of();
        private final List<CacheLocation> cacheFrom = new ArrayList<>();
        private final List<CacheExport> cacheTo = new ArrayList<>();
        private boolean pull;
        private final Map<String, Path> secrets = new LinkedHashMap<>();
        private final Map<String, Path> ssh = new LinkedHashMap<>();
        private String network = "default";
        private final List<ExtraHost> extraHosts = new ArrayList<>();
        private final List<Rlimit> ulimits = new ArrayList<>();
        private long shmSize;
        private Limits limits = Limits.NONE;
        private Optional<Isolation> isolation = Optional.empty();
        private final Set<String> entitlements = new LinkedHashSet<>();
        private final Map<String, String> labels = new LinkedHashMap<>();
        private final List<Annotation> annotations = new ArrayList<>();
        private final List<Output> outputs = new ArrayList<>();
        private Optional<Path> iidFile = Optional.empty();
        private Optional<Path> metadataFile = Optional.empty();
        private Optional<Provenance> provenance = Optional.empty();
        private ImageFormat format = ImageFormat.OCI;
        private OptionalLong sourceDateEpoch = OptionalLong.empty();
        private ProgressListener progress = ProgressListener.NONE;

        private Builder(Context context) {
            this.context = context;
        }

        public Builder dockerfile(DockerfileSource source) {
            dockerfile = Optional.of(source);
            return this;
        }

        public Builder buildContext(NamedContext.Named named) {
            namedContexts.put(named.name(), named.context());
            return this;
        }

        public Builder tag(String tag) {
            tags.add(tag);
            return this;
        }

        public Builder buildArg(String name, String value) {
            buildArgs.put(name, value);
            return this;
        }

        public Builder target(String stage) {
            target = Optional.of(stage);
            return this;
        }

        public Builder platform(Platform value) {
            platform = Optional.of(value);
            return this;
        }

        public Builder noCache(boolean value) {
            noCache = value;
            return this;
        }

        public Builder noCacheFilter(Set<String> stages) {
            noCacheFilter = stages;
            return this;
        }

        public Builder cacheFrom(CacheLocation location) {
            cacheFrom.add(Objects.requireNonNull(location, "location"));
            return this;
        }

        public Builder cacheTo(CacheExport export) {
            cacheTo.add(Objects.requireNonNull(export, "export"));
            return this;
        }

        public Builder pull(boolean value) {
            pull = value;
            return this;
        }

        public Builder network(String mode) {
            network = Objects.requireNonNull(mode, "mode");
            return this;
        }

        public Builder ulimit(Rlimit limit) {
            ulimits.add(Objects.requireNonNull(limit, "limit"));
            return this;
        }

        public Builder shmSize(long bytes) {
            shmSize = bytes;
            return this;
        }

        /** The cgroup limits of every RUN step ({@code --memory}, {@code --cpu-quota}). */
        public Builder limits(Limits value) {
            limits = Objects.requireNonNull(value, "value");
            return this;
        }

        public Builder isolation(Isolation value) {
            isolation = Optional.of(value);
            return this;
        }

        public Builder addHost(ExtraHost host) {
            extraHosts.add(Objects.requireNonNull(host, "host"));
            return this;
        }

        public Builder secret(String id, Path file) {
            secrets.put(id, file);
            return this;
        }

        public Builder ssh(String id, Path socket) {
            ssh.put(id, socket);
            return this;
        }

        /** Allows steps an entitlement ({@code --allow}), such as {@value RunSettings#SECURITY_INSECURE}. */
        public Builder allow(String entitlement) {
            entitlements.add(entitlement);
            return this;
        }

        public Builder label(String key, String value) {
            labels.put(key, value);
            return this;
        }

        public Builder annotation(Annotation annotation) {
            annotations.add(Objects.requireNonNull(annotation, "annotation"));
            return this;
        }

        public Builder output(Output output) {
            outputs.add(output);
            return this;
        }

        public Builder iidFile(Path file) {
            iidFile = Optional.of(file);
            return this;
        }

        public Builder metadataFile(Path file) {
            metadataFile = Optional.of(file);
            return this;
        }

        public Builder format(ImageFormat value) {
            format = value;
            return this;
        }

        public Builder sourceDateEpoch(long epochSeconds) {
            sourceDateEpoch = OptionalLong.of(epochSeconds);
            return this;
        }

        public Builder progress(ProgressListener listener) {
            progress = listener;
            return this;
        }

        /** {@code --provenance}: attach a provenance attestation to pushed images and OCI layout outputs. */
        public Builder provenance(Provenance attestation) {
            provenance = Optional.of(attestation);
            return this;
        }

        public BuildRequest build() {
            return new BuildRequest(context, dockerfile, namedContexts, tags, buildArgs, target, platform, noCache, noCacheFilter,
                    cacheFrom, cacheTo, pull, secrets, ssh,
                    new RunSettings(network, extraHosts, ulimits, shmSize, limits, isolation, entitlements), labels, annotations,
                    outputs, provenance, iidFile, metadataFile, format, sourceDateEpoch, progress);
        }
    }
}
