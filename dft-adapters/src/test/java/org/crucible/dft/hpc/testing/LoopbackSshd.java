package org.crucible.dft.hpc.testing;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * A second real sshd on 127.0.0.1 for one test: its own ed25519 host key, a free port, the authorized_keys of the
 * local SLURM cluster (so its key logs in), {@code LogLevel DEBUG1} to a log file the test reads, and a known_hosts
 * file with its key. Stopped by {@link #close()}.
 */
public final class LoopbackSshd implements AutoCloseable {
    private final Path dir;
    private final int port;
    private final Process sshd;

    private LoopbackSshd(Path dir, int port, Process sshd) {
        this.dir = dir;
        this.port = port;
        this.sshd = sshd;
    }

    /**
     * Starts sshd with files under {@code dir} and waits until it accepts connections.
     *
     * @param extraConfig further sshd_config lines, e.g. {@code MaxSessions 2}
     */
    public static LoopbackSshd start(LocalSlurm cluster, Path dir, String... extraConfig) throws IOException, InterruptedException {
        return start(cluster.authorizedKeys(), dir, extraConfig);
    }

    /**
     * As {@link #start(LocalSlurm, Path, String...)} with the keys of {@code authorizedKeys} allowed to log in (as the user
     * running the test), without the local SLURM cluster.
     */
    public static LoopbackSshd start(Path authorizedKeys, Path dir, String... extraConfig) throws IOException, InterruptedException {
        Files.createDirectories(dir);
        Path hostKey = dir.resolve("host_key");
        Process kg = new ProcessBuilder("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", hostKey.toString())
                .redirectErrorStream(true).start();
        if (kg.waitFor() != 0) throw new IllegalStateException("ssh-keygen failed: " + new String(kg.getInputStream().readAllBytes()));
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        Files.writeString(dir.resolve("sshd_config"), String.join("\n",
                "ListenAddress 127.0.0.1", "Port " + port, "HostKey " + hostKey, "PidFile " + dir.resolve("sshd.pid"),
                "AuthorizedKeysFile " + authorizedKeys, "PubkeyAuthentication yes", "PasswordAuthentication no",
                "KbdInteractiveAuthentication no", "PermitRootLogin prohibit-password", "UsePAM no", "AllowTcpForwarding yes",
                "LogLevel DEBUG1", String.join("\n", extraConfig), ""));
        String pub = Files.readString(Path.of(hostKey + ".pub")).strip();
        Files.writeString(dir.resolve("known_hosts"), "[127.0.0.1]:" + port + " " + pub.split(" ")[0] + " " + pub.split(" ")[1] + "\n");
        return launch(dir, port);
    }

    /** Starts sshd -D on the configuration written in {@code dir} and waits until it accepts connections. */
    private static LoopbackSshd launch(Path dir, int port) throws IOException, InterruptedException {
        Files.createDirectories(Path.of("/run/sshd"));
        Process sshd = new ProcessBuilder("/usr/sbin/sshd", "-D", "-f", dir.resolve("sshd_config").toString(), "-E",
                dir.resolve("sshd.log").toString()).redirectErrorStream(true).start();
        LoopbackSshd d = new LoopbackSshd(dir, port, sshd);
        for (int i = 0; i < 200; i++) {
            try (Socket probe = new Socket("127.0.0.1", port)) {
                return d;
            } catch (IOException e) {
                if (!sshd.isAlive()) break;
                Thread.sleep(50);
            }
        }
        d.close();
        throw new IllegalStateException("sshd on 127.0.0.1:" + port + " did not start; see " + d.log());
    }

    /**
     * Kills this sshd and every session it serves with SIGKILL (a crashed or rebooted login node): connections to its
     * port are refused from now on, and open sessions are cut.
     */
    public void kill() throws InterruptedException {
        sshd.descendants().forEach(ProcessHandle::destroyForcibly);
        sshd.destroyForcibly();
        sshd.waitFor(10, TimeUnit.SECONDS);
    }

    /** A new sshd on the same port with the same host key and configuration (this one must have been stopped). */
    public LoopbackSshd restart() throws IOException, InterruptedException {
        return launch(dir, port);
    }

    public int port() {
        return port;
    }

    /** known_hosts with this sshd's key under {@code [127.0.0.1]:PORT}. */
    public Path knownHosts() {
        return dir.resolve("known_hosts");
    }

    public Path log() {
        return dir.resolve("sshd.log");
    }

    public String logText() throws IOException {
        return Files.readString(log());
    }

    @Override
    public void close() throws InterruptedException {
        sshd.destroy();
        if (!sshd.waitFor(10, TimeUnit.SECONDS)) sshd.destroyForcibly();
    }
}
