package org.crucible.dft.hpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.crucible.dft.hpc.testing.LocalSlurm;
import org.crucible.dft.hpc.testing.LoopbackSshd;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * ProxyJump: a second real sshd on 127.0.0.1 (its own host key, another port) as the jump host in front of the
 * loopback sshd of deploy/local-slurm. Both host keys are verified; a wrong jump host key is refused.
 */
class SshJumpIntegrationTest {
    @TempDir
    Path tmp;

    @Test
    void commandsRunThroughAJumpHostWithBothHostKeysVerified() throws Exception {
        LocalSlurm cluster = LocalSlurm.assumeUp();
        try (LoopbackSshd jumpd = LoopbackSshd.start(cluster, tmp.resolve("jump"))) {
            int port = jumpd.port();
            Path jumpKnown = jumpd.knownHosts();
            SshTarget login = cluster.target();
            SshTarget jump = SshTarget.of("127.0.0.1", port, "root", cluster.identity(), jumpKnown);
            try (SshShell ssh = new SshShell(login.withJumps(List.of(jump)))) {
                assertEquals("through\n", ssh.exec(List.of("echo", "through")).stdout());
                Path f = cluster.workRoot("jump").resolve("a.txt");
                ssh.put(java.util.Map.of(f.toString(), "x y\n".getBytes()));
                assertEquals("x y\n", Files.readString(f));
                assertTrue(ssh.describe().contains(" via root@127.0.0.1:" + port), ssh.describe());
            }
            String jumpLog = jumpd.logText();
            assertTrue(jumpLog.contains("Accepted publickey for root"), "the jump host authenticated the key: " + jumpLog);
            assertTrue(jumpLog.contains("target 127.0.0.1 port " + cluster.port()),
                    "the session to the login node was tunnelled through the jump host: " + jumpLog);

            // the jump host's key recorded wrongly (the login node's key under the jump host's name): refused, naming the jump host
            Path wrong = tmp.resolve("wrong_known_hosts");
            String loginKey = Files.readString(cluster.state().resolve("ssh_host_ed25519_key.pub")).strip();
            Files.writeString(wrong, "[127.0.0.1]:" + port + " " + loginKey.split(" ")[0] + " " + loginKey.split(" ")[1] + "\n");
            SshTarget badJump = SshTarget.of("127.0.0.1", port, "root", cluster.identity(), wrong);
            try (SshShell ssh = new SshShell(login.withJumps(List.of(badJump)))) {
                HostKeyException e = assertThrows(HostKeyException.class, () -> ssh.exec(List.of("true")));
                assertTrue(e.getMessage().startsWith("host key of jump host 127.0.0.1:" + port + " differs from the one in " + wrong),
                        e.getMessage());
                assertEquals(0, ssh.connectionCount());
            }
            // the login node's key unknown while the jump host's is right: refused at the second hop
            Path empty = tmp.resolve("empty_known_hosts");
            Files.writeString(empty, "");
            SshTarget unknownLogin = SshTarget.of(login.host(), login.port(), "root", cluster.identity(), empty);
            try (SshShell ssh = new SshShell(unknownLogin.withJumps(List.of(jump)))) {
                HostKeyException e = assertThrows(HostKeyException.class, () -> ssh.exec(List.of("true")));
                assertTrue(e.getMessage().startsWith("host key of login node 127.0.0.1:" + login.port() + " is not in " + empty),
                        e.getMessage());
            }
        }
    }
}
