package org.crucible.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
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
    void opensshTransportTakesAControlPersistTime() {
        Path f = tmp.resolve("site.yaml");
        ClusterProfile p = ClusterProfiles.parse(SITE.replace("partition: standard\n", "transport: openssh\ncontrol_persist: 2h\n"), f);
        assertTrue(p.openssh());
        assertEquals(Duration.ofHours(2), p.controlPersist());
        assertEquals(Duration.ofMinutes(10), ClusterProfiles.parse(SITE.replace("partition: standard\n", "transport: openssh\n"), f)
                .controlPersist(), "default");
        ClusterProfile agentOnly = ClusterProfiles.parse(SITE.replace("identity_file: ~/.ssh/id_ed25519_archer2\n", "transport: openssh\n"), f);
        assertNull(agentOnly.identityFile(), "OpenSSH picks the key itself (agent, config) when the profile names none");
        ConfigurationException e = assertThrows(ConfigurationException.class, () -> ClusterProfiles.parse(
                SITE.replace("partition: standard\n", "transport: openssh\ncontrol_persist: 0s\n"), Path.of("/etc/crucible/x.yaml")));
        assertEquals("/etc/crucible/x.yaml: 1 problem\n  line 9: control_persist: 'PT0S' must be at least 1s", e.getMessage());
        e = assertThrows(ConfigurationException.class, () -> ClusterProfiles.parse(
                SITE.replace("partition: standard\n", "transport: sftp\n"), Path.of("/etc/crucible/x.yaml")));
        assertTrue(e.getMessage().startsWith("/etc/crucible/x.yaml: 1 problem\n  line 8: transport: value 'sftp' is not allowed: one of "
                + "[ssh, openssh, local]"), e.getMessage());
    }

    @Test
    void jobArraysAreSwitchedOnWithAThrottleAndCheckedAtTheirLines() {
        Path f = Path.of("/etc/crucible/x.yaml");
        assertEquals(0, ClusterProfiles.parse(SITE, f).arrayParallelism(), "off by default");
        ClusterProfile on = ClusterProfiles.parse(SITE.replace("packing: 4\n", "array_submission: true\narray_parallelism: 8\n"), f);
        assertTrue(on.arraySubmission());
        assertEquals(8, on.arrayParallelism());
        assertEquals(16, ClusterProfiles.parse(SITE.replace("packing: 4\n", "array_submission: true\n"), f).arrayParallelism(),
                "default throttle: max_jobs_in_queue");
        ConfigurationException e = assertThrows(ConfigurationException.class, () -> ClusterProfiles.parse(
                SITE.replace("packing: 4\n", "packing: 4\narray_parallelism: 8\n"), f));
        assertEquals(f + ": 1 problem\n  line 14: array_parallelism: applies only to job arrays; set array_submission: true or remove it",
                e.getMessage());
        e = assertThrows(ConfigurationException.class, () -> ClusterProfiles.parse(
                SITE.replace("partition: standard\n", "array_submission: true\npartition: standard\n"), f));
        assertEquals(f + ": 1 problem\n  line 14: packing: must be 1 with array_submission: true (packing is for task-farm jobs); "
                + "for several tasks in each array element use tasks_per_element", e.getMessage());
        e = assertThrows(ConfigurationException.class, () -> ClusterProfiles.parse(
                SITE.replace("packing: 4\n", "array_submission: true\narray_parallelism: 0\n"), f));
        assertEquals(f + ": 1 problem\n  line 14: array_parallelism: value 0 is out of range: allowed integers 1 to 2147483647", e.getMessage());
    }

    @Test
    void tasksPerElementPacksSeveralTasksIntoEachArrayElementAndIsCheckedAtItsLine() {
        Path f = Path.of("/etc/crucible/x.yaml");
        ClusterProfile on = ClusterProfiles.parse(SITE.replace("packing: 4\n", "array_submission: true\ntasks_per_element: 5\n"), f);
        assertTrue(on.arraySubmission());
        assertEquals(5, on.packing(), "an array element is the job whose tasks run one after another");
        assertEquals(1, ClusterProfiles.parse(SITE.replace("packing: 4\n", "array_submission: true\n"), f).packing(), "default: one task per element");
        ConfigurationException e = assertThrows(ConfigurationException.class, () -> ClusterProfiles.parse(
                SITE.replace("packing: 4\n", "tasks_per_element: 5\n"), f));
        assertEquals(f + ": 1 problem\n  line 13: tasks_per_element: applies only to job arrays; set array_submission: true, "
                + "or use packing for several tasks in one task-farm job", e.getMessage());
        e = assertThrows(ConfigurationException.class, () -> ClusterProfiles.parse(
                SITE.replace("packing: 4\n", "array_submission: true\ntasks_per_element: 0\n"), f));
        assertEquals(f + ": 1 problem\n  line 14: tasks_per_element: value 0 is out of range: allowed integers 1 to 10000", e.getMessage());
        e = assertThrows(ConfigurationException.class, () -> ClusterProfiles.parse(
                SITE.replace("packing: 4\n", "array_submission: true\ntasks_per_element: two\n"), f));
        assertTrue(e.getMessage().startsWith(f + ": 1 problem\n  line 14: tasks_per_element: "), e.getMessage());
    }

    @Test
    void theSshReconnectionScheduleIsAProfileKeyCheckedAtItsLines() {
        Path f = Path.of("/etc/crucible/x.yaml");
        assertEquals(org.crucible.dft.hpc.Backoff.DEFAULT_RECONNECT, ClusterProfiles.parse(SITE, f).reconnect(), "default: 8 attempts, 1 s doubling to 60 s");
        String head = "reconnect:\n  attempts: 5\n  initial_delay: 250ms\n  max_delay: 4s\n  factor: 3\n";
        ClusterProfile p = ClusterProfiles.parse(SITE.replace("partition: standard\n", head + "partition: standard\n"), f);
        assertEquals(new org.crucible.dft.hpc.Backoff(Duration.ofMillis(250), 3.0, Duration.ofSeconds(4), 5), p.reconnect());
        assertEquals(List.of(Duration.ofMillis(250), Duration.ofMillis(750), Duration.ofMillis(2250), Duration.ofSeconds(4)),
                List.of(p.reconnect().delay(0), p.reconnect().delay(1), p.reconnect().delay(2), p.reconnect().delay(3)));
        assertEquals(new org.crucible.dft.hpc.Backoff(Duration.ofSeconds(1), 2.0, Duration.ofSeconds(60), 3),
                ClusterProfiles.parse(SITE.replace("partition: standard\n", "reconnect: {attempts: 3}\n"), f).reconnect(), "other keys keep their defaults");
        String one = f + ": 1 problem\n  ";
        for (String[] bad : new String[][] {
                {"  attempts: 0\n", "line 9: reconnect.attempts: value 0 is out of range: allowed integers 1 to 1000"},
                {"  attempts: many\n", "line 9: reconnect.attempts: expected an integer in [1, 1000], got the string 'many'"},
                {"  initial_delay: soon\n", "line 9: reconnect.initial_delay: 'soon' is not a duration (e.g. 30s, 5m, 2h, 1d, 01:30:00, 1-00:00:00, PT30S)"},
                {"  initial_delay: 0s\n", "line 9: reconnect.initial_delay: '0s' must be at least 1ms"},
                {"  factor: 0.5\n", "line 9: reconnect.factor: value 0.5 is out of range: allowed [1, 100]"},
                {"  initial_delay: 2s\n  max_delay: 1s\n", "line 10: reconnect.max_delay: max_delay (1000 ms) is below initial_delay (2000 ms); the delays "
                        + "grow from initial_delay up to max_delay"},
                {"  max_delay: 500ms\n", "line 9: reconnect.max_delay: max_delay (500 ms) is below initial_delay (1000 ms, the default); the delays grow "
                        + "from initial_delay up to max_delay"}}) {
            ConfigurationException e = assertThrows(ConfigurationException.class,
                    () -> ClusterProfiles.parse(SITE.replace("partition: standard\n", "reconnect:\n" + bad[0] + "partition: standard\n"), f), bad[0]);
            assertEquals(one + bad[1], e.getMessage());
        }
        ConfigurationException e = assertThrows(ConfigurationException.class,
                () -> ClusterProfiles.parse(SITE.replace("partition: standard\n", "reconnect:\n  atempts: 3\npartition: standard\n"), f));
        assertTrue(e.getMessage().startsWith(one + "line 9: reconnect.atempts: unknown key 'atempts'; did you mean 'attempts'?"), e.getMessage());
        e = assertThrows(ConfigurationException.class, () -> ClusterProfiles.parse(SITE.replace("partition: standard\n", "reconnect: 5\n"), f));
        assertTrue(e.getMessage().startsWith(one + "line 8: reconnect: expected a mapping of settings"), e.getMessage());
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
        assertTrue(e.getMessage().contains("identity_file: not given; name a private key file or set use_agent: true"), e.getMessage());
        e = assertThrows(ConfigurationException.class, () -> ClusterProfiles.parse(SITE.replace("ntasks: 128", "ntasks: many"), f));
        assertEquals(head + "line 11: ntasks: expected an integer in [1, 2147483647], got the string 'many'", e.getMessage());
        e = assertThrows(ConfigurationException.class, () -> ClusterProfiles.parse(SITE.replace("ntasks: 128", "ntasks: 128\nntasks: 64"), f));
        assertEquals("/etc/crucible/x.yaml:12: key 'ntasks' is given twice in the same mapping", e.getMessage());
    }

    /** Every key that was renamed to snake_case, in its new spelling (the ssh config file is written by the test). */
    private String everyRenamedKey() throws Exception {
        Path sshConfig = Files.writeString(tmp.resolve("ssh_config"), "Host elsewhere\n  User nobody\n");
        return SITE + """
                use_agent: true
                submit_command: /opt/site/sbatch-wrapper
                poll_interval: 45s
                max_resubmissions: 3
                extra_directives:
                  - --hint=nomultithread
                max_channels: 4
                unreachable_deadline: 2h
                ssh_config: %s
                """.formatted(sshConfig);
    }

    /** The snake_case file with every renamed key written the old way (camelCase), via the reader's own table. */
    private static String camelCase(String snake) {
        String out = snake;
        for (Map.Entry<String, String> e : ClusterProfiles.RENAMED.entrySet()) {
            out = out.replaceAll("(?m)^" + e.getValue() + ":", e.getKey() + ":");
        }
        return out;
    }

    @Test
    void camelCaseProfileLoadsLikeItsSnakeCaseTwinWithOneWarningPerKey() throws Exception {
        Path f = tmp.resolve("cluster.yaml");
        String snake = everyRenamedKey();
        String camel = camelCase(snake);
        assertEquals(ClusterProfiles.RENAMED.size(), camel.lines().filter(l -> l.matches("[a-z]+[A-Z][A-Za-z]*:.*")).count(),
                "the twin spells every renamed key the old way");
        List<String> none = new ArrayList<>();
        ClusterProfile fromSnake = ClusterProfiles.parse(snake, f, none::add);
        assertEquals(List.of(), none, "no warning for the current spelling");
        List<String> warnings = new ArrayList<>();
        ClusterProfile fromCamel = ClusterProfiles.parse(camel, f, warnings::add);
        assertEquals(fromSnake, fromCamel);
        assertEquals(Duration.ofSeconds(45), fromCamel.pollInterval());
        assertEquals(List.of("--hint=nomultithread"), fromCamel.extraDirectives());
        assertEquals(tmp.resolve("ssh_config"), fromCamel.sshRoute().config());
        assertEquals(ClusterProfiles.RENAMED.size(), warnings.size(), String.join("\n", warnings));
        assertTrue(warnings.contains(f + " line 12: `cpusPerTask` is deprecated, write `cpus_per_task`"), String.join("\n", warnings));
        assertTrue(warnings.contains(f + " line 4: `identityFile` is deprecated, write `identity_file`"), String.join("\n", warnings));
        // a mistake under an old key is still reported at its line, by its new name
        ConfigurationException e = assertThrows(ConfigurationException.class,
                () -> ClusterProfiles.parse(camel.replace("cpusPerTask: 1", "cpusPerTask: 0"), f, w -> { }));
        assertEquals(f + ": 1 problem\n  line 12: cpus_per_task: value 0 is out of range: allowed integers 1 to 2147483647", e.getMessage());
    }

    @Test
    void bothSpellingsOfOneKeyAreRefusedNamingBothLines() {
        Path f = Path.of("/etc/crucible/x.yaml");
        List<String> warnings = new ArrayList<>();
        ConfigurationException e = assertThrows(ConfigurationException.class,
                () -> ClusterProfiles.parse(SITE + "cpusPerTask: 2\n", f, warnings::add));
        assertEquals("/etc/crucible/x.yaml: 1 problem\n  line 12: cpus_per_task: given twice: as `cpusPerTask` (line 23, the "
                + "deprecated spelling) and as `cpus_per_task` (line 12); keep only `cpus_per_task`", e.getMessage());
        assertEquals(List.of(), warnings);
    }

    /** One key style (snake_case), did-you-mean for keys and values, every problem at once. */
    @Test
    void unknownKeysAndNearMissValuesGetDidYouMean() {
        Path f = Path.of("/etc/crucible/x.yaml");
        ConfigurationException e = assertThrows(ConfigurationException.class, () -> ClusterProfiles.parse(
                SITE.replace("cpus_per_task: 1", "cpus_per_tsk: 1").replace("user: jdoe", "user: jdoe\ntransport: shh")
                        + "maxJobInQueue: 3\n", f, w -> { }));
        assertEquals(3, e.problems().size(), e.getMessage());
        assertTrue(e.getMessage().contains("line 4: transport: value 'shh' is not allowed: one of [ssh, openssh, local]; did you mean 'ssh'?"),
                e.getMessage());
        assertTrue(e.getMessage().contains("line 13: cpus_per_tsk: unknown key 'cpus_per_tsk'; did you mean 'cpus_per_task'?"), e.getMessage());
        assertTrue(e.getMessage().contains("line 24: maxJobInQueue: unknown key 'maxJobInQueue'; did you mean 'max_jobs_in_queue'?"),
                e.getMessage());
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
    void siteTemplateLoadsWithoutDeprecationWarnings() {
        Path yaml = org.crucible.core.testing.TestEnvironment.repositoryRoot().resolve("examples/site-template.yaml");
        List<String> warnings = new ArrayList<>();
        ClusterProfile p = ClusterProfiles.read(yaml, warnings::add);
        assertEquals(List.of(), warnings);
        assertEquals("mysite", p.name());
        assertEquals(Duration.ofSeconds(60), p.pollInterval());
        assertEquals(List.of("--hint=nomultithread"), p.extraDirectives());
        assertEquals(new org.crucible.dft.hpc.JobResources(1, 0, 128, 1, "250G", null, "standard"), p.jobResources("qe", 8),
                "the template's first-class resources");
        assertEquals(new org.crucible.dft.hpc.JobResources(0, 32, 128, 1, "250G", null, "standard"), p.jobResources("vasp", 200),
                "VASP scales with the atom count: ceil(200 / 4) = 50, capped at 32; nodes left to SLURM");
    }

    @Test
    void localProfileWrittenByUpShIsValid() {
        Path yaml = org.crucible.core.testing.TestEnvironment.repositoryRoot().resolve("deploy/local-slurm/state/cluster.yaml");
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isRegularFile(yaml),
                "deploy/local-slurm/up.sh has not been run on this machine");
        List<String> warnings = new ArrayList<>();
        ClusterProfile p = ClusterProfiles.read(yaml, warnings::add);
        assertEquals(List.of(), warnings, "up.sh writes the current key spelling");
        assertEquals("local", p.name());
        assertEquals(false, p.accounting());
    }
}
