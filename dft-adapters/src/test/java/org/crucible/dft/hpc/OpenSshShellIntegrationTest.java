package org.crucible.dft.hpc;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.crucible.dft.hpc.testing.LocalSlurm;
import org.crucible.dft.hpc.testing.LoopbackSshd;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code openssh} transport (system ssh with a ControlMaster socket) against a real sshd on 127.0.0.1 that logs
 * every connection: several commands and transfers share one authenticated connection, host keys are checked by
 * OpenSSH against the given known_hosts only, and every ssh process is started by the injected launcher.
 */
class OpenSshShellIntegrationTest {
    @TempDir
    Path tmp;

    private final List<List<String>> launched = Collections.synchronizedList(new ArrayList<>());
    private final ProcessLauncher recording = pb -> {
        launched.add(List.copyOf(pb.command()));
        return pb.start();
    };

    private OpenSshTarget target(LocalSlurm cluster, LoopbackSshd sshd, Path knownHosts, Path identity) {
        return new OpenSshTarget("ssh", "127.0.0.1", sshd.port(), "root", identity, knownHosts, null, tmp.resolve("ctl"),
                Duration.ofSeconds(60), Duration.ofSeconds(10), 8);
    }

    private static int count(String text, String regex) {
        Matcher m = Pattern.compile(regex).matcher(text);
        int n = 0;
        while (m.find()) n++;
        return n;
    }

    @Test
    void commandsAndTransfersReuseOneMasterConnection() throws Exception {
        LocalSlurm cluster = LocalSlurm.assumeUp();
        try (LoopbackSshd sshd = LoopbackSshd.start(cluster, tmp.resolve("sshd"))) {
            OpenSshTarget t = target(cluster, sshd, sshd.knownHosts(), cluster.identity());
            OpenSshShell ssh = new OpenSshShell(t, recording);
            try {
                CommandResult r = ssh.exec(List.of("sh", "-c", "echo out; echo err >&2; exit 3"));
                assertEquals(3, r.exitCode());
                assertEquals("out\n", r.stdout());
                assertEquals("err\n", r.stderr());
                assertTrue(ssh.masterRunning(), "ssh -O check finds the master the first command left behind");

                String nasty = "a b; echo injected $(id -u) `id -u` \"q\" 'x' \\ *";
                assertEquals(nasty + "\n", ssh.exec(List.of("printf", "%s\\n", nasty)).stdout(), "arguments arrive verbatim");

                Path work = cluster.workRoot("openssh");
                byte[] big = new byte[1_500_000];
                for (int i = 0; i < big.length; i++) big[i] = (byte) (i * 31 + 7);
                String p = work.resolve("sub dir/big.bin").toString();
                String small = work.resolve("sub dir/it's.txt").toString();
                ssh.put(Map.of(p, big, small, "x y\n".getBytes()));
                assertArrayEquals(big, Files.readAllBytes(Path.of(p)));
                assertEquals("x y\n", Files.readString(Path.of(small)));
                assertFalse(Files.exists(Path.of(p + ".part")), "staging file renamed away");
                assertArrayEquals(big, ssh.get(List.of(p)).get(p));
                Map<String, byte[]> present = ssh.getIfPresent(List.of(p, work + "/nope"));
                assertEquals(List.of(p), List.copyOf(present.keySet()), "only existing files are fetched");
                RemoteException missing = assertThrows(RemoteException.class, () -> ssh.get(List.of(work + "/nope")));
                assertTrue(missing.getMessage().contains(work + "/nope"), missing.getMessage());
                assertTrue(ssh.masterRunning());
            } finally {
                ssh.stopMaster();
            }
            assertFalse(ssh.masterRunning(), "ssh -O exit ended the master");

            String log = sshd.logText();
            int sessions = count(log, "Starting session: command for root from 127\\.0\\.0\\.1 port \\d+");
            assertTrue(sessions >= 10, "every command and transfer ran a session: " + sessions);
            assertEquals(1, count(log, "Accepted publickey for root"), "one authentication for all of them:\n" + log);
            Matcher accepted = Pattern.compile("Accepted publickey for root from 127\\.0\\.0\\.1 port (\\d+)").matcher(log);
            assertTrue(accepted.find());
            assertEquals(sessions, count(log, "Starting session: command for root from 127\\.0\\.0\\.1 port " + accepted.group(1) + " "),
                    "every session on that one TCP connection (client port " + accepted.group(1) + "):\n" + log);

            assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(t.controlDir())));
            assertTrue(launched.size() >= sessions, launched.size() + " ssh processes for " + sessions + " sessions");
            for (List<String> argv : launched) {
                assertEquals("ssh", argv.get(0));
                for (String opt : List.of("BatchMode=yes", "StrictHostKeyChecking=yes", "UserKnownHostsFile=" + sshd.knownHosts(),
                        "GlobalKnownHostsFile=/dev/null", "ControlMaster=auto", "ControlPath=" + t.controlDir() + "/%C", "ControlPersist=60")) {
                    int i = argv.indexOf(opt);
                    assertTrue(i > 0 && "-o".equals(argv.get(i - 1)), opt + " in " + argv);
                }
                assertFalse(String.join(" ", argv).contains("accept-new"), argv.toString());
                int dd = argv.indexOf("--");
                assertEquals("127.0.0.1", argv.get(dd + 1), "the destination follows --: " + argv);
                assertTrue(argv.size() == dd + 3 || argv.get(dd - 2).equals("-O"),
                        "at most one remote argument (the quoted command line): " + argv);
            }
        }
    }

    /** sshd with MaxSessions 2: eight concurrent commands through a shell bounded to 2 sessions all succeed. */
    @Test
    void concurrentCommandsStayWithinTheServersSessionLimit() throws Exception {
        LocalSlurm cluster = LocalSlurm.assumeUp();
        try (LoopbackSshd sshd = LoopbackSshd.start(cluster, tmp.resolve("sshd"), "MaxSessions 2")) {
            OpenSshTarget t = target(cluster, sshd, sshd.knownHosts(), cluster.identity());
            OpenSshTarget bounded = new OpenSshTarget(t.ssh(), t.destination(), t.port(), t.user(), t.identityFile(), t.knownHosts(),
                    t.configFile(), t.controlDir(), t.controlPersist(), t.connectTimeout(), 2);
            OpenSshShell ssh = new OpenSshShell(bounded, recording);
            String counter = cluster.workRoot("openssh-sessions").resolve("running").toString();
            java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(8);
            try {
                ssh.exec(List.of("mkdir", "-p", counter)).orThrow(); // the master, before the burst
                List<java.util.concurrent.Future<CommandResult>> fs = new ArrayList<>();
                for (int i = 0; i < 8; i++) {
                    fs.add(pool.submit(() -> ssh.run("t=$(mktemp -p " + ShellQuote.quote(counter) + ") && ls " + ShellQuote.quote(counter)
                            + " | wc -l && sleep 0.5 && rm \"$t\"", Duration.ofSeconds(120))));
                }
                int max = 0;
                for (java.util.concurrent.Future<CommandResult> f : fs) {
                    CommandResult r = f.get().orThrow();
                    max = Math.max(max, Integer.parseInt(r.stdout().strip()));
                }
                assertTrue(max <= 2, "at most 2 sessions at once, saw " + max);
            } finally {
                pool.shutdownNow();
                ssh.stopMaster();
            }
            assertEquals(1, count(sshd.logText(), "Accepted publickey for root"), "one login for all");
        }
    }

    @Test
    void unknownAndChangedHostKeysAreRefusedByOpenSsh() throws Exception {
        LocalSlurm cluster = LocalSlurm.assumeUp();
        try (LoopbackSshd sshd = LoopbackSshd.start(cluster, tmp.resolve("sshd"))) {
            Path empty = Files.writeString(tmp.resolve("empty_known_hosts"), "");
            OpenSshShell unknown = new OpenSshShell(target(cluster, sshd, empty, cluster.identity()), recording);
            HostKeyException e = assertThrows(HostKeyException.class, () -> unknown.exec(List.of("true")));
            String host = "[127.0.0.1]:" + sshd.port();
            assertTrue(e.getMessage().startsWith("host key of " + host + " (ssh 127.0.0.1) is not in " + empty + "; refusing to connect"),
                    e.getMessage());
            assertTrue(e.getMessage().contains("add it with: ssh-keyscan -p " + sshd.port() + " 127.0.0.1 >> " + empty), e.getMessage());
            assertEquals("", Files.readString(empty), "nothing was added to known_hosts");
            assertFalse(unknown.masterRunning());

            // the cluster's sshd key recorded under this sshd's name: a changed key
            Path wrong = tmp.resolve("wrong_known_hosts");
            String other = Files.readString(cluster.state().resolve("ssh_host_ed25519_key.pub")).strip();
            Files.writeString(wrong, host + " " + other.split(" ")[0] + " " + other.split(" ")[1] + "\n");
            OpenSshShell changed = new OpenSshShell(target(cluster, sshd, wrong, cluster.identity()), recording);
            HostKeyException c = assertThrows(HostKeyException.class, () -> changed.exec(List.of("true")));
            assertTrue(c.getMessage().startsWith("host key of " + host + " (ssh 127.0.0.1) differs from the one in " + wrong), c.getMessage());
            assertEquals(0, count(sshd.logText(), "Accepted publickey"), "no login happened");
        }
    }

    @Test
    void aKeyTheServerRefusesNamesTheLoginCommand() throws Exception {
        LocalSlurm cluster = LocalSlurm.assumeUp();
        try (LoopbackSshd sshd = LoopbackSshd.start(cluster, tmp.resolve("sshd"))) {
            Path key = tmp.resolve("stranger");
            assertEquals(0, new ProcessBuilder("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", key.toString()).start().waitFor());
            OpenSshShell ssh = new OpenSshShell(target(cluster, sshd, sshd.knownHosts(), key), recording);
            SshAuthException e = assertThrows(SshAuthException.class, () -> ssh.exec(List.of("true")));
            assertTrue(e.getMessage().contains("Permission denied (publickey)"), e.getMessage());
            assertTrue(e.getMessage().contains("Log in once in a terminal"), e.getMessage());
            List<String> login = ssh.loginCommand();
            assertFalse(login.contains("BatchMode=yes"), "the login command may prompt: " + login);
            assertTrue(login.containsAll(List.of("-f", "-N", "ControlMaster=auto", "StrictHostKeyChecking=yes")), login.toString());
            assertTrue(e.getMessage().contains(ShellQuote.join(login)), e.getMessage());
        }
    }

    @Test
    void aControlDirectoryOthersCanEnterIsRefusedBeforeSshRuns() throws Exception {
        Path dir = Files.createDirectory(tmp.resolve("ctl"), PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        OpenSshTarget t = new OpenSshTarget("ssh", "login.example.org", null, null, null, Path.of("/nonexistent/known_hosts"), null,
                dir, Duration.ofMinutes(10), Duration.ofSeconds(10), 8);
        OpenSshShell ssh = new OpenSshShell(t, recording);
        RemoteException e = assertThrows(RemoteException.class, () -> ssh.exec(List.of("true")));
        assertTrue(e.getMessage().contains("rwxr-xr-x") && e.getMessage().contains("chmod 700 " + dir), e.getMessage());
        assertEquals(List.of(), launched, "no ssh process was started");
    }

    @Test
    void targetsRefuseOptionInjectionAndLongSocketPaths() {
        Path kh = Path.of("/k/known_hosts");
        Path ctl = Path.of("/tmp/c");
        IllegalArgumentException dash = assertThrows(IllegalArgumentException.class, () -> new OpenSshTarget("ssh",
                "-oProxyCommand=touch /tmp/x", null, null, null, kh, null, ctl, Duration.ofMinutes(1), Duration.ofSeconds(5), 8));
        assertTrue(dash.getMessage().startsWith("host: '-oProxyCommand"), dash.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new OpenSshTarget("ssh", "h", null, "-l", null, kh, null, ctl,
                Duration.ofMinutes(1), Duration.ofSeconds(5), 8));
        assertThrows(IllegalArgumentException.class, () -> new OpenSshTarget("ssh", "h", null, null, null, Path.of("/a b/kh"), null, ctl,
                Duration.ofMinutes(1), Duration.ofSeconds(5), 8));
        IllegalArgumentException longDir = assertThrows(IllegalArgumentException.class, () -> new OpenSshTarget("ssh", "h", null, null,
                null, kh, null, Path.of("/" + "d".repeat(60)), Duration.ofMinutes(1), Duration.ofSeconds(5), 8));
        assertTrue(longDir.getMessage().contains("at most 49 characters"), longDir.getMessage());
    }
}
