package dev.jbuild.builder;

import java.net.InetAddress;
import java.util.Objects;

/**
 * A line {@code --add-host} adds to the {@code /etc/hosts} of every RUN step: {@code address name}.
 *
 * @param name    the host name
 * @param address an IPv4 or IPv6 address, as written
 */
public record ExtraHost(String name, String address) {
    /** Docker's name for the address at which a step reaches the build's host: loopback, since steps share its network. */
    public static final String HOST_GATEWAY = "host-gateway";

    public ExtraHost {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(address, "address");
        if (name.isEmpty() || name.chars().anyMatch(c -> Character.isWhitespace(c) || c == '#')) {
            throw new IllegalArgumentException("invalid host name \"" + name + "\" for --add-host");
        }
        try {
            InetAddress.ofLiteral(address);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("invalid IP address \"" + address + "\" for --add-host " + name, e);
        }
    }

    /**
     * Parses {@code NAME:ADDRESS} or {@code NAME=ADDRESS}, as {@code docker build --add-host} does (an IPv6
     * address may follow the first colon); {@value #HOST_GATEWAY} stands for {@code 127.0.0.1}.
     */
    public static ExtraHost parse(String spec) {
        Objects.requireNonNull(spec, "spec");
        int separator = spec.indexOf('=');
        if (separator < 0) {
            separator = spec.indexOf(':');
        }
        if (separator <= 0) {
            throw new IllegalArgumentException("invalid --add-host \"" + spec + "\" (expected NAME:ADDRESS)");
        }
        String address = spec.substring(separator + 1);
        return new ExtraHost(spec.substring(0, separator), address.equals(HOST_GATEWAY) ? "127.0.0.1" : address);
    }

    /** The line of {@code /etc/hosts}. */
    public String line() {
        return address + "\t" + name;
    }
}
