package dev.jbuild.cli;

import dev.jbuild.oci.Reference;
import dev.jbuild.registry.Registry;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code jbuild delete IMAGE@DIGEST}: deletes a manifest (and the tags on it) from a registry. */
@Command(name = "delete", mixinStandardHelpOptions = true,
        description = "Delete a manifest from a registry by digest; every tag pointing at it goes too.")
final class Delete implements Callable<Integer> {
    @Parameters(paramLabel = "IMAGE@DIGEST")
    String image;

    @Mixin
    LoginOptions login;

    @Override
    public Integer call() throws Exception {
        Reference reference = Pull.parseReference(image);
        if (reference.digest() == null) {
            throw new UsageException("delete needs a digest, as in " + reference.name() + "@sha256:…"
                    + " (registries delete manifests, not tags; see jbuild manifest inspect)");
        }
        try (Registry registry = login.open()) {
            registry.repository(reference).delete(reference.digest());
        }
        System.out.println("deleted " + reference.name() + "@" + reference.digest());
        return ExitCode.OK;
    }
}
