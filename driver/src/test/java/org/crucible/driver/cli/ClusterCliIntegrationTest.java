package org.crucible.driver.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.crucible.core.Structure;
import org.crucible.core.io.ExtendedXyz;
import org.crucible.core.testing.TestEnvironment;
import org.crucible.config.ClusterProfiles;
import org.crucible.dft.hpc.OpenSshShell;
import org.crucible.dft.hpc.ShellQuote;
import org.crucible.driver.cluster.ClusterConnection;
import org.crucible.dft.hpc.testing.LocalSlurm;
import org.crucible.dft.hpc.testing.SiliconTasks;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code crucible cluster check} and {@code crucible dft submit} against the real local SLURM cluster, including a
 * CLI process killed with SIGKILL mid-campaign and restarted: sbatch calls are counted on the cluster side.
 */
class ClusterCliIntegrationTest {
    @TempDir
    Path tmp;

    record Run(int exit, String out, String err) {
    }

    static Run cli(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = CrucibleCommand.commandLine();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int code = cl.execute(args);
        return new Run(code, out.toString(), err.toString());
    }

    /** The local profile with its own work root, a fast poll and an sbatch wrapper counting calls. */
    Path profile(LocalSlurm cluster, String test, String extra) throws Exception {
        Path work = cluster.workRoot(test);
        Path wrapper = work.resolve("sbatch-counting");
        Files.writeString(wrapper, "#!/bin/sh\necho \"$@\" >> " + ShellQuote.quote(work.resolve("sbatch.calls").toString())
                + "\nexec sbatch \"$@\"\n");
        Files.setPosixFilePermissions(wrapper, PosixFilePermissions.fromString("rwxr-xr-x"));
        String yaml = Files.readString(cluster.clusterYaml())
                .replaceAll("(?m)^work_root:.*$", "work_root: " + work)
                .replaceAll("(?m)^poll_interval:.*$", "poll_interval: 500ms")
                + "submit_command: " + wrapper + "\n" + extra;
        Path p = tmp.resolve(test + ".yaml");
        Files.writeString(p, yaml);
        return p;
    }

    static int sbatchCalls(Path profile) throws Exception {
        String work = Files.readAllLines(profile).stream().filter(l -> l.startsWith("work_root:")).findFirst().orElseThrow()
                .substring("work_root:".length()).strip();
        Path f = Path.of(work, "sbatch.calls");
        return Files.exists(f) ? Files.readAllLines(f).size() : 0;
    }

    Path frames(int n) {
        List<Structure> frames = new ArrayList<>();
        for (int i = 0; i < n; i++) frames.add(SiliconTasks.si2(0.015 * (i + 1)));
        Path f = tmp.resolve("si-frames.extxyz");
        ExtendedXyz.write(f, frames);
        return f;
    }

    @Test
    void clusterCheckPassesAndRefusesAnUnknownHostKey() throws Exception {
        LocalSlurm cluster = LocalSlurm.assumeUp();
        Run ok = cli("cluster", "check", "--cluster", "local", "--config", cluster.clusterYaml().toString());
        assertEquals(0, ok.exit(), ok.out() + ok.err());
        for (String check : List.of("profile", "ssh", "sinfo", "partition", "workroot", "code qe")) {
            assertTrue(ok.out().lines().anyMatch(l -> l.startsWith("PASS  " + check)), check + " in\n" + ok.out());
        }
        Path empty = Files.writeString(tmp.resolve("known_hosts"), "");
        Path p = tmp.resolve("unknown.yaml");
        Files.writeString(p, Files.readString(cluster.clusterYaml()).replaceAll("(?m)^known_hosts:.*$", "known_hosts: " + empty));
        Run refused = cli("cluster", "check", "--cluster", "local", "--config", p.toString());
        assertEquals(1, refused.exit(), refused.out() + refused.err());
        String line = refused.out().lines().filter(l -> l.startsWith("FAIL  ssh")).findFirst().orElseThrow();
        assertTrue(line.contains("refusing to connect") && line.contains("ssh-keyscan -p " + cluster.port() + " 127.0.0.1 >> " + empty),
                line);
        Run bad = cli("cluster", "check", "--cluster", "nosuch", "--config", p.toString());
        assertEquals(2, bad.exit());
        assertTrue(bad.err().contains("profile is for cluster 'local', not 'nosuch'"), bad.err());
    }

    /** A profile written before the snake_case rename still works, with one warning per old key; a mixed one is refused. */
    @Test
    void camelCaseProfileStillChecksWithWarningsAndAMixedOneIsRefused() throws Exception {
        LocalSlurm cluster = LocalSlurm.assumeUp();
        String snake = Files.readString(cluster.clusterYaml());
        String camel = snake.replaceAll("(?m)^work_root:", "workRoot:").replaceAll("(?m)^cpus_per_task:", "cpusPerTask:");
        Path old = Files.writeString(tmp.resolve("old.yaml"), camel);
        int line = 1 + (int) camel.lines().takeWhile(l -> !l.startsWith("cpusPerTask:")).count();
        Run ok = cli("cluster", "check", "--cluster", "local", "--config", old.toString());
        assertEquals(0, ok.exit(), ok.out() + ok.err());
        assertTrue(ok.err().contains(old + " line " + line + ": `cpusPerTask` is deprecated, write `cpus_per_task`"), ok.err());
        assertEquals(2, ok.err().lines().filter(l -> l.contains("is deprecated, write")).count(), ok.err());
        Path mixed = Files.writeString(tmp.resolve("mixed.yaml"), snake + "cpusPerTask: 2\n");
        int snakeLine = 1 + (int) snake.lines().takeWhile(l -> !l.startsWith("cpus_per_task:")).count();
        Run refused = cli("cluster", "check", "--cluster", "local", "--config", mixed.toString());
        assertEquals(2, refused.exit(), refused.out() + refused.err());
        assertTrue(refused.err().contains("given twice: as `cpusPerTask` (line " + (snake.lines().count() + 1) + ", the deprecated spelling) and as "
                + "`cpus_per_task` (line " + snakeLine + ")"), refused.err());
        assertTrue(refused.out().isEmpty(), "no check ran: " + refused.out());
    }

    @Test
    void submitLabelsEveryFrameAndRerunReattaches() throws Exception {
        LocalSlurm cluster = LocalSlurm.assumeUp();
        SiliconTasks.assumePwAndRecipe();
        Path profile = profile(cluster, "cli-submit", "");
        Path in = frames(3);
        Path out = tmp.resolve("labelled.extxyz");
        String[] args = {"dft", "submit", "--cluster", "local", "--config", profile.toString(), "--code", "qe", in.toString(),
            "--settings", TestEnvironment.repositoryRoot().resolve("examples/qe-si.yaml").toString(), "-o", out.toString(),
            "--state-dir", tmp.resolve("state").toString()};
        Run first = cli(args);
        assertEquals(0, first.exit(), first.out() + first.err());
        assertTrue(first.err().contains("3/3 done, 0 failed"), first.err());
        List<Structure> labelled = ExtendedXyz.read(out);
        assertEquals(3, labelled.size());
        for (Structure s : labelled) {
            assertTrue(s.labels().energy() < -200 && s.labels().energy() > -230, "Si2 energy in eV: " + s.labels().energy());
            assertEquals(6, s.labels().forces().length);
            assertEquals("qe", s.info().get("dft_code"));
            assertEquals("local", s.info().get("dft_cluster"));
        }
        int calls = sbatchCalls(profile);
        assertEquals(2, calls, "3 frames packed 2 per job");
        Run again = cli(args);
        assertEquals(0, again.exit(), again.err());
        assertTrue(again.err().contains("3 distinct tasks (3 already recorded)"), again.err());
        assertEquals(calls, sbatchCalls(profile), "re-running submits nothing");
        assertEquals(ExtendedXyz.toString(labelled), ExtendedXyz.toString(ExtendedXyz.read(out)));
    }

    @Test
    void localTransportRunsOnTheLoginNodeWithoutSsh() throws Exception {
        LocalSlurm cluster = LocalSlurm.assumeUp();
        SiliconTasks.assumePwAndRecipe();
        Path profile = profile(cluster, "cli-local", "transport: local\n");
        Run check = cli("cluster", "check", "--cluster", "local", "--config", profile.toString());
        assertEquals(0, check.exit(), check.out() + check.err());
        assertTrue(check.out().contains("PASS  shell      local shell (transport: local)"), check.out());
        Path out = tmp.resolve("one.extxyz");
        Run r = cli("dft", "submit", "--cluster", "local", "--config", profile.toString(), "--code", "qe", frames(1).toString(),
                "--settings", TestEnvironment.repositoryRoot().resolve("examples/qe-si.yaml").toString(), "-o", out.toString(),
                "--state-dir", tmp.resolve("state-local").toString());
        assertEquals(0, r.exit(), r.out() + r.err());
        assertEquals(1, ExtendedXyz.read(out).size());
        assertEquals(1, sbatchCalls(profile));
    }

    @Test
    void openSshTransportChecksAndSubmitsOverOneMasterConnection() throws Exception {
        LocalSlurm cluster = LocalSlurm.assumeUp();
        SiliconTasks.assumePwAndRecipe();
        Path profile = profile(cluster, "cli-openssh", "transport: openssh\ncontrol_persist: 2m\n");
        OpenSshShell control = new OpenSshShell(ClusterConnection.openSshTarget(ClusterProfiles.read(profile), System::getenv,
                Path.of(System.getProperty("user.home"))));
        control.stopMaster(); // a master left by an earlier run would hide the login counted below
        Path sshdLog = cluster.state().resolve("log/sshd.log");
        long logStart = Files.size(sshdLog);
        try {
            Run login = cli("cluster", "login", "--cluster", "local", "--config", profile.toString());
            assertEquals(0, login.exit(), login.out() + login.err());
            assertTrue(login.out().startsWith("logged in: root@127.0.0.1:" + cluster.port() + " (OpenSSH"), login.out());
            assertTrue(control.masterRunning(), "cluster login left the master connection up");
            Run again = cli("cluster", "login", "--cluster", "local", "--config", profile.toString());
            assertEquals(0, again.exit());
            assertTrue(again.out().startsWith("already logged in: "), again.out());
            Run notOpenssh = cli("cluster", "login", "--cluster", "local", "--config", cluster.clusterYaml().toString());
            assertEquals(2, notOpenssh.exit(), notOpenssh.out() + notOpenssh.err());
            assertTrue(notOpenssh.err().contains("cluster login is for transport: openssh"), notOpenssh.err());
            Run check = cli("cluster", "check", "--cluster", "local", "--config", profile.toString());
            assertEquals(0, check.exit(), check.out() + check.err());
            assertTrue(check.out().lines().anyMatch(l -> l.startsWith("PASS  ssh") && l.contains("(OpenSSH, control socket in ")),
                    check.out());
            Path out = tmp.resolve("openssh.extxyz");
            Run r = cli("dft", "submit", "--cluster", "local", "--config", profile.toString(), "--code", "qe", frames(2).toString(),
                    "--settings", TestEnvironment.repositoryRoot().resolve("examples/qe-si.yaml").toString(), "-o", out.toString(),
                    "--state-dir", tmp.resolve("state-openssh").toString());
            assertEquals(0, r.exit(), r.out() + r.err());
            List<Structure> labelled = ExtendedXyz.read(out);
            assertEquals(2, labelled.size());
            for (Structure s : labelled) assertTrue(s.labels().energy() < -200 && s.labels().energy() > -230, "Si2 energy in eV: " + s.labels().energy());
            assertEquals(1, sbatchCalls(profile), "2 frames packed 2 per job: one sbatch, through ssh");
            assertTrue(control.masterRunning(), "the master connection outlives the CLI (ControlPersist)");
            String log;
            try (var in = Files.newInputStream(sshdLog)) {
                in.skipNBytes(logStart);
                log = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            }
            long logins = log.lines().filter(l -> l.contains("Accepted publickey for root")).count();
            assertEquals(1, logins, "cluster login, cluster check and the whole submission used one login:\n" + log);
        } finally {
            control.stopMaster();
        }
    }

    @Test
    void cliKilledWithSigkillIsResumedWithoutDuplicateJobs() throws Exception {
        LocalSlurm cluster = LocalSlurm.assumeUp();
        SiliconTasks.assumePwAndRecipe();
        // each task waits 4 s first, so the driver is killed while jobs are queued or running
        Path profile = profile(cluster, "cli-kill", "").toAbsolutePath();
        String yaml = Files.readString(profile).replace("command: \"pw.x -in {input}\"", "command: \"sleep 4; pw.x -in {input}\"");
        Files.writeString(profile, yaml);
        Path in = frames(4);
        Path out = tmp.resolve("labelled.extxyz");
        Path state = tmp.resolve("state");
        List<String> args = List.of("dft", "submit", "--cluster", "local", "--config", profile.toString(), "--code", "qe",
                in.toString(), "--settings", TestEnvironment.repositoryRoot().resolve("examples/qe-si.yaml").toString(), "-o",
                out.toString(), "--state-dir", state.toString());
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "org.crucible.driver.cli.CrucibleCommand"));
        cmd.addAll(args);
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(tmp.resolve("killed.log").toFile()).start();
        Path events = state.resolve("events.log");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        while (!(Files.exists(events) && Files.readString(events).contains("submit b000002"))) {
            assertTrue(p.isAlive(), "CLI ended early: " + Files.readString(tmp.resolve("killed.log")));
            assertTrue(System.nanoTime() < deadline, "CLI never submitted");
            Thread.sleep(100);
        }
        p.destroyForcibly(); // SIGKILL: no shutdown hooks, no cleanup
        assertTrue(p.waitFor(10, TimeUnit.SECONDS));
        assertEquals(137, p.exitValue(), "killed by SIGKILL");
        assertTrue(!Files.exists(out), "the killed CLI had not finished");
        Run resumed = cli(args.toArray(String[]::new));
        assertEquals(0, resumed.exit(), resumed.out() + resumed.err());
        assertTrue(resumed.err().contains("4 distinct tasks (4 already recorded)"), resumed.err());
        assertEquals(4, ExtendedXyz.read(out).size());
        JsonNode st = new ObjectMapper().readTree(state.resolve("state.json").toFile());
        assertEquals(2, st.get("batches").size(), "4 tasks packed 2 per job: 2 jobs");
        assertEquals(2, sbatchCalls(profile), "one sbatch per job across the kill and the restart");
        System.out.println("[kill -9] " + Files.readString(events));
    }
}
