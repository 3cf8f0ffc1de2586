package org.crucible.dft.hpc;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.crucible.dft.hpc.testing.LocalSlurm;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hostile names, paths and settings go through the shells verbatim and never run anything: every value would
 * create the marker file if it were interpreted by the shell.
 */
class ShellInjectionTest {
    @TempDir
    Path tmp;

    static List<String> hostile(Path marker) {
        String m = marker.toString();
        return List.of("a b", "it's", "x; touch " + m, "$(touch " + m + ")", "`touch " + m + "`",
                "a\ntouch " + m, "\"; touch " + m + "; echo \"", "'; touch " + m + "; echo '", "$HOME", "*",
                "-n", "--", "a && touch " + m, "a | touch " + m, "${IFS}touch${IFS}" + m, "\\'; touch " + m + " #",
                "a\r\ntouch " + m, "é ünïcødé $((1+1))", "> " + m);
    }

    @Test
    void localShellPassesHostileArgumentsVerbatim() throws Exception {
        check(new LocalShell(), tmp);
    }

    @Test
    void sshShellPassesHostileArgumentsVerbatim() throws Exception {
        LocalSlurm cluster = LocalSlurm.assumeUp();
        try (SshShell ssh = new SshShell(cluster.target())) {
            check(ssh, cluster.workRoot("injection"));
        }
    }

    private static void check(RemoteShell shell, Path dir) throws Exception {
        Path marker = dir.resolve("MARKER");
        java.util.Map<String, byte[]> files = new java.util.LinkedHashMap<>();
        for (String evil : hostile(marker)) {
            CommandResult r = shell.exec(List.of("printf", "%s", evil));
            assertEquals(0, r.exitCode(), r.describe());
            assertEquals(evil, r.stdout(), "argument must arrive verbatim");
            // as a path component of a staged file (newlines are refused for transfers, not interpreted)
            if (evil.indexOf('\n') < 0 && evil.indexOf('\\') < 0 && evil.indexOf('\r') < 0) {
                String name = evil.replace('/', '_');
                files.put(dir.resolve("d " + name).resolve("f " + name + ".in").toString(),
                        ("content of " + evil).getBytes(StandardCharsets.UTF_8));
            }
        }
        shell.put(files);
        Map<String, byte[]> back = shell.get(List.copyOf(files.keySet()));
        for (Map.Entry<String, byte[]> f : files.entrySet()) {
            assertArrayEquals(f.getValue(), back.get(f.getKey()), f.getKey());
            assertArrayEquals(f.getValue(), Files.readAllBytes(Path.of(f.getKey())), "written at exactly " + f.getKey());
        }
        IllegalArgumentException nl = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> shell.put(Map.of(dir.resolve("a\ntouch " + marker).toString(), new byte[0])));
        assertEquals(true, nl.getMessage().contains("newline"), nl.getMessage());
        assertFalse(Files.exists(marker), "a hostile argument was executed: " + marker + " exists");
    }
}
