package dev.jbuild.registry.testing;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Assumptions;

/**
 * A real CNCF distribution registry ({@code docker-registry} from Debian) on a free loopback
 * port (or another address of this machine), open, with htpasswd Basic auth, or with token auth;
 * stopped by {@link #close}.
 */
public final class LocalRegistry implements AutoCloseable {
    static final Path BINARY = Path.of("/usr/bin/docker-registry");

    private final Process process;
    private final String address;
    private final int port;
    private final Path log;

    private LocalRegistry(Process process, String address, int port, Path log) {
        this.process = process;
        this.address = address;
        this.port = port;
        this.log = log;
    }

    /**
     * This machine's first IPv4 address that is not loopback or link-local, of an interface that
     * is up; skips the test (with a message) when it has none.
     */
    public static String nonLoopbackAddress() throws IOException {
        for (NetworkInterface network : java.util.Collections.list(NetworkInterface.getNetworkInterfaces())) {
            if (!network.isUp() || network.isLoopback()) {
                continue;
            }
            for (InetAddress candidate : java.util.Collections.list(network.getInetAddresses())) {
                if (candidate instanceof Inet4Address && !candidate.isLoopbackAddress()
                        && !candidate.isLinkLocalAddress()) {
                    return candidate.getHostAddress();
                }
            }
        }
        return Assumptions.abort("this machine has no non-loopback IPv4 address; insecure-registry tests skipped");
    }

    /** An open registry listening on {@code address} (not loopback) over plain HTTP. */
    public static LocalRegistry openOn(Path directory, String address) throws IOException {
        return start(directory, "", address);
    }

    public static void assumeInstalled() {
        Assumptions.assumeTrue(Files.isExecutable(BINARY),
                "docker-registry is not installed (apt-get install -y docker-registry); registry tests skipped");
    }

    public static LocalRegistry open(Path directory) throws IOException {
        return start(directory, "");
    }

    public static LocalRegistry htpasswd(Path directory, Path htpasswdFile) throws IOException {
        return start(directory, "auth:\n  htpasswd:\n    realm: basic-realm\n    path: " + htpasswdFile.toAbsolutePath()
                + "\n");
    }

    public static LocalRegistry token(Path directory, String realm, String service, String issuer, Path rootCertBundle)
            throws IOException {
        return start(directory, "auth:\n  token:\n    realm: " + realm + "\n    service: " + service
                + "\n    issuer: " + issuer + "\n    rootcertbundle: " + rootCertBundle.toAbsolutePath() + "\n");
    }

    /** A registry serving HTTPS with {@code certificate}/{@code key}; with {@code clientCa}, clients need a certificate it signed. */
    public static LocalRegistry tls(Path directory, Path certificate, Path key, Path clientCa) throws IOException {
        return start(directory, "  tls:\n    certificate: " + certificate.toAbsolutePath() + "\n    key: "
                + key.toAbsolutePath() + "\n" + (clientCa == null ? "" : "    clientcas:\n      - "
                + clientCa.toAbsolutePath() + "\n"));
    }

    private static LocalRegistry start(Path directory, String auth) throws IOException {
        return start(directory, auth, "127.0.0.1");
    }

    private static LocalRegistry start(Path directory, String auth, String address) throws IOException {
        assumeInstalled();
        int port = freePort(address);
        Path data = Files.createDirectories(directory.resolve("data"));
        Path config = directory.resolve("config.yml");
        Files.writeString(config, "version: 0.1\nlog:\n  level: warn\n  accesslog:\n    disabled: true\n"
                + "storage:\n  filesystem:\n    rootdirectory: " + data.toAbsolutePath() + "\n  delete:\n    enabled: true\n"
                + "  maintenance:\n    uploadpurging:\n      enabled: false\n"
                + "http:\n  addr: " + address + ":" + port + "\n  secret: local-test-only\n" + auth);
        Path log = directory.resolve("registry.log");
        Process process = new ProcessBuilder(BINARY.toString(), "serve", config.toString())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        LocalRegistry registry = new LocalRegistry(process, address, port, log);
        registry.awaitListening();
        return registry;
    }

    private static int freePort(String address) throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(address))) {
            return socket.getLocalPort();
        }
    }

    private void awaitListening() throws IOException {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(20));
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new IOException("docker-registry exited: " + Files.readString(log));
            }
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress(address, port), 200);
                return;
            } catch (IOException notYet) {
                try {
                    Thread.sleep(50);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IOException(e);
                }
            }
        }
        close();
        throw new IOException("docker-registry did not listen on port " + port + ": " + Files.readString(log));
    }

    /** {@code <address>:<port>} ({@code 127.0.0.1:<port>} unless started elsewhere), the registry part of references. */
    public String host() {
        return address + ":" + port;
    }

    @Override
    public void close() {
        process.destroy();
        try {
            process.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
