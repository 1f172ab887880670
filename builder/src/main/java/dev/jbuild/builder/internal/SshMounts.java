package dev.jbuild.builder.internal;

import dev.jbuild.builder.BuildException;
import dev.jbuild.dockerfile.RunMount;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The SSH agents of one RUN step: a proxy socket per {@code type=ssh} mount whose agent was given, until the step ends. */
final class SshMounts implements AutoCloseable {
    private final Map<RunMount.Ssh, Path> sockets = new HashMap<>();
    private final List<SshAgentProxy> proxies = new ArrayList<>();

    private SshMounts() {
    }

    /** Starts a proxy for each SSH mount among {@code mounts}, with its socket in {@code scratch}. */
    static SshMounts open(StepContext context, List<RunMount> mounts, Path scratch) throws IOException, BuildException {
        int line = context.line();
        SshMounts step = new SshMounts();
        try {
            for (RunMount mount : mounts) {
                if (!(mount instanceof RunMount.Ssh ssh) || step.sockets.containsKey(ssh)) {
                    continue;
                }
                Path agent = context.session().request.ssh().get(ssh.id());
                if (agent == null) {
                    if (ssh.required()) {
                        throw new BuildException(line, "line " + line + ": SSH agent " + ssh.id()
                                + " is required but was not given (--ssh " + ssh.id() + "=SOCKET)", null);
                    }
                    continue;
                }
                if (!Files.exists(agent)) {
                    throw new BuildException(line, "line " + line + ": SSH agent " + ssh.id() + ": socket " + agent
                            + " does not exist", null);
                }
                Path socket = Files.createDirectories(scratch).resolve("ssh-" + step.proxies.size() + ".sock");
                step.proxies.add(SshAgentProxy.start(agent, socket, ssh.mode().orElse(0600), ssh.uid().orElse(0),
                        ssh.gid().orElse(0)));
                step.sockets.put(ssh, socket);
            }
            return step;
        } catch (IOException | BuildException | RuntimeException e) {
            step.close();
            throw e;
        }
    }

    /** The socket the step sees for {@code ssh}; empty for an optional agent that was not given. */
    Optional<Path> socket(RunMount.Ssh ssh) {
        return Optional.ofNullable(sockets.get(ssh));
    }

    /** Stops every proxy, even when stopping one fails. */
    @Override
    public void close() throws IOException {
        Closing.all(proxies);
    }
}
