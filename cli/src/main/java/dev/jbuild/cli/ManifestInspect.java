package dev.jbuild.cli;

import dev.jbuild.oci.Reference;
import dev.jbuild.registry.FetchedManifest;
import dev.jbuild.registry.Registry;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code jbuild manifest inspect IMAGE}: prints a manifest or index exactly as the registry serves it. */
@Command(name = "inspect", mixinStandardHelpOptions = true,
        description = "Print the raw manifest or index of an image in a registry (its digest goes to standard error).")
final class ManifestInspect implements Callable<Integer> {
    @Parameters(paramLabel = "IMAGE", description = "NAME[:TAG|@DIGEST].")
    String image;

    @Mixin
    LoginOptions login;

    @Override
    public Integer call() throws Exception {
        Reference reference = Pull.parseReference(image);
        try (Registry registry = login.open()) {
            FetchedManifest manifest = registry.pullRepository(reference).manifest(reference.identifier());
            System.out.write(manifest.bytes());
            System.out.println();
            System.out.flush();
            System.err.println(manifest.descriptor().mediaType() + " " + manifest.descriptor().digest());
        }
        return ExitCode.OK;
    }
}
