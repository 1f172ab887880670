package dev.jbuild.builder.internal;

import dev.jbuild.builder.BuildEvent;
import dev.jbuild.builder.BuildRequest;
import dev.jbuild.builder.Material;
import dev.jbuild.builder.Output;
import dev.jbuild.builder.Provenance;
import dev.jbuild.oci.ContainerConfig;
import dev.jbuild.oci.Descriptor;
import dev.jbuild.oci.Digest;
import dev.jbuild.oci.ImageConfig;
import dev.jbuild.oci.Index;
import dev.jbuild.oci.Json;
import dev.jbuild.oci.Manifest;
import dev.jbuild.oci.MediaType;
import dev.jbuild.oci.Platform;
import dev.jbuild.oci.Reference;
import dev.jbuild.oci.RootFs;
import dev.jbuild.store.DirectoryTrees;
import dev.jbuild.store.Store;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Attaches SLSA provenance (v1, as BuildKit writes it) to an exported image: each image manifest
 * gets an attestation manifest beside it in an OCI index, stored as BuildKit's attestation storage
 * describes (platform {@code unknown/unknown}, annotations naming the manifest it is about, one
 * in-toto statement as its layer). The statement's subject is the exported manifest, so it is made
 * after the layers are compressed. A file-tree output carries the statement as a file instead.
 */
public final class ProvenanceAttestations {
    static final String IN_TOTO = "application/vnd.in-toto+json";
    static final String REFERENCE_TYPE = "vnd.docker.reference.type";
    static final String REFERENCE_DIGEST = "vnd.docker.reference.digest";
    /** BuildKit's definitions of the fields; jbuild fills them the same way, so readers of BuildKit's provenance read it. */
    private static final String BUILD_TYPE = "https://github.com/moby/buildkit/blob/master/docs/attestations/slsa-definitions.md";
    private static final Platform UNKNOWN = new Platform("unknown", "unknown");

    /** What one platform's build did, for its statement; {@code hermetic}: no RUN step had network. */
    public record Run(Instant startedOn, Instant finishedOn, List<Material> materials, boolean hermetic) {
        public Run {
            Objects.requireNonNull(startedOn, "startedOn");
            Objects.requireNonNull(finishedOn, "finishedOn");
            materials = List.copyOf(materials);
        }
    }

    private final Store store;
    private final BuildRequest request;
    private final DockerfileText dockerfile;
    private final Provenance provenance;
    private final Map<Platform, Run> runs;
    private final String invocationId = invocationId();

    private ProvenanceAttestations(Store store, BuildRequest request, DockerfileText dockerfile, Provenance provenance,
                                   Map<Platform, Run> runs) {
        this.store = store;
        this.request = request;
        this.dockerfile = dockerfile;
        this.provenance = provenance;
        this.runs = Map.copyOf(runs);
    }

    /**
     * The attestations {@code request} asks for, of a build of {@code dockerfile} whose platform builds did {@code runs}; none
     * when it asks for none. When no output of the request can carry them (the store and a docker archive
     * cannot, nor file trees with inline-only) its progress says so, rather than nothing happening without a word.
     */
    public static Optional<ProvenanceAttestations> of(Store store, BuildRequest request, DockerfileText dockerfile,
                                                      Map<Platform, Run> runs) {
        if (request.provenance().isEmpty()) {
            return Optional.empty();
        }
        Provenance provenance = request.provenance().get();
        if (request.outputs().stream().noneMatch(output -> switch (output) {
            case Output.Registry registry -> true;
            case Output.OciLayout layout -> true;
            case Output.LocalDirectory tree -> !provenance.inlineOnly();
            case Output.Tarball tree -> !provenance.inlineOnly();
            case Output.DockerArchive archive -> false;
            case Output.LocalStore localStore -> false;
        })) {
            request.progress().onEvent(new BuildEvent.Message("no provenance attestation is written: neither the "
                    + "store nor a docker archive carries one" + (provenance.inlineOnly()
                    ? ", and inline-only=true keeps it out of file trees" : "")));
        }
        return Optional.of(new ProvenanceAttestations(store, request, dockerfile, provenance, runs));
    }

    /**
     * {@code root} (an image manifest, or an index of them) with an attestation for each image, in an
     * OCI index; {@code names} are the references the image is exported as, for the subjects.
     */
    public Descriptor attach(Descriptor root, List<String> names) throws IOException {
        if (MediaType.isIndex(root.mediaType())) {
            Index index = Index.parse(store.readAll(root));
            List<Descriptor> manifests = new ArrayList<>(index.manifests());
            for (Descriptor child : index.manifests()) {
                if (child.platform() != null && !child.annotations().containsKey(REFERENCE_TYPE)) {
                    manifests.add(attestation(child, child.platform(), names));
                }
            }
            return store.writeBlob(MediaType.OCI_INDEX, index.withManifests(manifests).toJson());
        }
        Platform platform = store.image(root.digest().toString()).config().platform();
        Descriptor image = new Descriptor(root.mediaType(), root.digest(), root.size()).withPlatform(platform);
        Index index = Index.of(false, List.of(image, attestation(image, platform, names)));
        return store.writeBlob(MediaType.OCI_INDEX, index.toJson());
    }

    /**
     * The name file-tree outputs carry the statement under; empty when it goes into images only
     * ({@code inline-only=true}).
     */
    public Optional<String> fileName() {
        return provenance.inlineOnly() ? Optional.empty() : Optional.of(provenance.filename());
    }

    /**
     * Writes the statement about the file tree {@code tree}, the output of the build of {@code platform},
     * into it under the provenance's file name, as BuildKit's local and tar exporters do: its subjects are the
     * tree's regular files, by path from the tree, in the order a walk of the sorted tree meets them.
     * Whatever the image had at that name is replaced, without following a link.
     */
    public void writeInto(Path tree, Platform platform) throws IOException {
        List<Object> subjects = new ArrayList<>();
        addFileSubjects(tree, "", subjects);
        byte[] statement = Json.writePretty(statement(subjects, platform)).getBytes(StandardCharsets.UTF_8);
        Path file = tree.resolve(provenance.filename());
        DirectoryTrees.delete(file);
        Files.write(file, statement, StandardOpenOption.CREATE_NEW);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        if (request.sourceDateEpoch().isPresent()) {
            Files.setLastModifiedTime(file, FileTime.from(request.sourceDateEpoch().getAsLong(), TimeUnit.SECONDS));
        }
    }

    private static void addFileSubjects(Path directory, String prefix, List<Object> subjects) throws IOException {
        List<Path> children;
        try (Stream<Path> listed = Files.list(directory)) {
            children = listed.sorted(Comparator.comparing(path -> path.getFileName().toString())).toList();
        }
        for (Path child : children) {
            String name = prefix + child.getFileName();
            BasicFileAttributes attributes = Files.readAttributes(child, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            if (attributes.isDirectory()) {
                addFileSubjects(child, name + "/", subjects);
            } else if (attributes.isRegularFile()) {
                subjects.add(subject(name, Digest.sha256(child)));
            }
        }
    }

    private Descriptor attestation(Descriptor image, Platform platform, List<String> names) throws IOException {
        List<Object> subjects = new ArrayList<>();
        for (String name : names.isEmpty() ? List.of("") : names) {
            subjects.add(subject(name.isEmpty() ? "_" : Material.packageUrl(Reference.parse(name), platform),
                    image.digest()));
        }
        byte[] statement = Json.write(statement(subjects, platform));
        Descriptor layer = store.writeBlob(IN_TOTO, statement)
                .withAnnotations(Map.of("in-toto.io/predicate-type", provenance.version().predicateType()));
        ImageConfig config = new ImageConfig(null, "", UNKNOWN.architecture(), UNKNOWN.os(), "", List.of(), "",
                ContainerConfig.EMPTY, RootFs.of(List.of(layer.digest())), List.of(), Map.of());
        Descriptor configBlob = store.writeBlob(MediaType.OCI_CONFIG, config.toJson());
        Descriptor manifest = store.writeBlob(MediaType.OCI_MANIFEST,
                Manifest.of(false, configBlob, List.of(layer)).toJson());
        return manifest.withPlatform(UNKNOWN).withAnnotations(Map.of(
                REFERENCE_DIGEST, image.digest().toString(),
                REFERENCE_TYPE, "attestation-manifest"));
    }

    private static Map<String, Object> subject(String name, Digest digest) {
        return object("name", name, "digest", object(digest.algorithm(), digest.encoded()));
    }

    private Map<String, Object> statement(List<Object> subjects, Platform platform) throws IOException {
        Run run = runs.entrySet().stream().filter(entry -> entry.getKey().matches(platform)).map(Map.Entry::getValue)
                .findFirst().orElseThrow(() -> new IOException("no build of " + platform.format() + " to attest"));
        Map<String, Object> statement = new LinkedHashMap<>();
        statement.put("_type", "https://in-toto.io/Statement/v1");
        statement.put("subject", subjects);
        statement.put("predicateType", provenance.version().predicateType());
        statement.put("predicate", switch (provenance.version()) {
            case V1 -> object("buildDefinition", buildDefinition(run), "runDetails", runDetails(run));
            case V0_2 -> predicateV02(run);
        });
        return statement;
    }

    private Map<String, Object> buildDefinition(Run run) {
        Map<String, Object> definition = new LinkedHashMap<>();
        definition.put("buildType", BUILD_TYPE);
        definition.put("externalParameters", object("configSource", configSource(run, "path"), "request", parameters()));
        definition.put("internalParameters", object("builderPlatform", builderPlatform()));
        definition.put("resolvedDependencies", materials(run));
        return definition;
    }

    private Map<String, Object> runDetails(Run run) {
        Map<String, Object> metadata = new LinkedHashMap<>();
        metadata.put("invocationId", invocationId);
        metadata.put("startedOn", DateTimeFormatter.ISO_INSTANT.format(run.startedOn()));
        metadata.put("finishedOn", DateTimeFormatter.ISO_INSTANT.format(run.finishedOn()));
        metadata.put("buildkit_reproducible", provenance.reproducible());
        metadata.put("buildkit_completeness", object("request", provenance.mode() == Provenance.Mode.MAX,
                "resolvedDependencies", materialsComplete()));
        metadata.put("buildkit_hermetic", run.hermetic());
        metadata.put("buildkit_metadata", buildkitMetadata());
        return object("builder", object("id", builderId()), "metadata", metadata);
    }

    /** The predicate of SLSA provenance v0.2, as BuildKit fills it (the same facts as v1, under v0.2's names). */
    private Map<String, Object> predicateV02(Run run) {
        Map<String, Object> predicate = new LinkedHashMap<>();
        predicate.put("builder", object("id", builderId()));
        predicate.put("buildType", "https://mobyproject.org/buildkit@v1");
        predicate.put("materials", materials(run));
        predicate.put("invocation", object("configSource", configSource(run, "entryPoint"),
                "parameters", parameters(), "environment", object("platform", builderPlatform())));
        Map<String, Object> metadata = new LinkedHashMap<>();
        metadata.put("buildInvocationID", invocationId);
        metadata.put("buildStartedOn", DateTimeFormatter.ISO_INSTANT.format(run.startedOn()));
        metadata.put("buildFinishedOn", DateTimeFormatter.ISO_INSTANT.format(run.finishedOn()));
        metadata.put("completeness", object("parameters", provenance.mode() == Provenance.Mode.MAX,
                "environment", true, "materials", materialsComplete()));
        metadata.put("reproducible", provenance.reproducible());
        metadata.put("https://mobyproject.org/buildkit@v1#metadata", buildkitMetadata());
        if (run.hermetic()) {
            // BuildKit leaves the field out when it is false
            metadata.put("https://mobyproject.org/buildkit@v1#hermetic", true);
        }
        predicate.put("metadata", metadata);
        return predicate;
    }

    /** The frontend request: its arguments, the local sources, and in max mode the secret and SSH ids. */
    private Map<String, Object> parameters() {
        Map<String, Object> parameters = new LinkedHashMap<>();
        parameters.put("frontend", "dockerfile.v0");
        parameters.put("args", arguments());
        parameters.put("locals", gitContext().isPresent() ? List.of()
                : List.of(object("name", "context"), object("name", "dockerfile")));
        if (provenance.mode() == Provenance.Mode.MAX) {
            parameters.put("secrets", request.secrets().keySet().stream().map(id -> object("id", id)).toList());
            parameters.put("ssh", request.ssh().keySet().stream().map(id -> object("id", id)).toList());
        }
        return parameters;
    }

    /** Where the build's definition came from: a git context with its commit, and the Dockerfile's path under {@code pathKey}. */
    private Map<String, Object> configSource(Run run, String pathKey) {
        Map<String, Object> configSource = new LinkedHashMap<>();
        gitContext().ifPresent(url -> {
            configSource.put("uri", url);
            String remote = GitSources.parse(url).remote();
            run.materials().stream().filter(material -> material.uri().equals(remote)).findFirst()
                    .ifPresent(commit -> configSource.put("digest", object(commit.algorithm(), commit.digest())));
        });
        configSource.put(pathKey, dockerfile.name());
        return configSource;
    }

    private static List<Object> materials(Run run) {
        return run.materials().stream()
                .map(material -> (Object) object("uri", material.uri(), "digest",
                        object(material.algorithm(), material.digest())))
                .toList();
    }

    /** Whether the materials are all the build used: a local context is pinned by no digest, a git context is. */
    private boolean materialsComplete() {
        return gitContext().isPresent();
    }

    /** BuildKit's own metadata: in max mode, the Dockerfile. */
    private Map<String, Object> buildkitMetadata() {
        Map<String, Object> buildkit = new LinkedHashMap<>();
        if (provenance.mode() == Provenance.Mode.MAX) {
            buildkit.put("source", object("infos", List.of(object("filename", dockerfile.name(),
                    "language", "Dockerfile", "data",
                    Base64.getEncoder().encodeToString(dockerfile.text().getBytes(StandardCharsets.UTF_8))))));
        }
        return buildkit;
    }

    private String builderId() {
        return provenance.builderId().orElseGet(ProvenanceAttestations::ciRunUrl);
    }

    private static String builderPlatform() {
        return Platform.current().normalized().format();
    }

    /** The frontend arguments BuildKit would have received; build-arg and label values only in max mode. */
    private Map<String, Object> arguments() {
        Map<String, Object> arguments = new LinkedHashMap<>();
        if (provenance.mode() == Provenance.Mode.MAX) {
            request.buildArgs().forEach((name, value) -> arguments.put("build-arg:" + name, value));
            request.labels().forEach((name, value) -> arguments.put("label:" + name, value));
        }
        request.target().ifPresent(target -> arguments.put("target", target));
        request.namedContexts().keySet().forEach(name -> arguments.put("context:" + name, ""));
        if (request.noCache()) {
            arguments.put("no-cache", "");
        }
        return arguments;
    }

    /** The URL of a git build context. */
    private Optional<String> gitContext() {
        return request.context() instanceof BuildRequest.Context.Git git ? Optional.of(git.url()) : Optional.empty();
    }

    /** The URL of the CI run this build is part of, as buildx sets the builder id on GitHub Actions; else empty. */
    private static String ciRunUrl() {
        String server = System.getenv("GITHUB_SERVER_URL");
        String repository = System.getenv("GITHUB_REPOSITORY");
        String run = System.getenv("GITHUB_RUN_ID");
        if (server == null || repository == null || run == null) {
            return "";
        }
        String attempt = System.getenv("GITHUB_RUN_ATTEMPT");
        return server + "/" + repository + "/actions/runs/" + run + (attempt == null ? "" : "/attempts/" + attempt);
    }

    /** A random id of 25 lower-case letters and digits, the form of BuildKit's invocation ids. */
    private static String invocationId() {
        String alphabet = "abcdefghijklmnopqrstuvwxyz0123456789";
        StringBuilder id = new StringBuilder();
        for (int i = 0; i < 25; i++) {
            id.append(alphabet.charAt(ThreadLocalRandom.current().nextInt(alphabet.length())));
        }
        return id.toString();
    }

    private static Map<String, Object> object(Object... keysAndValues) {
        Map<String, Object> object = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            object.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return object;
    }
}
