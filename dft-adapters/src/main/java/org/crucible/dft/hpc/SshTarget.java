package org.crucible.dft.hpc;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * How to reach a login node over SSH. Authentication is by key only: an OpenSSH private key file (RSA, ECDSA,
 * ed25519; passphrase read from the environment variable named by {@code passphraseEnv}, never from a file or
 * the command line) and/or an ssh-agent ({@code SSH_AUTH_SOCK}). Host keys are always checked against
 * {@code knownHosts}; there is no "accept new keys" mode.
 *
 * @param host login node name or address
 * @param port SSH port (1..65535)
 * @param user remote user name
 * @param identityFile private key file, or null to use only the agent
 * @param passphraseEnv name of the environment variable holding the key's passphrase, or null
 * @param useAgent whether to offer the keys of a running ssh-agent
 * @param knownHosts OpenSSH known_hosts file with the server's host key (required)
 * @param connectTimeout TCP + handshake timeout
 * @param keepalive interval of SSH keepalive messages; the session is declared dead after 3 unanswered
 * @param maxChannels bound on concurrently open channels (exec + SFTP) on the one session; sshd's default
 *     {@code MaxSessions} is 10
 * @param reconnect backoff between reconnection attempts
 * @param jumps jump hosts ({@code ProxyJump}), first hop first: the session to each later hop, and to this host,
 *     is tunnelled through the one before ({@code direct-tcpip}); every hop's host key is verified against its own
 *     {@code knownHosts}. Their connect timeout and keepalive are this target's.
 */
public record SshTarget(String host, int port, String user, Path identityFile, String passphraseEnv,
        boolean useAgent, Path knownHosts, Duration connectTimeout, Duration keepalive, int maxChannels,
        Backoff reconnect, List<SshTarget> jumps) {
    public SshTarget {
        if (host == null || host.isBlank()) throw new IllegalArgumentException("ssh host is empty");
        if (port < 1 || port > 65535) throw new IllegalArgumentException("ssh port " + port + " is not in 1..65535");
        if (user == null || user.isBlank()) throw new IllegalArgumentException("ssh user is empty");
        Objects.requireNonNull(knownHosts, "known_hosts: host keys are always verified; give a known_hosts file");
        if (identityFile == null && !useAgent) {
            throw new IllegalArgumentException("ssh needs an identity_file or use_agent: password login is not supported");
        }
        Objects.requireNonNull(connectTimeout, "connectTimeout");
        Objects.requireNonNull(keepalive, "keepalive");
        if (maxChannels < 1) throw new IllegalArgumentException("maxChannels must be >= 1, got " + maxChannels);
        Objects.requireNonNull(reconnect, "reconnect");
        jumps = List.copyOf(jumps);
        for (SshTarget j : jumps) {
            if (!j.jumps().isEmpty()) throw new IllegalArgumentException("jump host " + j.describe() + " has jumps of its own: flatten the chain");
        }
    }

    /** A direct connection (no jump hosts). */
    public SshTarget(String host, int port, String user, Path identityFile, String passphraseEnv, boolean useAgent,
            Path knownHosts, Duration connectTimeout, Duration keepalive, int maxChannels, Backoff reconnect) {
        this(host, port, user, identityFile, passphraseEnv, useAgent, knownHosts, connectTimeout, keepalive, maxChannels,
                reconnect, List.of());
    }

    /** Defaults: 20 s connect timeout, 15 s keepalive, 8 channels, {@link Backoff#DEFAULT_RECONNECT}. */
    public static SshTarget of(String host, int port, String user, Path identityFile, Path knownHosts) {
        return new SshTarget(host, port, user, identityFile, null, false, knownHosts, Duration.ofSeconds(20),
                Duration.ofSeconds(15), 8, Backoff.DEFAULT_RECONNECT);
    }

    public SshTarget withReconnect(Backoff b) {
        return new SshTarget(host, port, user, identityFile, passphraseEnv, useAgent, knownHosts, connectTimeout,
                keepalive, maxChannels, b, jumps);
    }

    /** This target reached through {@code hops}, first hop first. */
    public SshTarget withJumps(List<SshTarget> hops) {
        return new SshTarget(host, port, user, identityFile, passphraseEnv, useAgent, knownHosts, connectTimeout,
                keepalive, maxChannels, reconnect, hops);
    }

    /** {@code user@host:port}, followed by {@code  via user@jump:port} for each jump host. */
    public String describe() {
        StringBuilder sb = new StringBuilder(user + "@" + host + ":" + port);
        for (SshTarget j : jumps) sb.append(" via ").append(j.describe());
        return sb.toString();
    }
}
