package dev.jbuild.builder.internal;

import dev.jbuild.builder.BuildException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributeView;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * ADD's git sources, fetched with the real {@code git}: a URL names a repository, and its fragment
 * {@code #ref:subdir} a branch, tag or commit and a directory in it. The ref is resolved to a
 * commit with {@code git ls-remote} before anything is fetched (the commit is the cache key), and
 * only that commit is fetched, shallow.
 */
public final class GitSources {
    private static final Pattern GIT_URL = Pattern.compile(
            "(?i)^(?:git@[^:/]+:.+|(?:git|ssh)://.+|https?://[^#]+\\.git(?:#.*)?)$");
    private static final Pattern REMOTE_REF = Pattern.compile("^([0-9a-f]{40}|[0-9a-f]{64})\\t(\\S+)$");
    private static final Pattern COMMIT = Pattern.compile("^(?:[0-9a-f]{40}|[0-9a-f]{64})$");

    private GitSources() {
    }

    /**
     * One git source as written.
     *
     * @param url    the source as written, fragment included
     * @param remote the repository's address, given to git
     * @param ref    the branch, tag, ref name or full commit id; empty for the remote's HEAD
     * @param subdir the directory of the repository to add; empty for all of it
     */
    record Source(String url, String remote, Optional<String> ref, String subdir) {
        Source {
            Objects.requireNonNull(url, "url");
            Objects.requireNonNull(remote, "remote");
            Objects.requireNonNull(ref, "ref");
            subdir = PathNames.inside(subdir);
        }

        /** The ref as the user wrote it, for messages. */
        String refText() {
            return ref.orElse("HEAD");
        }
    }

    /**
     * Where a git source is used, for its error messages: an ADD at a line of the Dockerfile, or the
     * build context itself.
     *
     * @param what what the messages name, such as {@code line 7: ADD URL} or {@code build context URL}
     * @param line the Dockerfile line of an ADD; 0 for the build context
     */
    record Use(String what, int line) {
        Use {
            Objects.requireNonNull(what, "what");
        }

        /** The ADD of {@code source} at {@code context}'s step. */
        static Use add(StepContext context, Source source) {
            return new Use("line " + context.line() + ": ADD " + source.url(), context.line());
        }

        /** The build context {@code source}. */
        static Use context(Source source) {
            return new Use("build context " + source.url(), 0);
        }

        BuildException failure(String message, Throwable cause) {
            return line > 0 ? new BuildException(line, what + ": " + message, cause)
                    : new BuildException(what + ": " + message, cause);
        }
    }

    /** A source whose ref is resolved to {@code commit}. */
    record Resolved(Source source, String commit) {
        Resolved {
            Objects.requireNonNull(source, "source");
            Objects.requireNonNull(commit, "commit");
        }
    }

    /** True when ADD treats {@code source} as a git repository rather than a file or a plain URL. */
    public static boolean isGit(String source) {
        return GIT_URL.matcher(source).matches();
    }

    /** Splits {@code url} into the repository and its {@code #ref:subdir} fragment. */
    static Source parse(String url) {
        int hash = url.indexOf('#');
        if (hash < 0) {
            return new Source(url, url, Optional.empty(), "");
        }
        String fragment = url.substring(hash + 1);
        int colon = fragment.indexOf(':');
        String ref = colon < 0 ? fragment : fragment.substring(0, colon);
        String subdir = colon < 0 ? "" : fragment.substring(colon + 1);
        return new Source(url, url.substring(0, hash), ref.isEmpty() ? Optional.empty() : Optional.of(ref), subdir);
    }

    /** Resolves the source's ref to a commit by asking the remote, without fetching anything. */
    static Resolved resolve(Use use, Source source) throws IOException, BuildException, InterruptedException {
        if (source.ref().isPresent() && COMMIT.matcher(source.ref().get()).matches()) {
            return new Resolved(source, source.ref().get());
        }
        String listing = git(use, null, "ls-remote", source.remote());
        Map<String, String> refs = new HashMap<>();
        for (String line : listing.split("\n")) {
            Matcher matcher = REMOTE_REF.matcher(line.strip());
            if (matcher.matches()) {
                refs.put(matcher.group(2), matcher.group(1));
            }
        }
        String ref = source.refText();
        List<String> candidates = ref.startsWith("refs/") || ref.equals("HEAD") ? List.of(ref + "^{}", ref)
                : List.of("refs/heads/" + ref, "refs/tags/" + ref + "^{}", "refs/tags/" + ref);
        for (String candidate : candidates) {
            String commit = refs.get(candidate);
            if (commit != null) {
                return new Resolved(source, commit);
            }
        }
        throw use.failure("ref \"" + ref + "\" not found in git repository " + source.remote(), null);
    }

    /**
     * Fetches the resolved commit into {@code repository}, a new directory, and checks it out, every
     * file with the commit's time as mtime; returns the directory to add (the subdirectory when one is named).
     */
    static Path checkout(Use use, Resolved resolved, Path repository)
            throws IOException, BuildException, InterruptedException {
        Source source = resolved.source();
        Files.createDirectories(repository);
        git(use, repository, "init", "-q");
        try {
            git(use, repository, "fetch", "-q", "--depth=1", "--no-tags", source.remote(), resolved.commit());
        } catch (BuildException shallowRefused) {
            // a server that does not serve commits by id: fetch every branch and tag, then look for the commit
            git(use, repository, "fetch", "-q", "--no-tags", source.remote(),
                    "+refs/heads/*:refs/remotes/origin/*", "+refs/tags/*:refs/tags/*");
        }
        git(use, repository, "checkout", "-q", resolved.commit());
        // checkout's index caches each file's inode and change time, which no two checkouts share;
        // read again from the commit it caches nothing, and git refreshes it when first used
        git(use, repository, "read-tree", resolved.commit());
        long commitTime = Long.parseLong(git(use, repository, "log", "-1", "--format=%ct", resolved.commit()).strip());
        setTimes(repository, FileTime.fromMillis(commitTime * 1000));
        if (source.subdir().isEmpty()) {
            return repository;
        }
        Path subdir = repository.resolve(source.subdir());
        // the repository decides what its paths are: a symlink on the way must not lead out of the checkout
        if (!Files.isDirectory(subdir) || !subdir.toRealPath().startsWith(repository.toRealPath())) {
            throw use.failure("directory \"" + source.subdir() + "\" not found at commit " + resolved.commit(), null);
        }
        return subdir;
    }

    private static void setTimes(Path root, FileTime time) throws IOException {
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : (Iterable<Path>) paths::iterator) {
                Files.getFileAttributeView(path, BasicFileAttributeView.class, LinkOption.NOFOLLOW_LINKS)
                        .setTimes(time, null, null);
            }
        }
    }

    /** Runs git (in {@code directory} when given) without prompts; its output, or a build error that quotes it. */
    private static String git(Use use, Path directory, String... arguments)
            throws IOException, BuildException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("git"));
        if (directory != null) {
            command.addAll(List.of("-C", directory.toString()));
        }
        // what --keep-git-dir keeps must be the same bytes for the same commit: no reflogs (they
        // record when the checkout ran) and loose objects instead of a pack (whose layout depends
        // on how the server's threads searched for deltas)
        command.addAll(List.of("-c", "core.logAllRefUpdates=false", "-c", "fetch.unpackLimit=" + Integer.MAX_VALUE));
        command.addAll(List.of(arguments));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().put("GIT_TERMINAL_PROMPT", "0");
        // a build has no one to answer ssh's questions: fail instead of waiting for a password or a host key
        builder.environment().putIfAbsent("GIT_SSH_COMMAND", "ssh -o BatchMode=yes");
        Process process;
        try {
            process = builder.start();
        } catch (IOException missing) {
            throw use.failure("needs the git command: " + missing.getMessage(), missing);
        }
        process.getOutputStream().close();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        int exit = process.waitFor();
        if (exit != 0) {
            throw use.failure("git " + arguments[0] + " failed (exit " + exit + "): " + output.strip(), null);
        }
        return output;
    }
}
