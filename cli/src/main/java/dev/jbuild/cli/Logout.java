package dev.jbuild.cli;

import dev.jbuild.oci.Reference;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code jbuild logout}: forgets the saved credentials of a registry. */
@Command(name = "logout", mixinStandardHelpOptions = true, description = "Remove the saved credentials of a registry.")
final class Logout implements Callable<Integer> {
    @Parameters(paramLabel = "REGISTRY", arity = "0..1", defaultValue = Reference.DOCKER_HUB,
            description = "host[:port] (default: ${DEFAULT-VALUE}).")
    String registryName;

    @Mixin
    LoginOptions login;

    @Override
    public Integer call() throws Exception {
        String registry = Login.normalize(registryName);
        if (login.credentials().erase(registry)) {
            System.out.println("Removed the login for " + registry);
        } else {
            System.out.println("Not logged in to " + registry);
        }
        return ExitCode.OK;
    }
}
