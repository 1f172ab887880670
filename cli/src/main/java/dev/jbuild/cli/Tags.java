package dev.jbuild.cli;

import dev.jbuild.oci.Reference;
import dev.jbuild.registry.Registry;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code jbuild tags REPO}: lists the tags of a registry repository. */
@Command(name = "tags", mixinStandardHelpOptions = true, description = "List the tags of a repository in a registry.")
final class Tags implements Callable<Integer> {
    @Parameters(paramLabel = "REPO", description = "registry/name, e.g. localhost:5000/app or busybox.")
    String repository;

    @Mixin
    LoginOptions login;

    @Override
    public Integer call() throws Exception {
        Reference reference = Pull.parseReference(repository);
        if (reference.digest() != null || repository.substring(repository.lastIndexOf('/') + 1).contains(":")) {
            throw new UsageException("REPO names a repository, without a tag or digest: " + repository);
        }
        try (Registry registry = login.open()) {
            for (String tag : registry.repository(reference).tags()) {
                System.out.println(tag);
            }
        }
        return ExitCode.OK;
    }
}
