package org.crucible.dft.hpc.testing;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.crucible.core.testing.TestEnvironment;
import org.crucible.dft.hpc.Backoff;
import org.crucible.dft.hpc.SshTarget;

/**
 * The real one-node SLURM cluster of {@code deploy/local-slurm}, for integration tests. {@link #assumeUp()} runs
 * {@code up.sh} (idempotent) when the tests run as root with SLURM installed, and skips with the reason otherwise.
 * Once the prerequisites are there, a failing {@code up.sh} fails the test: it is a real defect, not a skip.
 */
public final class LocalSlurm {
    private static LocalSlurm instance;
    private final Path state;

    private LocalSlurm(Path state) {
        this.state = state;
    }

    public static synchronized LocalSlurm assumeUp() {
        assumeTrue("root".equals(System.getProperty("user.name")),
                "the local SLURM cluster needs root (deploy/local-slurm/up.sh starts munged, slurmctld, slurmd, sshd)");
        assumeTrue(Files.isExecutable(Path.of("/usr/sbin/slurmctld")) && Files.isExecutable(Path.of("/usr/sbin/sshd"))
                        && Files.isExecutable(Path.of("/usr/sbin/munged")),
                "slurm-wlm, munge and openssh-server are not installed (apt-get install slurm-wlm munge openssh-server)");
        if (instance == null) {
            lockMachine();
            Path root = TestEnvironment.repositoryRoot();
            up(root);
            instance = new LocalSlurm(root.resolve("deploy/local-slurm/state"));
        } else if (!instance.sshdAlive()) {
            up(TestEnvironment.repositoryRoot());
        }
        return instance;
    }

    /** Held until this JVM exits: one checkout's tests at a time use the machine's one SLURM cluster. */
    private static java.nio.channels.FileLock machineLock;

    /**
     * There is one slurm.conf per machine, and up.sh stops the daemons another checkout started: two test JVMs from
     * two checkouts would pull the cluster from under each other. The second waits here (an fcntl lock, released by
     * the kernel when the holder exits, even on kill -9).
     */
    private static void lockMachine() {
        try {
            var ch = java.nio.channels.FileChannel.open(Path.of(System.getProperty("java.io.tmpdir"), "crucible-local-slurm.lock"),
                    java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.WRITE);
            machineLock = ch.tryLock();
            if (machineLock == null) {
                System.err.println("LocalSlurm: another checkout's tests hold the local SLURM cluster; waiting");
                machineLock = ch.lock();
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot lock the local SLURM cluster", e);
        }
    }

    private static void up(Path root) {
        try {
            Process p = new ProcessBuilder(root.resolve("deploy/local-slurm/up.sh").toString())
                    .redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IllegalStateException("deploy/local-slurm/up.sh failed:\n" + out);
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot run deploy/local-slurm/up.sh", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    public Path state() {
        return state;
    }

    /**
     * The authorized_keys file the loopback sshd reads: up.sh keeps it in a root-owned directory outside the
     * checkout (sshd's StrictModes refuses one below /tmp) and records that directory in
     * {@code state/authorized_keys.dir}.
     */
    public Path authorizedKeys() throws IOException {
        return Path.of(Files.readString(state().resolve("authorized_keys.dir")).trim()).resolve("authorized_keys");
    }

    public int port() {
        return Integer.parseInt(read("sshd.port"));
    }

    public Path identity() {
        return state.resolve("id_ed25519");
    }

    public Path knownHosts() {
        return state.resolve("known_hosts");
    }

    public Path clusterYaml() {
        return state.resolve("cluster.yaml");
    }

    /** A fresh remote work directory for one test. */
    public Path workRoot(String test) throws IOException {
        Path p = state.resolve("work").resolve(test + "-" + ProcessHandle.current().pid() + "-" + System.nanoTime());
        Files.createDirectories(p);
        return p;
    }

    /** SSH target of the local cluster with a short reconnect backoff (tests restart sshd). */
    public SshTarget target() {
        return SshTarget.of("127.0.0.1", port(), "root", identity(), knownHosts())
                .withReconnect(new Backoff(Duration.ofMillis(200), 2.0, Duration.ofSeconds(2), 12));
    }

    public boolean sshdAlive() {
        return pidAlive("sshd.pid");
    }

    /**
     * Kills the loopback sshd and every connection process it forked (SIGKILL, as a crash or reboot of the login
     * node), which drops every open session.
     */
    public void killSshd() throws IOException, InterruptedException {
        long pid = Long.parseLong(Files.readString(state.resolve("run/sshd.pid")).strip());
        ProcessHandle parent = ProcessHandle.of(pid).orElseThrow(() -> new IllegalStateException("sshd " + pid + " is not running"));
        // collect the per-connection processes first: once the listener dies they are re-parented to init
        java.util.List<ProcessHandle> children = parent.descendants().toList();
        parent.destroyForcibly();
        children.forEach(ProcessHandle::destroyForcibly);
        for (int i = 0; i < 100 && parent.isAlive(); i++) Thread.sleep(50);
    }

    /** Starts sshd again on the same port (up.sh is idempotent and restarts only what is down). */
    /** Runs up.sh again, which starts whatever is down (munged, slurmctld, slurmd, sshd) and nothing else. */
    public void ensureUp() {
        up(TestEnvironment.repositoryRoot());
    }

    public void startSshd() {
        up(TestEnvironment.repositoryRoot());
    }

    private boolean pidAlive(String name) {
        Path f = state.resolve("run").resolve(name);
        if (!Files.exists(f)) return false;
        try {
            long pid = Long.parseLong(Files.readString(f).strip());
            return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
        } catch (IOException | NumberFormatException e) {
            return false;
        }
    }

    private String read(String name) {
        try {
            return Files.readString(state.resolve(name)).strip();
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + state.resolve(name), e);
        }
    }
}
