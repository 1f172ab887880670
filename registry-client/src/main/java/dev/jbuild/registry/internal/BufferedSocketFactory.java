package dev.jbuild.registry.internal;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import javax.net.SocketFactory;

/**
 * Plain TCP sockets whose streams read and write through large buffers. OkHttp moves bytes in
 * 8 KiB segments, one system call each: a 126 MB blob took 16,000 reads or writes, and on a
 * loopback or LAN registry those calls, not the bytes, were what the transfer spent its CPU on.
 * OkHttp flushes every request before it waits for a response, so nothing waits in a buffer.
 */
public final class BufferedSocketFactory extends SocketFactory {
    static final int BUFFER_SIZE = 256 * 1024;

    @Override
    public Socket createSocket() {
        return new BufferedSocket();
    }

    @Override
    public Socket createSocket(String host, int port) throws IOException {
        return connected(new InetSocketAddress(host, port), null, 0);
    }

    @Override
    public Socket createSocket(String host, int port, InetAddress localHost, int localPort) throws IOException {
        return connected(new InetSocketAddress(host, port), localHost, localPort);
    }

    @Override
    public Socket createSocket(InetAddress host, int port) throws IOException {
        return connected(new InetSocketAddress(host, port), null, 0);
    }

    @Override
    public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort) throws IOException {
        return connected(new InetSocketAddress(address, port), localAddress, localPort);
    }

    private static Socket connected(InetSocketAddress remote, InetAddress localAddress, int localPort) throws IOException {
        Socket socket = new BufferedSocket();
        try {
            if (localAddress != null || localPort != 0) {
                socket.bind(new InetSocketAddress(localAddress, localPort));
            }
            socket.connect(remote);
            return socket;
        } catch (IOException e) {
            socket.close();
            throw e;
        }
    }

    private static final class BufferedSocket extends Socket {
        private InputStream input;
        private OutputStream output;

        @Override
        public synchronized InputStream getInputStream() throws IOException {
            if (input == null) {
                input = new BufferedInputStream(super.getInputStream(), BUFFER_SIZE);
            }
            return input;
        }

        @Override
        public synchronized OutputStream getOutputStream() throws IOException {
            if (output == null) {
                output = new BufferedOutputStream(super.getOutputStream(), BUFFER_SIZE);
            }
            return output;
        }
    }
}
