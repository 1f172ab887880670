package dev.jbuild.builder.internal;

import java.io.Closeable;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Serves the host's SSH agent to one RUN step through a socket of the step's own, with the mount's
 * mode and owner (as BuildKit does), so the step neither sees the host's socket nor needs its owner:
 * each connection to it is forwarded to the agent on virtual threads until the step ends.
 */
final class SshAgentProxy implements Closeable {
    private final ServerSocketChannel server;
    private final Path agent;
    private final Set<SocketChannel> open = ConcurrentHashMap.newKeySet();
    private final Thread acceptor;

    private SshAgentProxy(ServerSocketChannel server, Path agent) {
        this.server = server;
        this.agent = agent;
        this.acceptor = Thread.ofVirtual().name("ssh-agent-proxy").start(this::accept);
    }

    /** Listens at {@code socket} (which must not exist) with {@code mode}, {@code uid} and {@code gid}. */
    static SshAgentProxy start(Path agent, Path socket, int mode, int uid, int gid) throws IOException {
        ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        try {
            server.bind(UnixDomainSocketAddress.of(socket));
            // following links: a socket cannot be opened, which is how the JDK changes a file it must not follow;
            // the socket was just made in the step's own scratch directory, where nothing else makes links
            Files.setAttribute(socket, "unix:mode", mode);
            Files.setAttribute(socket, "unix:uid", uid);
            Files.setAttribute(socket, "unix:gid", gid);
        } catch (IOException | RuntimeException e) {
            server.close();
            throw e;
        }
        return new SshAgentProxy(server, agent);
    }

    private void accept() {
        try {
            while (true) {
                SocketChannel client = server.accept();
                open.add(client);
                Thread.ofVirtual().start(() -> connect(client));
            }
        } catch (IOException closed) {
            // the step ended: close() closed the server
        }
    }

    private void connect(SocketChannel client) {
        SocketChannel upstream = null;
        try (client) {
            upstream = SocketChannel.open(UnixDomainSocketAddress.of(agent));
            open.add(upstream);
            SocketChannel agentSide = upstream;
            Thread back = Thread.ofVirtual().start(() -> pump(agentSide, client));
            pump(client, upstream);
            back.join();
        } catch (IOException | InterruptedException agentGone) {
            // the client sees its connection close, as with an agent that went away
        } finally {
            open.remove(client);
            if (upstream != null) {
                open.remove(upstream);
                try {
                    upstream.close();
                } catch (IOException ignored) {
                    // the connection is over either way
                }
            }
        }
    }

    /** Copies until {@code from} ends, then ends {@code to}'s output so the other side sees the end too. */
    private static void pump(SocketChannel from, SocketChannel to) {
        ByteBuffer buffer = ByteBuffer.allocate(16 * 1024);
        try {
            while (from.read(buffer) >= 0) {
                buffer.flip();
                while (buffer.hasRemaining()) {
                    to.write(buffer);
                }
                buffer.clear();
            }
            to.shutdownOutput();
        } catch (ClosedChannelException closed) {
            // the other direction or close() ended the connection
        } catch (IOException broken) {
            try {
                to.close();
            } catch (IOException ignored) {
                // already broken
            }
        }
    }

    /** Stops accepting, ends every forwarded connection and removes the socket. */
    @Override
    public void close() throws IOException {
        Path socket = ((UnixDomainSocketAddress) server.getLocalAddress()).getPath();
        server.close();
        for (SocketChannel channel : open) {
            channel.close();
        }
        try {
            acceptor.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        Files.deleteIfExists(socket);
    }
}
