package org.crucible.driver.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.crucible.config.ClusterProfile;
import org.crucible.config.ClusterProfiles;
import org.crucible.core.testing.TestEnvironment;
import org.crucible.dft.hpc.Backoff;
import org.crucible.dft.hpc.RemoteException;
import org.crucible.dft.hpc.RemoteShell;
import org.crucible.dft.hpc.SshShell;
import org.crucible.dft.hpc.testing.LoopbackSshd;
import org.crucible.driver.cluster.ClusterConnection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The SSH reconnection schedule of a cluster profile ({@code reconnect: {attempts, initial_delay, max_delay, factor}})
 * against a real sshd on 127.0.0.1 (its own, not the local SLURM cluster's: no machine lock) that is killed, so its port
 * refuses every connection, and started again on the same port: the campaign's shell ({@link ClusterConnection#shell})
 * gives up after the profile's attempts and waits, not the default 8 tries over about 2 minutes; a shell that is refused
 * for a while reconnects after the profile's delays; bad values are refused by the CLI with exit 2 naming file, line and
 * field. About 15 s on an idle machine.
 */
class ClusterReconnectTest {
    static final String RECONNECT = "reconnect:\n  attempts: 5\n  initial_delay: 250ms\n  max_delay: 1s\n";
    /** What the schedule above waits between its 5 attempts. */
    static final List<Duration> WAITS = List.of(Duration.ofMillis(250), Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofSeconds(1));

    @TempDir
    Path tmp;

    static String profile(int port, Path key, Path knownHosts, String reconnect) {
        return "name: loop\nhost: 127.0.0.1\nport: " + port + "\nuser: " + System.getProperty("user.name") + "\nidentity_file: " + key
                + "\nknown_hosts: " + knownHosts + "\nwork_root: /tmp/crucible-reconnect\n" + reconnect
                + "codes:\n  qe:\n    command: \"pw.x -in {input}\"\n";
    }

    @Test
    void theProfilesScheduleDecidesHowLongARefusedClusterIsRetried() throws Exception {
        TestEnvironment.assumeExecutable("sshd", "openssh-server");
        TestEnvironment.assumeExecutable("ssh-keygen", "openssh-client");
        Path key = tmp.resolve("id_ed25519");
        Process kg = new ProcessBuilder("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", key.toString()).redirectErrorStream(true).start();
        assertEquals(0, kg.waitFor(), new String(kg.getInputStream().readAllBytes()));
        Path authorized = tmp.resolve("authorized_keys");
        Files.copy(Path.of(key + ".pub"), authorized);
        LoopbackSshd sshd = LoopbackSshd.start(authorized, tmp.resolve("sshd"), "StrictModes no");
        try {
            Path file = tmp.resolve("loop.yaml");
            Files.writeString(file, profile(sshd.port(), key, sshd.knownHosts(), RECONNECT));
            ClusterProfile p = ClusterProfiles.read(file);
            assertEquals(new Backoff(Duration.ofMillis(250), 2.0, Duration.ofSeconds(1), 5), p.reconnect());
            assertEquals(Backoff.DEFAULT_RECONNECT, ClusterProfiles.parse(profile(sshd.port(), key, sshd.knownHosts(), ""), file).reconnect(), "default");
            try (RemoteShell up = ClusterConnection.shell(p)) {
                assertEquals("up\n", up.exec(List.of("echo", "up")).stdout());
            }

            sshd.kill(); // every connection to the port is refused from now on
            long t0 = System.nanoTime();
            RemoteException e;
            try (RemoteShell refused = ClusterConnection.shell(p)) {
                e = assertThrows(RemoteException.class, () -> refused.exec(List.of("echo", "never")));
            }
            double seconds = (System.nanoTime() - t0) * 1e-9;
            assertTrue(e.getMessage().contains("after 5 attempts") && e.getMessage().contains("refused"), e.getMessage());
            assertTrue(seconds >= 2.75, "waited the schedule's 0.25 + 0.5 + 1 + 1 s: " + seconds);
            assertTrue(seconds < 30, "gave up on the profile's schedule, not the default one (8 attempts, 2 min): " + seconds);

            // refused for about 1.2 s, then back on the same port: the shell reconnects after the profile's delays
            List<Duration> waits = Collections.synchronizedList(new ArrayList<>());
            LoopbackSshd[] back = new LoopbackSshd[1];
            Thread restarter = new Thread(() -> {
                try {
                    Thread.sleep(1200);
                    back[0] = sshd.restart();
                } catch (Exception ex) {
                    throw new IllegalStateException(ex);
                }
            });
            try (SshShell ssh = new SshShell(ClusterConnection.target(p), d -> {
                waits.add(d);
                Thread.sleep(d.toMillis());
            }, System::getenv)) {
                restarter.start();
                assertEquals("back\n", ssh.exec(List.of("echo", "back")).stdout());
                assertEquals(1, ssh.connectionCount());
            } finally {
                restarter.join();
                if (back[0] != null) back[0].close();
            }
            assertTrue(waits.size() >= 2 && waits.size() <= WAITS.size(), "refused at least at 0 and 0.25 s, connected within the schedule: " + waits);
            assertEquals(WAITS.subList(0, waits.size()), waits, "the profile's delays, in order");

            // bad values: exit 2 naming file, line and field, no Java class name
            Path bad = tmp.resolve("bad.yaml");
            Files.writeString(bad, profile(sshd.port(), key, sshd.knownHosts(), "reconnect:\n  attempts: 0\n  initial_delay: 2s\n  max_delay: 1s\n"));
            CampaignCliTest.Result r = CampaignCliTest.cli("cluster", "check", "--cluster", "loop", "--config", bad.toString());
            assertEquals(2, r.code(), r.out() + r.err());
            assertTrue(r.err().contains(bad + ": 1 problem") && r.err().contains("line 9: reconnect.attempts: value 0 is out of range: allowed integers 1 to 1000"),
                    r.err());
            assertFalse(r.err().contains("Exception") || r.err().contains("\tat "), r.err());
            Files.writeString(bad, profile(sshd.port(), key, sshd.knownHosts(), "reconnect:\n  initial_delay: 2s\n  max_delay: 1s\n"));
            r = CampaignCliTest.cli("cluster", "check", "--cluster", "loop", "--config", bad.toString());
            assertEquals(2, r.code(), r.out() + r.err());
            assertTrue(r.err().contains("line 10: reconnect.max_delay: max_delay (1000 ms) is below initial_delay (2000 ms)"), r.err());
        } finally {
            sshd.kill();
        }
    }
}
