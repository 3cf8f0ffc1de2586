package org.crucible.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.crucible.core.config.ConfigurationException;

class ClusterProfilesTest {
    static final String SITE = """
            name: archer2
            host: login.archer2.ac.uk
            user: jdoe
            identity_file: ~/.ssh/id_ed25519_archer2
            passphrase_env: ARCHER2_KEY_PASSPHRASE
            known_hosts: known_hosts
            work_root: /work/e89/e89/jdoe/crucible
            partition: standard
            account: e89-ic
            qos: standard
            ntasks: 128
            cpus_per_task: 1
            packing: 4
            walltime: "02:00:00"
            task_timeout: 25m
            max_jobs_in_queue: 16
            environment:
              - module load quantum_espresso/7.1
              - export OMP_NUM_THREADS=1
            codes:
              qe:
                command: "srun --distribution=block:block --hint=nomultithread pw.x -nk 4 -in {input}"
            """;

    @TempDir
    Path tmp;

    @Test
    void readsASiteProfileWithDefaults() throws Exception {
        Path f = tmp.resolve("archer2.yaml");
        Files.writeString(f, SITE);
        ClusterProfile p = ClusterProfiles.read(f);
        assertEquals("archer2", p.name());
        assertEquals(22, p.port());
        assertEquals(Path.of(System.getProperty("user.home"), ".ssh/id_ed25519_archer2"), p.identityFile());
        assertEquals(tmp.resolve("known_hosts"), p.knownHosts(), "relative paths resolve against the profile's directory");
        assertEquals(Duration.ofHours(2), p.walltime());
        assertEquals(Duration.ofMinutes(25), p.taskTimeout());
        assertEquals(Duration.ofSeconds(30), p.pollInterval(), "default poll interval");
        assertEquals(2, p.maxResubmissions(), "default budget");
        assertEquals("sbatch", p.submitCommand());
        assertEquals(List.of("module load quantum_espresso/7.1", "export OMP_NUM_THREADS=1"), p.environment());
        assertEquals("srun --distribution=block:block --hint=nomultithread pw.x -nk 4 -in 'pw.in'",
                p.code("qe").render(Map.of("input", "pw.in"), s -> "'" + s + "'"));
        assertNull(ClusterProfiles.parse(SITE.replace("qos: standard\n", ""), f).qos());
        assertEquals(false, p.local());
        ClusterProfile onLogin = ClusterProfiles.parse(SITE.replace("identity_file: ~/.ssh/id_ed25519_archer2\n", "transport: local\n"), f);
        assertEquals(true, onLogin.local(), "on the login node no key is needed");
    }

    @Test
    void errorsNameFileLineAndField() {
        Path f = Path.of("/etc/crucible/x.yaml");
        String head = "/etc/crucible/x.yaml: 1 problem\n  ";
        ConfigurationException e = assertThrows(ConfigurationException.class,
                () -> ClusterProfiles.parse(SITE.replace("user: jdoe", "user: jdoe\nport: 70000"), f));
        assertEquals(head + "line 4: port: value 70000 is out of range: allowed integers 1 to 65535", e.getMessage());
        e = assertThrows(ConfigurationException.class, () -> ClusterProfiles.parse(SITE.replace("walltime:", "waltime:"), f));
        assertTrue(e.getMessage().startsWith(head + "line 14: waltime: unknown key 'waltime'; did you mean 'walltime'?"), e.getMessage());
        e = assertThrows(ConfigurationException.class, () -> ClusterProfiles.parse(SITE.replace("25m", "soon"), f));
        assertEquals(head + "line 15: task_timeout: 'soon' is not a duration (e.g. 30s, 5m, 2h, 1d, 01:30:00, "
                + "1-00:00:00, PT30S)", e.getMessage());
        e = assertThrows(ConfigurationException.class, () -> ClusterProfiles.parse(SITE.replace("-in {input}", "{inptu}"), f));
        assertTrue(e.getMessage().startsWith(head + "line 22: codes.qe.command: unknown placeholder {inptu}"), e.getMessage());
        e = assertThrows(ConfigurationException.class,
                () -> ClusterProfiles.parse(SITE.replace("/work/e89/e89/jdoe/crucible", "/work/my dir"), f));
        assertTrue(e.getMessage().startsWith(head + "line 7: work_root: '/work/my dir' must be an absolute path"), e.getMessage());
        e = assertThrows(ConfigurationException.class,
                () -> ClusterProfiles.parse(SITE.replace("identity_file: ~/.ssh/id_ed25519_archer2\n", ""), f));
        assertTrue(e.getMessage().contains("identity_file: 'null' must be given (or set use_agent: true)"), e.getMessage());
        e = assertThrows(ConfigurationException.class, () -> ClusterProfiles.parse(SITE.replace("ntasks: 128", "ntasks: many"), f));
        assertEquals(head + "line 11: ntasks: expected an integer in [1, 2147483647], got the string 'many'", e.getMessage());
        e = assertThrows(ConfigurationException.class, () -> ClusterProfiles.parse(SITE.replace("ntasks: 128", "ntasks: 128\nntasks: 64"), f));
        assertEquals("/etc/crucible/x.yaml:12: key 'ntasks' is given twice in the same mapping", e.getMessage());
    }

    /** The reader of campaign files: one key style (snake_case), did-you-mean for keys and values, every problem at once. */
    @Test
    void camelCaseKeysAndNearMissValuesGetTheSnakeCaseSpelling() {
        Path f = Path.of("/etc/crucible/x.yaml");
        ConfigurationException e = assertThrows(ConfigurationException.class, () -> ClusterProfiles.parse(
                SITE.replace("cpus_per_task: 1", "cpusPerTask: 1").replace("user: jdoe", "user: jdoe\ntransport: shh"), f));
        assertEquals(2, e.problems().size(), e.getMessage());
        assertTrue(e.getMessage().contains("line 4: transport: value 'shh' is not allowed: one of [ssh, local]; did you mean 'ssh'?"),
                e.getMessage());
        assertTrue(e.getMessage().contains("line 13: cpusPerTask: unknown key 'cpusPerTask'; did you mean 'cpus_per_task'?"), e.getMessage());
    }

    @Test
    void findsProfilesInTheDocumentedOrder() throws Exception {
        Path home = Files.createDirectories(tmp.resolve("home"));
        Path envDir = Files.createDirectories(tmp.resolve("env"));
        Path repo = Files.createDirectories(tmp.resolve("repo/deploy/local-slurm/state"));
        String local = SITE.replace("name: archer2", "name: local");
        Files.writeString(repo.resolve("cluster.yaml"), local.replace("qos: standard", "qos: from-repo"));
        Path root = tmp.resolve("repo");
        assertEquals("from-repo", ClusterProfiles.find("local", null, k -> null, home, root).qos());
        Files.createDirectories(home.resolve(".crucible/clusters"));
        Files.writeString(home.resolve(".crucible/clusters/local.yaml"), local.replace("qos: standard", "qos: from-home"));
        assertEquals("from-home", ClusterProfiles.find("local", null, k -> null, home, root).qos());
        Files.writeString(envDir.resolve("local.yaml"), local.replace("qos: standard", "qos: from-env"));
        assertEquals("from-env", ClusterProfiles.find("local", null, k -> envDir.toString(), home, root).qos());
        Path explicit = tmp.resolve("explicit.yaml");
        Files.writeString(explicit, local.replace("qos: standard", "qos: explicit"));
        assertEquals("explicit", ClusterProfiles.find("local", explicit, k -> envDir.toString(), home, root).qos());
        ConfigurationException e = assertThrows(ConfigurationException.class,
                () -> ClusterProfiles.find("nowhere", null, k -> null, home, root));
        assertTrue(e.getMessage().startsWith("no profile for cluster 'nowhere'; looked in ["), e.getMessage());
        e = assertThrows(ConfigurationException.class, () -> ClusterProfiles.find("other", explicit, k -> null, home, root));
        assertEquals(explicit + ": profile is for cluster 'local', not 'other'", e.getMessage());
    }

    @Test
    void codeTemplates() {
        assertEquals("pw.x", new CodeProfile("srun --distribution=block:block --hint=nomultithread pw.x -nk 4 -in {input}").executable());
        assertEquals("/opt/qe/bin/pw.x", new CodeProfile("mpirun -np 4 /opt/qe/bin/pw.x -in {input}").executable());
        assertEquals("vasp_std", new CodeProfile("OMP_NUM_THREADS=1 srun vasp_std").executable());
        assertEquals(false, new CodeProfile("srun vasp_std").placesInput());
        assertEquals("srun -n '4' pw.x -in 'my input.in' > 'out'",
                new CodeProfile("srun -n {ntasks} pw.x -in {input} > {output}").render(
                        Map.of("ntasks", "4", "input", "my input.in", "output", "out"), s -> "'" + s + "'"));
        assertThrows(IllegalArgumentException.class, () -> new CodeProfile("pw.x -in {file}"));
        assertThrows(IllegalArgumentException.class, () -> new CodeProfile("pw.x\nrm -rf /"));
    }

    @Test
    void durations() {
        assertEquals(Duration.ofSeconds(30), Durations.parse("30s"));
        assertEquals(Duration.ofMillis(250), Durations.parse("250ms"));
        assertEquals(Duration.ofMinutes(90), Durations.parse("01:30:00"));
        assertEquals(Duration.ofSeconds(90), Durations.parse("1:30"));
        assertEquals(Duration.ofHours(25), Durations.parse("1-01:00:00"));
        assertEquals(Duration.ofMinutes(2), Durations.parse("PT2M"));
        assertThrows(IllegalArgumentException.class, () -> Durations.parse("ten"));
    }

    @Test
    void localProfileWrittenByUpShIsValid() {
        Path yaml = org.crucible.core.testing.TestEnvironment.repositoryRoot().resolve("deploy/local-slurm/state/cluster.yaml");
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isRegularFile(yaml),
                "deploy/local-slurm/up.sh has not been run on this machine");
        ClusterProfile p = ClusterProfiles.read(yaml);
        assertEquals("local", p.name());
        assertEquals(false, p.accounting());
    }
}
