package org.crucible.dft.hpc;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * How the system OpenSSH client reaches a login node ({@link OpenSshShell}): the destination as {@code ssh} takes it
 * (a host name or a {@code Host} alias of the OpenSSH config, whose {@code ProxyJump} then applies), and where its
 * ControlMaster socket lives so that one authenticated connection (for example after a second-factor login) serves
 * every command.
 *
 * <p>Paths end up in {@code ssh -o KEY=VALUE} options, where OpenSSH splits values on blanks and expands {@code %}
 * tokens and {@code ~}: they must be absolute and free of blanks, quotes and {@code %}.
 *
 * @param ssh the ssh executable ({@code ssh} from {@code PATH}, or a path)
 * @param destination host or config alias; never starts with {@code -}
 * @param port SSH port, or null for the OpenSSH config's (22 by default)
 * @param user remote user, or null for the OpenSSH config's
 * @param identityFile private key offered alone ({@code IdentitiesOnly}), or null for OpenSSH's own choice (agent,
 *     config, default keys)
 * @param knownHosts the only known_hosts file host keys are checked against (strictly: never accept-new)
 * @param configFile OpenSSH client config ({@code -F}), or null for {@code ~/.ssh/config}
 * @param controlDir private (0700) directory of the control sockets; at most {@link #MAX_CONTROL_DIR} characters,
 *     because a Unix socket path is at most 107 bytes and OpenSSH appends 41 + 17 characters while creating it
 * @param controlPersist how long the master connection stays up after the last command ({@code ControlPersist})
 * @param connectTimeout TCP connect timeout ({@code ConnectTimeout}), whole seconds
 * @param maxSessions most commands and transfers in flight at once over the master (sshd refuses more than its
 *     {@code MaxSessions}, 10 by default)
 */
public record OpenSshTarget(String ssh, String destination, Integer port, String user, Path identityFile, Path knownHosts,
        Path configFile, Path controlDir, Duration controlPersist, Duration connectTimeout, int maxSessions) {
    /** Longest control directory: 107 - 1 ("/") - 40 (the %C hash) - 17 (OpenSSH's temporary suffix). */
    public static final int MAX_CONTROL_DIR = 49;
    private static final Pattern PLAIN = Pattern.compile("[^\\s'\"%\\\\]+");

    public OpenSshTarget {
        require(ssh != null && PLAIN.matcher(ssh).matches(), "ssh executable", ssh, "a command name or path without blanks");
        require(destination != null && PLAIN.matcher(destination).matches() && !destination.startsWith("-"), "host", destination,
                "a host name or ssh config alias (no blanks, quotes or '%', not starting with '-')");
        require(port == null || (port >= 1 && port <= 65535), "port", port, "in 1..65535");
        require(user == null || (PLAIN.matcher(user).matches() && !user.startsWith("-")), "user", user, "a user name");
        plainPath("identity_file", identityFile, true);
        plainPath("known_hosts", Objects.requireNonNull(knownHosts, "known_hosts: host keys are always verified"), false);
        plainPath("ssh_config", configFile, true);
        plainPath("control directory", Objects.requireNonNull(controlDir, "controlDir"), false);
        require(controlDir.toString().length() <= MAX_CONTROL_DIR, "control directory", controlDir,
                "at most " + MAX_CONTROL_DIR + " characters (Unix socket paths are short; set XDG_STATE_HOME to a shorter directory)");
        require(controlPersist != null && controlPersist.toSeconds() >= 1, "control_persist", controlPersist, "at least 1 s");
        require(connectTimeout != null && connectTimeout.toSeconds() >= 1, "connectTimeout", connectTimeout, "at least 1 s");
        require(maxSessions >= 1, "maxSessions", maxSessions, ">= 1");
    }

    /** {@code [user@]destination[:port]}. */
    public String describe() {
        return (user == null ? "" : user + "@") + destination + (port == null ? "" : ":" + port);
    }

    private static void plainPath(String field, Path p, boolean nullable) {
        if (p == null && nullable) return;
        require(p != null && p.isAbsolute() && PLAIN.matcher(p.toString()).matches(), field, p,
                "an absolute path without blanks, quotes or '%'");
    }

    private static void require(boolean ok, String field, Object value, String expected) {
        if (!ok) throw new IllegalArgumentException(field + ": '" + value + "' must be " + expected);
    }
}
