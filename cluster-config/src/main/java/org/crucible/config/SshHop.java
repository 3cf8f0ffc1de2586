package org.crucible.config;

import java.nio.file.Path;
import java.util.Objects;

/**
 * One SSH jump host on the way to a cluster's login node ({@code ProxyJump} in {@code ~/.ssh/config}), resolved
 * through the same config file. Its host key is verified against {@code knownHosts} like the login node's.
 *
 * @param alias the name as written in the ProxyJump entry
 * @param host host name or address to connect to
 * @param port SSH port
 * @param user remote user
 * @param identityFile private key for this hop, or null to use the profile's key or agent
 * @param knownHosts known_hosts file its host key is checked against
 */
public record SshHop(String alias, String host, int port, String user, Path identityFile, Path knownHosts) {
    public SshHop {
        Objects.requireNonNull(alias, "alias");
        if (host == null || host.isBlank()) throw new IllegalArgumentException("jump host name is empty");
        if (port < 1 || port > 65535) throw new IllegalArgumentException("jump host port " + port + " is not in 1..65535");
        if (user == null || user.isBlank()) throw new IllegalArgumentException("jump host user is empty");
        Objects.requireNonNull(knownHosts, "knownHosts");
    }

    /** {@code user@host:port}. */
    public String describe() {
        return user + "@" + host + ":" + port;
    }
}
