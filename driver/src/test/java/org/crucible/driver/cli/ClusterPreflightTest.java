package org.crucible.driver.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.crucible.core.testing.TestEnvironment;
import org.crucible.dft.hpc.testing.LocalSlurm;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Fail fast on the real local SLURM cluster: a campaign whose cluster oracle cannot be used (a key the server refuses,
 * a host that does not answer, a partition the site does not have) stops before its directory exists, with the
 * profile and check named and no Java class name; a profile whose scheduler values could inject a directive is
 * refused by {@code cluster check} with its line.
 */
class ClusterPreflightTest {
    @TempDir
    Path tmp;

    /** examples/si8-qe-slurm.yaml pointed at {@code profile}. */
    Path campaign(Path profile) throws Exception {
        String yaml = Files.readString(TestEnvironment.repositoryRoot().resolve("examples/si8-qe-slurm.yaml"));
        assertTrue(yaml.contains("  profile: local "), "the example names cluster local");
        Path f = tmp.resolve("campaign.yaml");
        Files.writeString(f, yaml.replace("  profile: local ", "  profiles_file: " + profile + "\n  profile: local "));
        return f;
    }

    Path profile(LocalSlurm cluster, String name, String regex, String replacement) throws Exception {
        String yaml = Files.readString(cluster.clusterYaml());
        String changed = yaml.replaceAll(regex, replacement);
        assertFalse(changed.equals(yaml), regex + " changed nothing");
        Path p = tmp.resolve(name + ".yaml");
        Files.writeString(p, changed);
        return p;
    }

    static void assertUserMessage(String err) {
        assertFalse(err.matches("(?s).*\\b(java|org|com)\\.[a-z.]+\\.[A-Z]\\w*(Exception|Error).*"), "no Java class name in:\n" + err);
        assertFalse(err.contains("\tat "), "no stack trace in:\n" + err);
    }

    @Test
    void refusedKeyExitsTwoBeforeTheCampaignDirectoryExists() throws Exception {
        LocalSlurm cluster = LocalSlurm.assumeUp();
        Path key = tmp.resolve("stranger_ed25519");
        Process kg = new ProcessBuilder("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", key.toString()).redirectErrorStream(true).start();
        assertTrue(kg.waitFor(30, TimeUnit.SECONDS) && kg.exitValue() == 0, "ssh-keygen");
        Path profile = profile(cluster, "stranger", "(?m)^identity_file:.*$", "identity_file: " + key);
        Path dir = tmp.resolve("campaign-stranger");
        ClusterCliIntegrationTest.Run r = ClusterCliIntegrationTest.cli("run", campaign(profile).toString(), "--dir", dir.toString());
        assertEquals(2, r.exit(), r.out() + r.err());
        assertFalse(Files.exists(dir), "nothing created");
        assertTrue(r.err().contains("oracle.profile 'local' (" + profile + "): ssh:") && r.err().contains("nothing was created"), r.err());
        assertUserMessage(r.err());
    }

    @Test
    void unreachableHostExitsOneQuicklyBeforeTheCampaignDirectoryExists() throws Exception {
        LocalSlurm cluster = LocalSlurm.assumeUp();
        int closed;
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            closed = s.getLocalPort();
        }
        Path profile = profile(cluster, "closed", "(?m)^port:.*$", "port: " + closed);
        Path dir = tmp.resolve("campaign-closed");
        long t0 = System.nanoTime();
        ClusterCliIntegrationTest.Run r = ClusterCliIntegrationTest.cli("run", campaign(profile).toString(), "--dir", dir.toString());
        double seconds = (System.nanoTime() - t0) / 1e9;
        assertEquals(1, r.exit(), r.out() + r.err());
        assertFalse(Files.exists(dir), "nothing created");
        assertTrue(r.err().contains("ssh: cannot connect to root@127.0.0.1:" + closed + " after 3 attempts") && r.err().contains("Connection refused"), r.err());
        assertUserMessage(r.err());
        // 3 attempts 1 s and 2 s apart: not the campaign's 8 attempts over minutes
        assertTrue(seconds < 30, "preflight took " + seconds + " s");

        ClusterCliIntegrationTest.Run check = ClusterCliIntegrationTest.cli("cluster", "check", "--cluster", "local", "--config", profile.toString());
        assertEquals(1, check.exit(), check.out() + check.err());
        String line = check.out().lines().filter(l -> l.startsWith("FAIL  ssh")).findFirst().orElseThrow();
        assertTrue(line.contains("Connection refused"), line);
        assertUserMessage(check.out());
    }

    @Test
    void missingPartitionExitsTwoAndInjectedDirectiveIsRefusedWithItsLine() throws Exception {
        LocalSlurm cluster = LocalSlurm.assumeUp();
        Path nosuch = profile(cluster, "nosuch", "(?m)^partition:.*$", "partition: nosuchqueue");
        Path dir = tmp.resolve("campaign-nosuch");
        ClusterCliIntegrationTest.Run r = ClusterCliIntegrationTest.cli("run", campaign(nosuch).toString(), "--dir", dir.toString());
        assertEquals(2, r.exit(), r.out() + r.err());
        assertFalse(Files.exists(dir), "nothing created");
        assertTrue(r.err().contains("partition: nosuchqueue not listed by sinfo"), r.err());

        Path injected = profile(cluster, "injected", "(?m)^partition:.*$", "partition: \"debug; touch " + tmp.resolve("pwned") + "\"");
        int line = 1 + (int) Files.readString(injected).lines().takeWhile(l -> !l.startsWith("partition:")).count();
        ClusterCliIntegrationTest.Run check = ClusterCliIntegrationTest.cli("cluster", "check", "--cluster", "local", "--config", injected.toString());
        assertEquals(2, check.exit(), check.out() + check.err());
        assertTrue(check.err().contains(injected + ": 1 problem") && check.err().contains("line " + line + ": partition:"), check.err());
        ClusterCliIntegrationTest.Run run = ClusterCliIntegrationTest.cli("run", campaign(injected).toString(), "--dir", dir.toString());
        assertEquals(2, run.exit(), run.out() + run.err());
        assertFalse(Files.exists(dir) || Files.exists(tmp.resolve("pwned")), "nothing created, nothing run");
        Path extra = profile(cluster, "extra", "(?m)^partition:.*$", "partition: debug\nextra_directives: [\"--constraint=a b\"]");
        ClusterCliIntegrationTest.Run e = ClusterCliIntegrationTest.cli("cluster", "check", "--cluster", "local", "--config", extra.toString());
        assertEquals(2, e.exit(), e.out() + e.err());
        assertTrue(e.err().contains("extra_directives"), e.err());
    }

    @Test
    void unreachableDeadlineIsAProfileSetting() throws Exception {
        LocalSlurm cluster = LocalSlurm.assumeUp();
        Path p = profile(cluster, "deadline", "(?m)^partition:.*$", "partition: debug\nunreachable_deadline: 0s");
        ClusterCliIntegrationTest.Run r = ClusterCliIntegrationTest.cli("cluster", "check", "--cluster", "local", "--config", p.toString());
        assertEquals(2, r.exit(), r.out() + r.err());
        assertTrue(r.err().contains("unreachable_deadline"), r.err());
        Path ok = profile(cluster, "deadline-ok", "(?m)^partition:.*$", "partition: debug\nunreachable_deadline: 90s");
        assertEquals(java.time.Duration.ofSeconds(90),
                org.crucible.config.ClusterProfiles.find("local", ok, k -> null, tmp, tmp).unreachableDeadline());
    }
}
