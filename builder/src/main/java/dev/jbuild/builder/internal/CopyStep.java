package dev.jbuild.builder.internal;

import dev.jbuild.builder.BuildException;
import dev.jbuild.dockerfile.ExpansionException;
import dev.jbuild.dockerfile.Heredoc;
import dev.jbuild.dockerfile.Instruction;
import dev.jbuild.oci.Digest;
import dev.jbuild.oci.Digester;
import dev.jbuild.store.ApplyMode;
import dev.jbuild.store.BlobWriter;
import dev.jbuild.store.LayerApplier;
import dev.jbuild.store.LayerBlob;
import dev.jbuild.store.LayerWriter;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.TreeMap;

/**
 * A COPY or ADD step: plans its entries from the context, another stage or an image (or heredocs,
 * URLs and local archives for ADD), keys the cache on their content, and writes them as a layer
 * straight from the sources, without a container.
 */
final class CopyStep {
    /** A local archive ADD unpacks, and the image directory it unpacks into. */
    private record Archive(Path file, String destination) {
    }

    private final StepContext context;
    private final List<CopyEntry> entries;
    private final List<Archive> archives;
    private final String createdBy;
    private final Digest content;

    private CopyStep(StepContext context, List<CopyEntry> entries, List<Archive> archives, String createdBy)
            throws IOException {
        this.context = context;
        this.entries = List.copyOf(entries);
        this.archives = List.copyOf(archives);
        this.createdBy = createdBy;
        Digester digester = Digester.sha256();
        byte[] entriesDigest = CopyStaging.contentDigest(this.entries).toString().getBytes(StandardCharsets.US_ASCII);
        digester.update(entriesDigest, 0, entriesDigest.length);
        for (Archive archive : this.archives) {
            byte[] line = (archive.destination() + "\0" + fileDigest(archive.file()) + "\n").getBytes(StandardCharsets.UTF_8);
            digester.update(line, 0, line.length);
        }
        this.content = digester.digest();
    }

    static CopyStep of(StepContext context, Instruction.Copy copy)
            throws ExpansionException, IOException, BuildException, InterruptedException {
        Optional<String> from = copy.from().isPresent() ? Optional.of(context.expand(copy.from().get())) : Optional.empty();
        FileTree tree = from.isPresent()
                ? context.session().layers.tree(SourceStages.layers(context, from.get()))
                : context.session().context;
        Flags flags = flags(context, copy.chown(), copy.chmod(), copy.excludes());
        String destination = context.expand(copy.destination());
        List<String> sources = new ArrayList<>();
        List<Heredoc> heredocs = new ArrayList<>();
        splitSources(context, copy.sources(), copy.heredocs(), sources, heredocs);
        FileTree image = copy.link() ? new LayeredTree(List.of()) : context.session().layers.tree(context.state().layers());
        String workingDir = context.state().config().config().workingDir();
        List<CopyEntry> entries = new ArrayList<>(plan(context, tree, image, new CopyPlanner.Request(sources, destination,
                workingDir, flags.owner(), flags.chmod(), flags.excludes(), copy.parents()), heredocs));
        addHeredocs(context, entries, heredocs, destination, workingDir, flags, sources.size() + heredocs.size());
        String createdBy = "COPY " + flagText(from, copy.chown(), copy.chmod(), copy.link(), copy.parents(), copy.excludes())
                + String.join(" ", sources) + (heredocs.isEmpty() ? "" : heredocNames(heredocs)) + " " + destination
                + " # buildkit";
        return new CopyStep(context, sorted(entries), List.of(), createdBy);
    }

    static CopyStep of(StepContext context, Instruction.Add add)
            throws ExpansionException, IOException, BuildException, InterruptedException {
        Flags flags = flags(context, add.chown(), add.chmod(), add.excludes());
        String destination = context.expand(add.destination());
        List<String> sources = new ArrayList<>();
        List<Heredoc> heredocs = new ArrayList<>();
        splitSources(context, add.sources(), add.heredocs(), sources, heredocs);
        String workingDir = context.state().config().config().workingDir();
        FileTree image = add.link() ? new LayeredTree(List.of()) : context.session().layers.tree(context.state().layers());
        List<String> local = new ArrayList<>();
        List<Archive> archives = new ArrayList<>();
        List<CopyEntry> entries = new ArrayList<>();
        String destinationPath = PathNames.absolute(destination, workingDir).substring(1);
        boolean unpack = add.unpack().orElse(true);
        for (String source : sources) {
            if (source.matches("(?i)^(git@|git://).*|.*\\.git(#.*)?$")) {
                throw new BuildException(context.line(), "line " + context.line()
                        + ": ADD of git repositories is not supported by jbuild; clone in a RUN step instead", null);
            }
            if (source.matches("(?i)^https?://.*")) {
                Path downloaded = UrlSources.download(context, source, add.checksum().map(c -> {
                    try {
                        return context.expand(c);
                    } catch (ExpansionException e) {
                        throw new IllegalArgumentException(e.getMessage(), e);
                    }
                }));
                ContextTree downloads = new ContextTree(downloaded.getParent(), IgnorePatterns.NONE);
                boolean intoDirectory = destination.endsWith("/") || sources.size() > 1;
                String target = intoDirectory ? destination + downloaded.getFileName() : destination;
                entries.addAll(plan(context, downloads, image, new CopyPlanner.Request(
                        List.of(downloaded.getFileName().toString()), target, workingDir, flags.owner(),
                        OptionalInt.of(flags.chmod().orElse(0600)), IgnorePatterns.NONE, false), List.of()));
                continue;
            }
            for (SourceMatcher.Match match : SourceMatcher.match(context.session().context, source)) {
                if (unpack && Files.isRegularFile(match.file()) && Archives.isArchive(match.file())) {
                    archives.add(new Archive(match.file(), destinationPath));
                } else {
                    local.add(match.path());
                }
            }
            if (!SourceMatcher.hasWildcards(source) && SourceMatcher.match(context.session().context, source).isEmpty()) {
                throw new BuildException(context.line(), "line " + context.line() + ": ADD failed: \"/"
                        + PathNames.inside(source) + "\": not found", null);
            }
        }
        if (!local.isEmpty()) {
            entries.addAll(plan(context, context.session().context, image, new CopyPlanner.Request(local, destination,
                    workingDir, flags.owner(), flags.chmod(), flags.excludes(), false), heredocs));
        }
        addHeredocs(context, entries, heredocs, destination, workingDir, flags, sources.size() + heredocs.size());
        String createdBy = "ADD " + flagText(Optional.empty(), add.chown(), add.chmod(), add.link(), false, add.excludes())
                + String.join(" ", sources) + (heredocs.isEmpty() ? "" : heredocNames(heredocs)) + " " + destination
                + " # buildkit";
        return new CopyStep(context, sorted(entries), archives, createdBy);
    }

    /** The step's cache key: its history text and the digest of everything it writes. */
    StepKey key() {
        return new StepKey(context.state().configDigest(), createdBy, new TreeMap<>(), content);
    }

    /** Writes the entries (and unpacks archives) into a directory and makes it the step's layer. */
    ImageState execute(int step) throws IOException {
        BuildSession session = context.session();
        Path staging = session.scratchDirectory("copy");
        Files.createDirectories(staging);
        FileTime created = FileTime.from(session.now());
        CopyStaging.write(entries, staging, created);
        for (Archive archive : archives) {
            Path target = staging.resolve(archive.destination());
            Files.createDirectories(target);
            try (InputStream in = Files.newInputStream(archive.file())) {
                LayerApplier.apply(in, target, ApplyMode.FLATTEN);
            }
        }
        LayerBlob blob;
        try (BlobWriter writer = session.store.newBlob()) {
            blob = LayerWriter.writeDirectory(staging, writer, session.layerOptions);
            writer.commit(blob.mediaType());
        }
        return context.state().withLayer(new ImageState.LayerRef(blob.descriptor(), blob.diffId()),
                context.history(createdBy, false));
    }

    private record Flags(Optional<UserDatabase.Owner> owner, OptionalInt chmod, IgnorePatterns excludes) {
    }

    private static Flags flags(StepContext context, Optional<String> chown, Optional<String> chmod, List<String> excludes)
            throws ExpansionException, IOException {
        Optional<UserDatabase.Owner> owner = Optional.empty();
        if (chown.isPresent()) {
            String spec = context.expand(chown.get());
            owner = Optional.of(users(context, spec).resolveChown(spec));
        }
        OptionalInt mode = chmod.isPresent() ? OptionalInt.of(FileModes.parseChmod(context.expand(chmod.get())))
                : OptionalInt.empty();
        List<String> patterns = context.expandEach(excludes);
        return new Flags(owner, mode, IgnorePatterns.parse(String.join("\n", patterns)));
    }

    private static UserDatabase users(StepContext context, String spec) throws IOException {
        if (spec.matches("[0-9]+(:[0-9]+)?")) {
            return UserDatabase.EMPTY;
        }
        LayeredTree image = context.session().layers.tree(context.state().layers());
        return UserDatabase.parse(read(image, "etc/passwd"), read(image, "etc/group"));
    }

    private static String read(FileTree tree, String path) throws IOException {
        Optional<SourceMatcher.Match> file = SourceMatcher.resolve(tree, path);
        return file.isPresent() && Files.isRegularFile(file.get().file()) ? Files.readString(file.get().file()) : "";
    }

    private static List<CopyEntry> plan(StepContext context, FileTree tree, FileTree image, CopyPlanner.Request request,
                                        List<Heredoc> heredocs) throws IOException, BuildException {
        if (request.sources().isEmpty()) {
            return List.of();
        }
        try {
            return CopyPlanner.plan(tree, image, heredocs.isEmpty() ? request : new CopyPlanner.Request(
                    request.sources(), request.destination().endsWith("/") ? request.destination()
                    : request.destination() + "/", request.workingDir(), request.owner(), request.chmod(),
                    request.excludes(), request.parents()));
        } catch (CopyPlanner.CopyException e) {
            throw new BuildException(context.line(), "line " + context.line() + ": " + e.getMessage(), null);
        }
    }

    private static void splitSources(StepContext context, List<String> written, List<Heredoc> available,
                                     List<String> sources, List<Heredoc> heredocs) throws ExpansionException {
        for (String source : written) {
            if (source.startsWith("<<")) {
                String name = source.replaceFirst("^<<-?", "").replace("\"", "").replace("'", "");
                available.stream().filter(h -> h.name().equals(name)).findFirst().ifPresent(heredocs::add);
            } else {
                sources.add(context.expand(source));
            }
        }
    }

    private static void addHeredocs(StepContext context, List<CopyEntry> entries, List<Heredoc> heredocs,
                                    String destination, String workingDir, Flags flags, int sourceCount)
            throws ExpansionException {
        String base = PathNames.absolute(destination, workingDir).substring(1);
        boolean intoDirectory = destination.endsWith("/") || sourceCount > 1;
        for (Heredoc heredoc : heredocs) {
            String text = heredoc.expand()
                    ? context.lexer().ignoringQuotes().keepingEscapes().processWord(heredoc.effectiveContent(), context.environment())
                    : heredoc.effectiveContent();
            String path = intoDirectory ? PathNames.join(base, heredoc.name()) : base;
            int uid = flags.owner().map(UserDatabase.Owner::uid).orElse(0);
            int gid = flags.owner().map(UserDatabase.Owner::gid).orElse(0);
            entries.add(new CopyEntry(path, CopyEntry.Kind.FILE, Optional.empty(), text.getBytes(StandardCharsets.UTF_8),
                    null, flags.chmod().orElse(0644), uid, gid));
            for (String parent = PathNames.parent(path); !parent.isEmpty(); parent = PathNames.parent(parent)) {
                String directory = parent;
                if (entries.stream().noneMatch(e -> e.path().equals(directory))) {
                    entries.add(new CopyEntry(directory, CopyEntry.Kind.DIRECTORY, Optional.empty(), null, null, 0755, uid, gid));
                }
            }
        }
    }

    private static List<CopyEntry> sorted(List<CopyEntry> entries) {
        TreeMap<String, CopyEntry> byPath = new TreeMap<>();
        for (CopyEntry entry : entries) {
            byPath.put(entry.path(), entry);
        }
        return List.copyOf(byPath.values());
    }

    private static String heredocNames(List<Heredoc> heredocs) {
        StringBuilder names = new StringBuilder();
        for (Heredoc heredoc : heredocs) {
            names.append(" <<").append(heredoc.name());
        }
        return names.toString();
    }

    private static String flagText(Optional<String> from, Optional<String> chown, Optional<String> chmod, boolean link,
                                   boolean parents, List<String> excludes) {
        StringBuilder text = new StringBuilder();
        from.ifPresent(value -> text.append("--from=").append(value).append(' '));
        chown.ifPresent(value -> text.append("--chown=").append(value).append(' '));
        chmod.ifPresent(value -> text.append("--chmod=").append(value).append(' '));
        if (link) {
            text.append("--link ");
        }
        if (parents) {
            text.append("--parents ");
        }
        for (String exclude : excludes) {
            text.append("--exclude=").append(exclude).append(' ');
        }
        return text.toString();
    }

    private static String fileDigest(Path file) throws IOException {
        Digester digester = Digester.sha256();
        try (InputStream in = Files.newInputStream(file)) {
            byte[] buffer = new byte[64 * 1024];
            for (int n; (n = in.read(buffer)) > 0; ) {
                digester.update(buffer, 0, n);
            }
        }
        return digester.digest().toString();
    }
}
