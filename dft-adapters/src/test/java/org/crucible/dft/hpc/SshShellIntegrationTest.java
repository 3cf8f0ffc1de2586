package org.crucible.dft.hpc;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.crucible.dft.hpc.testing.LocalSlurm;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The SSH layer against the real loopback sshd of deploy/local-slurm. */
class SshShellIntegrationTest {
    @TempDir
    Path tmp;

    @Test
    void ed25519KeyRunsCommandsAndStagesFilesWithChecksums() throws Exception {
        LocalSlurm cluster = LocalSlurm.assumeUp();
        Path work = cluster.workRoot("ssh");
        try (SshShell ssh = new SshShell(cluster.target())) {
            CommandResult r = ssh.exec(List.of("sh", "-c", "echo out; echo err >&2; exit 3"));
            assertEquals(3, r.exitCode());
            assertEquals("out\n", r.stdout());
            assertEquals("err\n", r.stderr());
            byte[] big = new byte[3_000_000];
            for (int i = 0; i < big.length; i++) big[i] = (byte) (i * 31 + 7);
            String p = work.resolve("sub/dir/big.bin").toString();
            ssh.put(Map.of(p, big));
            assertArrayEquals(big, Files.readAllBytes(Path.of(p)));
            assertTrue(Files.notExists(Path.of(p + ".part")), "staging file renamed away");
            assertArrayEquals(big, ssh.get(List.of(p)).get(p));
            Map<String, byte[]> present = ssh.getIfPresent(List.of(p, work + "/nope"));
            assertEquals(List.of(p), List.copyOf(present.keySet()), "only existing files are fetched");
            assertArrayEquals(big, present.get(p));
            RemoteException missing = assertThrows(RemoteException.class, () -> ssh.get(List.of(work + "/nope")));
            assertTrue(missing.getMessage().contains("nope"), missing.getMessage());
            assertEquals(1, ssh.connectionCount(), "one session reused for every command and transfer");
        }
    }

    @Test
    void channelsAreBoundedAndSessionShared() throws Exception {
        LocalSlurm cluster = LocalSlurm.assumeUp();
        SshTarget t = cluster.target();
        SshTarget narrow = new SshTarget(t.host(), t.port(), t.user(), t.identityFile(), null, false, t.knownHosts(),
                t.connectTimeout(), t.keepalive(), 2, t.reconnect());
        Path work = cluster.workRoot("channels");
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try (SshShell ssh = new SshShell(narrow)) {
            List<Future<CommandResult>> fs = new ArrayList<>();
            String counter = work.resolve("running").toString();
            for (int i = 0; i < 8; i++) {
                // each command records the number of concurrently running siblings
                fs.add(pool.submit(() -> ssh.run("mkdir -p " + ShellQuote.quote(counter) + " && t=$(mktemp -p "
                        + ShellQuote.quote(counter) + ") && ls " + ShellQuote.quote(counter) + " | wc -l && sleep 0.3 && rm \"$t\"",
                        Duration.ofSeconds(30))));
            }
            int max = 0;
            for (Future<CommandResult> f : fs) max = Math.max(max, Integer.parseInt(f.get().stdout().strip()));
            assertTrue(max <= 2, "at most 2 channels at once, saw " + max);
            assertEquals(1, ssh.connectionCount());
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void unknownHostKeyIsRefusedWithHowToAddIt() throws Exception {
        LocalSlurm cluster = LocalSlurm.assumeUp();
        Path empty = tmp.resolve("known_hosts");
        Files.writeString(empty, "");
        SshTarget t = cluster.target();
        SshTarget unknown = SshTarget.of(t.host(), t.port(), t.user(), t.identityFile(), empty);
        try (SshShell ssh = new SshShell(unknown)) {
            HostKeyException e = assertThrows(HostKeyException.class, () -> ssh.exec(List.of("true")));
            assertTrue(e.getMessage().contains("ssh-keyscan -p " + t.port() + " 127.0.0.1 >> " + empty), e.getMessage());
            assertTrue(e.getMessage().contains("refusing to connect"), e.getMessage());
            assertEquals(0, ssh.connectionCount());
        }
        // a wrong key recorded for the host is refused as a changed key
        Path wrong = tmp.resolve("known_hosts_wrong");
        Files.writeString(wrong, "[127.0.0.1]:" + t.port() + " "
                + Files.readString(cluster.state().resolve("id_ed25519.pub")).split(" ")[0] + " "
                + Files.readString(cluster.state().resolve("id_ed25519.pub")).split(" ")[1] + "\n");
        try (SshShell ssh = new SshShell(SshTarget.of(t.host(), t.port(), t.user(), t.identityFile(), wrong))) {
            HostKeyException e = assertThrows(HostKeyException.class, () -> ssh.exec(List.of("true")));
            assertTrue(e.getMessage().contains("differs from the one in"), e.getMessage());
        }
    }

    @Test
    void passphraseComesFromTheNamedEnvironmentVariable() throws Exception {
        LocalSlurm cluster = LocalSlurm.assumeUp();
        Path key = tmp.resolve("id_enc");
        Process p = new ProcessBuilder("ssh-keygen", "-q", "-t", "ed25519", "-N", "s3cret pass", "-f", key.toString())
                .redirectErrorStream(true).start();
        assertEquals(0, p.waitFor());
        Path auth = cluster.authorizedKeys();
        String pub = Files.readString(Path.of(key + ".pub"));
        String before = Files.readString(auth);
        Files.writeString(auth, before + pub);
        try {
            SshTarget t = cluster.target();
            SshTarget enc = new SshTarget(t.host(), t.port(), t.user(), key, "CRUCIBLE_TEST_PASS", false, t.knownHosts(),
                    t.connectTimeout(), t.keepalive(), 4, new Backoff(Duration.ofMillis(10), 1, Duration.ofMillis(10), 1));
            try (SshShell ssh = new SshShell(enc, Sleeper.SYSTEM, name -> "CRUCIBLE_TEST_PASS".equals(name) ? "s3cret pass" : null)) {
                assertEquals("ok\n", ssh.exec(List.of("echo", "ok")).stdout());
            }
            try (SshShell ssh = new SshShell(enc, Sleeper.SYSTEM, name -> null)) {
                RemoteException e = assertThrows(RemoteException.class, () -> ssh.exec(List.of("true")));
                assertEquals("environment variable CRUCIBLE_TEST_PASS (passphrase of " + key + ") is not set", e.getMessage());
            }
            try (SshShell ssh = new SshShell(enc, Sleeper.SYSTEM, name -> "N0tTheRightOne")) {
                RemoteException e = assertThrows(RemoteException.class, () -> ssh.exec(List.of("true")));
                assertTrue(!e.getMessage().contains("N0tTheRightOne") && !e.getMessage().contains("s3cret"),
                        "no secret in the message: " + e.getMessage());
            }
        } finally {
            Files.writeString(auth, before);
        }
    }

    @Test
    void keyFromSshAgent() throws Exception {
        LocalSlurm cluster = LocalSlurm.assumeUp();
        org.crucible.core.testing.TestEnvironment.assumeExecutable("ssh-agent", "openssh-client");
        Path sock = tmp.resolve("agent.sock");
        Process agent = new ProcessBuilder("ssh-agent", "-D", "-a", sock.toString()).redirectErrorStream(true)
                .redirectOutput(tmp.resolve("agent.log").toFile()).start();
        try {
            for (int i = 0; i < 100 && !Files.exists(sock); i++) Thread.sleep(50);
            ProcessBuilder addBuilder = new ProcessBuilder("ssh-add", cluster.identity().toString()).redirectErrorStream(true);
            addBuilder.environment().put("SSH_AUTH_SOCK", sock.toString());
            Process add = addBuilder.start();
            String addOut = new String(add.getInputStream().readAllBytes());
            assertEquals(0, add.waitFor(), addOut);
            SshTarget t = cluster.target();
            SshTarget viaAgent = new SshTarget(t.host(), t.port(), t.user(), null, null, true, t.knownHosts(),
                    t.connectTimeout(), t.keepalive(), 4, t.reconnect());
            try (SshShell ssh = new SshShell(viaAgent, Sleeper.SYSTEM, n -> "SSH_AUTH_SOCK".equals(n) ? sock.toString() : null)) {
                assertEquals("agent\n", ssh.exec(List.of("echo", "agent")).stdout());
            }
            try (SshShell ssh = new SshShell(viaAgent, Sleeper.SYSTEM, n -> null)) {
                SshAuthException e = assertThrows(SshAuthException.class, () -> ssh.exec(List.of("true")));
                assertTrue(e.getMessage().contains("SSH_AUTH_SOCK"), e.getMessage());
            }
        } finally {
            agent.destroy();
            agent.waitFor();
        }
    }

    @Test
    void reconnectsWithBackoffAfterSshdRestart() throws Exception {
        LocalSlurm cluster = LocalSlurm.assumeUp();
        List<Duration> waits = new ArrayList<>();
        try (SshShell ssh = new SshShell(cluster.target(), d -> {
            waits.add(d);
            Thread.sleep(d.toMillis());
        }, System::getenv)) {
            assertEquals("1\n", ssh.exec(List.of("echo", "1")).stdout());
            cluster.killSshd();
            Thread restarter = new Thread(() -> {
                try {
                    Thread.sleep(1500);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                cluster.startSshd();
            });
            restarter.start();
            // the first command after the crash may fail as "connection lost"; later ones reconnect
            String out = null;
            for (int i = 0; i < 3 && out == null; i++) {
                try {
                    out = ssh.exec(List.of("echo", "2")).stdout();
                } catch (ConnectionLostException e) {
                    assertTrue(e.getMessage().contains("root@127.0.0.1"), e.getMessage());
                }
            }
            restarter.join();
            assertEquals("2\n", out);
            assertEquals(2, ssh.connectionCount());
            assertTrue(!waits.isEmpty(), "reconnection waited between attempts");
            for (int i = 1; i < waits.size(); i++) {
                assertTrue(waits.get(i).compareTo(waits.get(i - 1)) >= 0, "backoff grows: " + waits);
            }
        } finally {
            if (!cluster.sshdAlive()) cluster.startSshd();
        }
    }
}
