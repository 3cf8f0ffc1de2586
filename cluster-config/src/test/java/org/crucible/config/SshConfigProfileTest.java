package org.crucible.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.crucible.core.config.ConfigurationException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A profile naming {@code host: alias} resolved through an OpenSSH config file. */
class SshConfigProfileTest {
    @TempDir
    Path tmp;

    private ClusterProfile profile(String extra) throws Exception {
        Path f = tmp.resolve("c.yaml");
        Files.writeString(f, "name: site\nhost: hpc\nwork_root: /scratch/u\nssh_config: " + tmp.resolve("ssh_config") + "\n"
                + extra + "codes:\n  qe: {command: \"srun pw.x -in {input}\"}\n");
        return ClusterProfiles.read(f);
    }

    @Test
    void aliasJumpChainAndFirstValueWins() throws Exception {
        Files.writeString(tmp.resolve("ssh_config"), String.join("\n",
                "# site config",
                "Host hpc",
                "    HostName login.%h.example.org",
                "    User jdoe",
                "    Port=2222",
                "    IdentityFile ~/.ssh/id_site",
                "    UserKnownHostsFile \"" + tmp.resolve("kh site") + "\"",
                "    ProxyJump gw",
                "Host gw",
                "    HostName gateway.example.org",
                "    ProxyJump alice@outer:2200",
                "Host *",
                "    User nobody",
                "    Port 22",
                ""));
        ClusterProfile p = profile("");
        assertEquals("login.hpc.example.org", p.host());
        assertEquals(2222, p.port());
        assertEquals("jdoe", p.user());
        assertEquals(Path.of(System.getProperty("user.home"), ".ssh/id_site"), p.identityFile());
        assertEquals(tmp.resolve("kh site"), p.knownHosts());
        assertEquals("hpc", p.sshRoute().alias());
        List<SshHop> hops = p.sshRoute().jumps();
        assertEquals(2, hops.size());
        assertEquals("alice@outer:2200", hops.get(0).describe());
        assertEquals("nobody@gateway.example.org:22", hops.get(1).describe(), "Host * fills in what gw does not set");
        assertEquals(p.identityFile(), hops.get(1).identityFile(), "a hop without IdentityFile uses the profile's key");
        // keys in the profile win over the config file, as ssh command-line options do
        ClusterProfile q = profile("port: 2022\nuser: other\n");
        assertEquals(2022, q.port());
        assertEquals("other", q.user());
    }

    @Test
    void badLinesNameFileAndLine() throws Exception {
        Files.writeString(tmp.resolve("ssh_config"), "Host hpc\n  ProxyCommand nc %h %p\n");
        ConfigurationException e = assertThrows(ConfigurationException.class, () -> profile(""));
        assertTrue(e.getMessage().startsWith(tmp.resolve("ssh_config") + " line 2: ProxyCommand"), e.getMessage());
        Files.writeString(tmp.resolve("ssh_config"), "Host hpc\n  Port 70000\n");
        e = assertThrows(ConfigurationException.class, () -> profile(""));
        assertEquals(tmp.resolve("ssh_config") + " line 2: Port '70000' is not in 1..65535", e.getMessage());
        Path missing = tmp.resolve("nope");
        Path f = tmp.resolve("m.yaml");
        Files.writeString(f, "name: site\nhost: hpc\nuser: u\nidentity_file: /k\nwork_root: /w\nssh_config: " + missing
                + "\ncodes:\n  qe: {command: pw.x}\n");
        e = assertThrows(ConfigurationException.class, () -> ClusterProfiles.read(f));
        assertEquals(f + ": 1 problem\n  line 6: ssh_config: file '" + missing + "' (" + missing + ") does not exist or is not readable",
                e.getMessage());
    }

    @Test
    void noMatchingBlockUsesTheNameAsWritten() throws Exception {
        Files.writeString(tmp.resolve("ssh_config"), "Host other\n  User x\n");
        ClusterProfile p = profile("user: u\nidentity_file: /k\n");
        assertEquals("hpc", p.host());
        assertEquals(22, p.port());
        assertTrue(p.sshRoute().jumps().isEmpty());
    }
}
