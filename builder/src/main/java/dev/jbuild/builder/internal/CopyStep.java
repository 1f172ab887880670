package dev.jbuild.builder.internal;

import dev.jbuild.builder.BuildException;
import dev.jbuild.builder.Material;
import dev.jbuild.dockerfile.BuildChecks;
import dev.jbuild.dockerfile.ExpansionException;
import dev.jbuild.dockerfile.Heredoc;
import dev.jbuild.dockerfile.Instruction;
import dev.jbuild.oci.Digest;
import dev.jbuild.oci.Digester;
import dev.jbuild.store.ApplyMode;
import dev.jbuild.store.ApplyResult;
import dev.jbuild.store.BlobWriter;
import dev.jbuild.store.FileOwner;
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
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.TreeMap;

/**
 * A COPY or ADD step: plans its entries from the context, another stage or an image (or heredocs,
 * URLs, git repositories and local archives for ADD), keys the cache on their content, and writes them as a layer
 * straight from the sources, without a container.
 */
final class CopyStep {
    /** A local archive ADD unpacks, and the image directory it unpacks into. */
    private record Archive(Path file, String destination) {
    }

    /**
     * The content digest of what a {@code COPY --from} reads, from the files themselves (paths, modes,
     * owners, bytes); computed only when the key by the source's image misses.
     */
    @FunctionalInterface
    interface FilesContent {
        Digest digest() throws IOException, BuildException, InterruptedException;
    }

    /** Plans the entries against the image below; run only when the step misses the cache. */
    @FunctionalInterface
    private interface EntryPlan {
        List<CopyEntry> entries() throws IOException, BuildException, ExpansionException, InterruptedException;
    }

    private static final FileTree NO_IMAGE = new LayeredTree(List.of());

    private final StepContext context;
    private final EntryPlan plan;
    private final List<Archive> archives;
    private final String createdBy;
    private final Digest content;
    private final Optional<FilesContent> filesContent;
    private final Linking linking;

    /** Which files the step may hard-link instead of copying, by where its sources are. */
    private enum Linking {
        /** Sources in host directories (the context, a named context): from the layer an earlier build copied them into. */
        EARLIER_COPY,
        /** Sources in unpacked layers (a stage, an image): from those layers. */
        SOURCE_LAYERS,
        /** None: ADD, and COPY --link from a stage, which does not unpack its parent's layers to tell which a link repeats. */
        NONE
    }

    private CopyStep(StepContext context, EntryPlan plan, List<Archive> archives, String createdBy, Digester sources,
                     Optional<FilesContent> filesContent, Linking linking) throws IOException {
        this.context = context;
        this.plan = plan;
        this.filesContent = filesContent;
        this.linking = linking;
        this.archives = List.copyOf(archives);
        this.createdBy = createdBy;
        for (Archive archive : this.archives) {
            update(sources, "archive " + archive.destination() + " " + Digest.sha256(archive.file()));
        }
        this.content = sources.digest();
    }

    static CopyStep of(StepContext context, Instruction.Copy copy)
            throws ExpansionException, IOException, BuildException, InterruptedException {
        Optional<String> from = copy.from().isPresent() ? Optional.of(context.expand(copy.from().get())) : Optional.empty();
        String destination = context.expand(copy.destination());
        List<String> sources = new ArrayList<>();
        List<Heredoc> heredocs = new ArrayList<>();
        splitSources(context, copy.sources(), copy.heredocs(), sources, heredocs);
        OptionalInt chmod = chmod(context, copy.chmod());
        IgnorePatterns excludes = excludes(context, copy.excludes());
        Digester key = Digester.sha256();
        FileTree tree;
        Optional<FilesContent> filesContent = Optional.empty();
        List<String> heredocTexts = heredocTexts(context, heredocs);
        Optional<ContextTree> namedDirectory = from.isPresent() ? context.session().namedDirectory(from.get())
                : Optional.empty();
        if (from.isPresent() && namedDirectory.isEmpty()) {
            // the source image is content-addressed: its config (diffIDs included) stands for every file in it,
            // a key that needs no file read; when a stage ran again, its files may still be the same
            ImageState source = SourceStages.state(context, from.get());
            update(key, "from " + source.configDigest());
            tree = null;
            filesContent = Optional.of(() -> {
                Digester files = Digester.sha256();
                FileTree sourceTree = context.session().layers.tree(SourceStages.layers(context, from.get()));
                update(files, "from files " + contentDigest(context, sourceTree, sources, chmod, excludes));
                heredocTexts.forEach(text -> update(files, "heredoc " + text));
                return files.digest();
            });
        } else {
            ContextTree source = namedDirectory.orElse(context.session().context);
            if (namedDirectory.isEmpty()) {
                reportIgnored(context, "Copy", sources);
            }
            tree = source;
            update(key, "context " + contentDigest(context, source, sources, chmod, excludes));
        }
        heredocTexts.forEach(text -> update(key, "heredoc " + text));
        String workingDir = context.state().config().config().workingDir();
        EntryPlan plan = () -> {
            FileTree sourceTree = tree != null ? tree
                    : context.session().layers.tree(SourceStages.layers(context, from.get()));
            FileTree image = copy.link() ? NO_IMAGE : context.session().layers.tree(context.state().layers());
            Optional<UserDatabase.Owner> owner = owner(context, copy.chown());
            List<CopyEntry> entries = new ArrayList<>(plan(context, sourceTree, image, new CopyPlanner.Request(sources,
                    destination, workingDir, owner, chmod, excludes, copy.parents()), heredocs));
            addHeredocs(entries, heredocs, heredocTexts, destination, workingDir, owner, chmod,
                    sources.size() + heredocs.size());
            return sorted(entries);
        };
        String createdBy = "COPY " + flagText(from, copy.chown(), copy.chmod(), copy.link(), copy.parents(), copy.excludes())
                + String.join(" ", sources) + (heredocs.isEmpty() ? "" : heredocNames(heredocs)) + " " + destination
                + " # buildkit";
        Linking linking = tree != null ? Linking.EARLIER_COPY : copy.link() ? Linking.NONE : Linking.SOURCE_LAYERS;
        return new CopyStep(context, plan, List.of(), createdBy, key, filesContent, linking);
    }

    static CopyStep of(StepContext context, Instruction.Add add)
            throws ExpansionException, IOException, BuildException, InterruptedException {
        String destination = context.expand(add.destination());
        List<String> sources = new ArrayList<>();
        List<Heredoc> heredocs = new ArrayList<>();
        splitSources(context, add.sources(), add.heredocs(), sources, heredocs);
        OptionalInt chmod = chmod(context, add.chmod());
        IgnorePatterns excludes = excludes(context, add.excludes());
        String workingDir = context.state().config().config().workingDir();
        List<String> local = new ArrayList<>();
        List<Path> downloads = new ArrayList<>();
        List<Archive> archives = new ArrayList<>();
        String destinationPath = PathNames.absolute(destination, workingDir).substring(1);
        boolean unpack = add.unpack().orElse(true);
        Digester key = Digester.sha256();
        boolean keepGitDir = add.keepGitDir().orElse(false);
        List<GitSources.Resolved> repositories = new ArrayList<>();
        for (String source : sources) {
            if (GitSources.isGit(source)) {
                // the resolved commit stands for the checkout: a moved branch misses the cache, nothing is fetched on a hit
                GitSources.Source parsed = GitSources.parse(source);
                GitSources.Resolved repository = GitSources.resolve(GitSources.Use.add(context, parsed), parsed);
                repositories.add(repository);
                context.session().fetched(Material.gitCommit(repository.source().remote(), repository.commit()));
                update(key, "git " + repository.source().remote() + " " + repository.commit() + " "
                        + repository.source().subdir() + " keep-git-dir=" + keepGitDir);
                continue;
            }
            if (UrlSources.isUrl(source)) {
                Optional<String> checksum = add.checksum().isPresent()
                        ? Optional.of(context.expand(add.checksum().get())) : Optional.empty();
                Path downloaded = UrlSources.download(context, source, checksum);
                downloads.add(downloaded);
                Digest content = Digest.sha256(downloaded);
                context.session().fetched(Material.download(source, content));
                update(key, "url " + source + " " + content);
                continue;
            }
            List<SourceMatcher.Match> matches = SourceMatcher.match(context.session().context, source);
            if (!SourceMatcher.hasWildcards(source) && matches.isEmpty()) {
                throw new BuildException(context.line(), "line " + context.line() + ": ADD failed: \"/"
                        + PathNames.inside(source) + "\": not found", null);
            }
            for (SourceMatcher.Match match : matches) {
                if (unpack && Files.isRegularFile(match.file()) && Archives.isArchive(match.file())) {
                    archives.add(new Archive(match.file(), destinationPath));
                } else {
                    local.add(match.path());
                }
            }
        }
        reportIgnored(context, "Add", sources.stream()
                .filter(source -> !GitSources.isGit(source) && !UrlSources.isUrl(source)).toList());
        update(key, "context " + contentDigest(context, context.session().context, local, chmod, excludes));
        List<String> heredocTexts = heredocTexts(context, heredocs);
        heredocTexts.forEach(text -> update(key, "heredoc " + text));
        boolean intoDirectory = destination.endsWith("/") || sources.size() > 1;
        EntryPlan plan = () -> {
            FileTree image = add.link() ? NO_IMAGE : context.session().layers.tree(context.state().layers());
            Optional<UserDatabase.Owner> owner = owner(context, add.chown());
            List<CopyEntry> entries = new ArrayList<>();
            for (GitSources.Resolved repository : repositories) {
                ContextTree checkout = new ContextTree(GitSources.checkout(GitSources.Use.add(context, repository.source()),
                        repository, context.session().scratchDirectory("git")),
                        keepGitDir ? IgnorePatterns.NONE : IgnorePatterns.parse(".git"));
                entries.addAll(plan(context, checkout, image, new CopyPlanner.Request(List.of("."),
                        destination.endsWith("/") ? destination : destination + "/", workingDir, owner, chmod,
                        excludes, false), List.of()));
            }
            for (Path downloaded : downloads) {
                ContextTree directory = new ContextTree(downloaded.getParent(), IgnorePatterns.NONE);
                String target = intoDirectory ? destination + downloaded.getFileName() : destination;
                entries.addAll(plan(context, directory, image, new CopyPlanner.Request(
                        List.of(downloaded.getFileName().toString()), target, workingDir, owner,
                        OptionalInt.of(chmod.orElse(0600)), IgnorePatterns.NONE, false), List.of()));
            }
            if (!local.isEmpty()) {
                entries.addAll(plan(context, context.session().context, image, new CopyPlanner.Request(local, destination,
                        workingDir, owner, chmod, excludes, false), heredocs));
            }
            addHeredocs(entries, heredocs, heredocTexts, destination, workingDir, owner, chmod,
                    sources.size() + heredocs.size());
            return sorted(entries);
        };
        String createdBy = "ADD " + flagText(Optional.empty(), add.chown(), add.chmod(), add.link(), false, add.excludes())
                + String.join(" ", sources) + (heredocs.isEmpty() ? "" : heredocNames(heredocs)) + " " + destination
                + " # buildkit";
        return new CopyStep(context, plan, archives, createdBy, key, Optional.empty(), Linking.NONE);
    }

    /** The step's cache key: its history text and the digest of everything it writes. */
    StepKey key() {
        return new StepKey(context.state().configDigest(), createdBy, new TreeMap<>(), content);
    }

    /** For {@code COPY --from}: the content digest of the files it copies, a second key to look up by. */
    Optional<FilesContent> filesContent() {
        return filesContent;
    }

    /** Writes the entries (and unpacks archives) into a directory and makes it the step's layer. */
    ImageState execute(int step) throws IOException, BuildException, InterruptedException {
        List<CopyEntry> entries;
        try {
            entries = plan.entries();
        } catch (ExpansionException e) {
            throw new BuildException(context.line(), "line " + context.line() + ": " + e.getMessage(), e);
        }
        BuildSession session = context.session();
        Path staging = session.scratchDirectory("copy");
        Files.createDirectories(staging);
        FileTime created = FileTime.from(session.now());
        // an earlier build of this step may have copied most of these files already, into a layer still unpacked
        String copiedStep = context.state().configDigest() + "\n" + createdBy;
        CopyStaging.Reuse reuse = switch (linking) {
            case EARLIER_COPY -> new CopyStaging.Reuse.Earlier(session.store.copiedFiles(copiedStep));
            case SOURCE_LAYERS ->
                    new CopyStaging.Reuse.LayerFiles(Set.copyOf(session.layers.topFirst(context.state().layers())));
            case NONE -> CopyStaging.Reuse.NONE;
        };
        CopyStaging.Staged staged = CopyStaging.write(entries, staging, created, reuse);
        Map<String, FileOwner> owners = new HashMap<>(staged.owners());
        for (Archive archive : archives) {
            Path target = staging.resolve(archive.destination());
            Files.createDirectories(target);
            ApplyResult unpacked;
            try (InputStream in = Files.newInputStream(archive.file())) {
                unpacked = LayerApplier.apply(in, target, ApplyMode.FLATTEN);
            }
            // without the privilege to chown, the archive's owners reach the layer as overrides
            String prefix = staging.relativize(target).toString();
            unpacked.unappliedOwners().forEach((path, owner) -> owners.put(
                    path.isEmpty() ? prefix : prefix.isEmpty() ? path : prefix + "/" + path, owner));
        }
        LayerBlob blob;
        try (BlobWriter writer = session.store.newBlob()) {
            blob = LayerWriter.writeDirectory(staging, writer, session.layerOptions, owners);
            writer.commit(blob.mediaType());
        }
        ImageState next = context.state().withLayer(new ImageState.LayerRef(blob.descriptor(), blob.diffId()),
                context.history(createdBy, false));
        if (session.request.sourceDateEpoch().isEmpty()) {
            session.layers.adopt(next.layers(), staging);
            if (linking == Linking.EARLIER_COPY) {
                try {
                    session.store.rememberCopiedFiles(copiedStep,
                            next.layers().stream().map(ImageState.LayerRef::diffId).toList(), staged.sources());
                } catch (IOException notRemembered) {
                    // a cache: the next build of the step copies every file again
                }
            }
        }
        return next;
    }

    /**
     * CopyIgnoredFile for each context source the ignore file excludes, as BuildKit reports it;
     * fails the step when the Dockerfile says {@code check=error=true}.
     */
    private static void reportIgnored(StepContext context, String command, List<String> sources) throws BuildException {
        BuildSession session = context.session();
        for (String source : sources) {
            if (session.context.ignores(PathNames.inside(source))
                    && session.report(session.checks.copyIgnoredFile(command, source, context.line()))) {
                throw new BuildException(context.line(), "line " + context.line() + ": "
                        + BuildChecks.violation(List.of("CopyIgnoredFile")), null);
            }
        }
    }

    private static OptionalInt chmod(StepContext context, Optional<String> chmod) throws ExpansionException {
        return chmod.isPresent() ? OptionalInt.of(FileModes.parseChmod(context.expand(chmod.get()))) : OptionalInt.empty();
    }

    private static IgnorePatterns excludes(StepContext context, List<String> excludes) throws ExpansionException {
        return IgnorePatterns.parse(String.join("\n", context.expandEach(excludes)));
    }

    private static Optional<UserDatabase.Owner> owner(StepContext context, Optional<String> chown)
            throws ExpansionException, IOException {
        if (chown.isEmpty()) {
            return Optional.empty();
        }
        String spec = context.expand(chown.get());
        if (spec.matches("[0-9]+(:[0-9]+)?")) {
            return Optional.of(UserDatabase.EMPTY.resolveChown(spec));
        }
        LayeredTree image = context.session().layers.tree(context.state().layers());
        return Optional.of(UserDatabase.parse(read(image, "etc/passwd"), read(image, "etc/group")).resolveChown(spec));
    }

    /**
     * The digest of the files of {@code tree} that {@code sources} names (paths, modes, owners, bytes),
     * enumerated without the image and under their full paths, so two sources with the same base name
     * both count.
     */
    private static Digest contentDigest(StepContext context, FileTree tree, List<String> sources, OptionalInt chmod,
                                        IgnorePatterns excludes) throws IOException, BuildException {
        List<CopyEntry> entries = plan(context, tree, NO_IMAGE, new CopyPlanner.Request(sources,
                "/", "/", Optional.empty(), chmod, excludes, true), List.of());
        return CopyStaging.contentDigest(entries, tree.digests());
    }

    private static void update(Digester digester, String text) {
        byte[] bytes = (text + "\n").getBytes(StandardCharsets.UTF_8);
        digester.update(bytes, 0, bytes.length);
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

    private static List<String> heredocTexts(StepContext context, List<Heredoc> heredocs) throws ExpansionException {
        List<String> texts = new ArrayList<>();
        for (Heredoc heredoc : heredocs) {
            texts.add(heredoc.expand()
                    ? context.lexer().ignoringQuotes().keepingEscapes().processWord(heredoc.effectiveContent(), context.environment())
                    : heredoc.effectiveContent());
        }
        return texts;
    }

    private static void addHeredocs(List<CopyEntry> entries, List<Heredoc> heredocs, List<String> texts,
                                    String destination, String workingDir, Optional<UserDatabase.Owner> owner,
                                    OptionalInt chmod, int sourceCount) {
        String base = PathNames.absolute(destination, workingDir).substring(1);
        boolean intoDirectory = destination.endsWith("/") || sourceCount > 1;
        int uid = owner.map(UserDatabase.Owner::uid).orElse(0);
        int gid = owner.map(UserDatabase.Owner::gid).orElse(0);
        for (int i = 0; i < heredocs.size(); i++) {
            String path = intoDirectory ? PathNames.join(base, heredocs.get(i).name()) : base;
            entries.add(new CopyEntry(path, CopyEntry.Kind.FILE, Optional.empty(), texts.get(i).getBytes(StandardCharsets.UTF_8),
                    null, chmod.orElse(0644), uid, gid));
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
}
