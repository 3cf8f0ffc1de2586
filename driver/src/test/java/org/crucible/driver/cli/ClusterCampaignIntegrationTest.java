package org.crucible.driver.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.crucible.core.testing.TestEnvironment;
import org.crucible.dft.hpc.ShellQuote;
import org.crucible.dft.hpc.testing.LocalSlurm;
import org.crucible.driver.oracle.OracleFactory;
import org.crucible.dft.hpc.testing.SiliconTasks;
import org.crucible.driver.store.LabelRecord;
import org.crucible.driver.store.LabelStatus;
import org.crucible.driver.store.TrainingStore;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code examples/si8-qe-slurm.yaml} end to end on the real local SLURM cluster (deploy/local-slurm/up.sh, sshd on
 * loopback, real pw.x): the uninterrupted campaign, and a {@code crucible run} process killed with SIGKILL while its
 * jobs are queued or running, then resumed. sbatch calls are counted on the cluster side by a wrapper script.
 */
class ClusterCampaignIntegrationTest {
    @TempDir
    static Path tmp;
    static LocalSlurm cluster;
    static Path reference;
    static Path referenceProfile;
    static JsonNode referenceStatus;
    static long referenceSeconds;

    record Result(int code, String out, String err) {
    }

    static Result cli(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = CrucibleCommand.commandLine();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int code = cl.execute(args);
        return new Result(code, out.toString(), err.toString());
    }

    /** The local profile with its own work root, a fast poll, a command prefix and an sbatch wrapper counting calls. */
    static Path profile(String test, String commandPrefix) throws Exception {
        Path work = cluster.workRoot(test);
        if (commandPrefix.contains("{slow}")) {
            Files.writeString(work.resolve("slow"), "");
            commandPrefix = commandPrefix.replace("{slow}", work.resolve("slow").toString());
        }
        Path wrapper = work.resolve("sbatch-counting");
        Files.writeString(wrapper, "#!/bin/sh\necho \"$@\" >> " + ShellQuote.quote(work.resolve("sbatch.calls").toString())
                + "\nexec sbatch \"$@\"\n");
        Files.setPosixFilePermissions(wrapper, PosixFilePermissions.fromString("rwxr-xr-x"));
        String yaml = Files.readString(cluster.clusterYaml())
                .replaceAll("(?m)^work_root:.*$", "work_root: " + work)
                .replaceAll("(?m)^poll_interval:.*$", "poll_interval: 500ms")
                .replace("command: \"pw.x -in {input}\"", "command: \"" + commandPrefix + "pw.x -in {input}\"")
                + "submit_command: " + wrapper + "\n";
        Path p = tmp.resolve(test + "-profile.yaml");
        Files.writeString(p, yaml);
        return p;
    }

    /**
     * Command prefix: a task waits 3 s before pw.x while the file {@code slow} is in the profile's work root (created
     * with the profile), so the driver is stopped while its jobs are queued or running. The command is the same before
     * and after {@link #fast}, which removes the file: tasks starting after the kill or cancel run pw.x at once.
     */
    static final String SLOW_UNTIL_KILLED = "if [ -e {slow} ]; then sleep 3; fi; ";

    /** Tasks of {@code profile} starting from now on no longer wait (see {@link #SLOW_UNTIL_KILLED}). */
    static void fast(Path profile) throws Exception {
        Files.delete(workRoot(profile).resolve("slow"));
    }

    static Path workRoot(Path profile) throws Exception {
        return Path.of(Files.readAllLines(profile).stream().filter(l -> l.startsWith("work_root:")).findFirst().orElseThrow()
                .substring("work_root:".length()).strip());
    }

    static int sbatchCalls(Path profile) throws Exception {
        Path f = workRoot(profile).resolve("sbatch.calls");
        return Files.exists(f) ? Files.readAllLines(f).size() : 0;
    }

    /** examples/si8-qe-slurm.yaml with the profile file of this test. */
    static Path campaign(String test, Path profile) throws Exception {
        String yaml = Files.readString(TestEnvironment.repositoryRoot().resolve("examples/si8-qe-slurm.yaml"));
        assertTrue(yaml.contains("  profile: local "), "the example names cluster local");
        yaml = yaml.replace("  profile: local ", "  profiles_file: " + profile + "\n  profile: local ");
        Path f = tmp.resolve(test + ".yaml");
        Files.writeString(f, yaml);
        return f;
    }

    static JsonNode status(Path dir) throws Exception {
        Result s = cli("status", dir.toString(), "--json");
        assertEquals(0, s.code(), s.err());
        return new ObjectMapper().readTree(s.out());
    }

    /**
     * Starts {@code crucible run config --dir d} in its own JVM (output to {@code out}) and returns once it has submitted
     * the second cycle's first job: cycle 0's labels are stored and cycle 1's tasks are on the cluster.
     */
    static Process driverUntilCycle1Submitted(Path config, Path d, Path out) throws Exception {
        Process p = org.crucible.driver.bench.DriverProcess.crucible(List.of("run", config.toString(), "--dir", d.toString()), out);
        Path events = d.resolve("cluster-farm/events.log");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(240);
        while (!(Files.exists(events) && Files.readString(events).contains("submit b000003"))) {
            assertTrue(p.isAlive(), "the driver ended early: " + Files.readString(out));
            assertTrue(System.nanoTime() < deadline, "the driver never submitted cycle 1: " + Files.readString(out));
            Thread.sleep(100);
        }
        return p;
    }

    @BeforeAll
    static void uninterruptedCampaign() throws Exception {
        cluster = LocalSlurm.assumeUp();
        SiliconTasks.assumePwAndRecipe();
        referenceProfile = profile("campaign-ref", "");
        reference = tmp.resolve("reference");
        long t0 = System.nanoTime();
        Result r = cli("run", campaign("reference", referenceProfile).toString(), "--dir", reference.toString());
        referenceSeconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - t0);
        assertEquals(0, r.code(), r.out() + r.err());
        referenceStatus = status(reference);
        System.out.println("[si8-qe-slurm] " + referenceSeconds + " s, " + referenceStatus.get("oracle_single_points") + " single points, "
                + sbatchCalls(referenceProfile) + " sbatch calls");
    }

    @Test
    void exampleCompletesOnTheLocalSlurmWithProvenance() throws Exception {
        JsonNode s = referenceStatus;
        assertEquals("max-cycles", s.get("state").asText());
        assertEquals(2, s.get("cycles").asInt());
        assertEquals(8, s.get("oracle_single_points").asInt(), "4 random cells in cycle 0 and a batch of 4 in cycle 1");
        assertEquals(0, s.get("oracle_failures").asInt());
        assertEquals(5, sbatchCalls(referenceProfile), "8 tasks packed 2 per job, then the validation's vc-relax: one sbatch per job");
        // Validation: the best cell relaxed by pw.x itself (vc-relax) as one SLURM job.
        assertTrue(s.get("validation_single_points").asInt() >= 2, "ionic steps of the vc-relax: " + s);
        assertEquals(1, s.get("best").size(), s.toString());
        JsonNode best = s.get("best").get(0);
        double validated = best.get("energy_eV_per_atom").asDouble();
        assertTrue(validated > -108.5 && validated < -100, "pw.x energy per atom of the relaxed cell: " + validated);
        Path bestFile = reference.resolve(best.get("file").asText());
        List<LabelRecord> bestRecords;
        try (java.io.BufferedReader in = Files.newBufferedReader(bestFile)) {
            bestRecords = org.crucible.driver.store.ShardCodec.read(in, bestFile.toString());
        }
        assertEquals(1, bestRecords.size());
        assertTrue(bestRecords.get(0).provenance().jobId().matches("slurm:\\d+"), "the validation names its SLURM job: "
                + bestRecords.get(0).provenance().jobId());
        assertTrue(Files.isRegularFile(reference.resolve("cluster-farm/state.json")), "the farm's state lives in the campaign directory");
        try (TrainingStore store = TrainingStore.open(reference.resolve("store"))) {
            List<LabelRecord> all = store.all();
            assertEquals(8, all.size());
            TreeSet<String> jobs = new TreeSet<>();
            for (LabelRecord rec : all) {
                assertEquals(LabelStatus.OK, rec.status(), rec.message());
                double ePerAtom = rec.structure().labels().energy() / rec.structure().size();
                // Si.pz-vbc total energies are about -7.9 Ry = -107 eV per atom; random cells lie above diamond
                assertTrue(ePerAtom > -108.5 && ePerAtom < -100, "pw.x energy per atom in eV: " + ePerAtom);
                assertEquals(24, rec.structure().labels().forces().length);
                assertEquals("pw.x", rec.provenance().code());
                assertTrue(rec.provenance().codeVersion().startsWith("6."), rec.provenance().codeVersion());
                assertTrue(rec.provenance().jobId().matches("slurm:\\d+"), rec.provenance().jobId());
                assertEquals("local/127.0.0.1", rec.provenance().host());
                assertTrue(rec.provenance().wallTimeSeconds() > 0, "pw.x wall time recorded");
                jobs.add(rec.provenance().jobId());
            }
            assertEquals(4, jobs.size(), "each label names the SLURM job that computed it");
        }
    }

    @Test
    void killMinus9WhileJobsRunThenResumeLosesAndRepeatsNothing() throws Exception {
        // each task started before the kill waits 3 s first, so the driver dies while its jobs are queued or running
        Path profile = profile("campaign-kill", SLOW_UNTIL_KILLED);
        Path config = campaign("killed", profile);
        Path d = tmp.resolve("killed");
        Process p = driverUntilCycle1Submitted(config, d, tmp.resolve("killed.out"));
        Path events = d.resolve("cluster-farm/events.log");
        p.destroyForcibly(); // SIGKILL on Linux: no shutdown hook, no cleanup
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        assertEquals(137, p.exitValue(), "killed by SIGKILL");
        JsonNode farm = new ObjectMapper().readTree(d.resolve("cluster-farm/state.json").toFile());
        boolean inFlight = false;
        for (JsonNode b : farm.get("batches")) inFlight |= List.of("PREPARED", "SUBMITTED").contains(b.get("phase").asText());
        assertTrue(inFlight, "a job was queued or running when the driver died: " + farm.get("batches"));
        fast(profile);
        int storedBefore;
        try (TrainingStore store = TrainingStore.open(d.resolve("store"))) {
            storedBefore = store.entries().size();
        }
        assertTrue(storedBefore >= 4, "cycle 0's labels were stored before the kill: " + storedBefore);
        int sbatchBefore = sbatchCalls(profile);

        long t0 = System.nanoTime();
        Result r = cli("resume", d.toString());
        long resumeSeconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - t0);
        assertEquals(0, r.code(), r.out() + r.err());
        JsonNode s = status(d);
        assertEquals("max-cycles", s.get("state").asText());
        assertEquals(referenceStatus.get("oracle_single_points"), s.get("oracle_single_points"), "no oracle call repeated or lost");
        assertEquals(0, s.get("oracle_failures").asInt());
        assertEquals(5, sbatchCalls(profile), "one sbatch per job across the kill and the resume (" + sbatchBefore + " before the kill)");
        assertEquals(referenceStatus.get("validation_single_points"), s.get("validation_single_points"), "the same validation relaxation");
        try (TrainingStore a = TrainingStore.open(reference.resolve("store")); TrainingStore b = TrainingStore.open(d.resolve("store"))) {
            assertEquals(new TreeSet<>(a.entries().keySet()), new TreeSet<>(b.entries().keySet()), "the same tasks as the uninterrupted run");
            assertEquals(b.entries().size(), b.all().size(), "every task stored exactly once");
        }
        String log = Files.readString(events);
        assertTrue(log.contains("resume: "), log);
        assertFalse(log.contains("submit b000006"), "no sixth job: " + log);
        System.out.println("[si8-qe-slurm kill -9] sbatch before kill " + sbatchBefore + ", stored before kill " + storedBefore
                + ", resume " + resumeSeconds + " s");
    }

    @Test
    void cancelStopsTheDriverAndItsJobsAndResumeLosesAndRepeatsNothing() throws Exception {
        Path profile = profile("campaign-cancel", SLOW_UNTIL_KILLED);
        Path config = campaign("cancelled", profile);
        Path d = tmp.resolve("cancelled");
        Process p = driverUntilCycle1Submitted(config, d, tmp.resolve("cancelled.out"));
        Path events = d.resolve("cluster-farm/events.log");
        Result c = cli("cancel", d.toString(), "--timeout", "60");
        assertEquals(0, c.code(), c.out() + c.err());
        assertTrue(c.out().contains("stopped the driver (pid " + p.pid()), c.out());
        assertTrue(p.waitFor(5, TimeUnit.SECONDS), "the driver is gone");
        assertTrue(c.out().contains("continue with: crucible resume " + d), c.out());
        String farmJobName = "crucible-" + OracleFactory.farmName("si8-qe-slurm", d);
        Process q = new ProcessBuilder("squeue", "-h", "-n", farmJobName, "-o", "%i %T").redirectErrorStream(true).start();
        String queue = new String(q.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).strip();
        assertTrue(q.waitFor(30, TimeUnit.SECONDS));
        assertTrue(queue.lines().noneMatch(l -> l.endsWith("PENDING") || l.endsWith("RUNNING")), "no job of the campaign left: " + queue);
        JsonNode farm = new ObjectMapper().readTree(d.resolve("cluster-farm/state.json").toFile());
        for (JsonNode b : farm.get("batches")) assertFalse(List.of("PREPARED", "SUBMITTED").contains(b.get("phase").asText()), b.toString());
        for (JsonNode t : farm.get("tasks")) assertFalse(List.of("SUBMITTED", "CANCELLED", "FAILED").contains(t.get("phase").asText()), t.toString());
        assertTrue(Files.readString(events).contains("suspend: scancel"), Files.readString(events));
        fast(profile);

        Result r = cli("resume", d.toString());
        assertEquals(0, r.code(), r.out() + r.err());
        JsonNode s = status(d);
        assertEquals("max-cycles", s.get("state").asText());
        assertEquals(referenceStatus.get("oracle_single_points"), s.get("oracle_single_points"), "no oracle call repeated or lost");
        assertEquals(0, s.get("oracle_failures").asInt());
        try (TrainingStore a = TrainingStore.open(reference.resolve("store")); TrainingStore b = TrainingStore.open(d.resolve("store"))) {
            assertEquals(new TreeSet<>(a.entries().keySet()), new TreeSet<>(b.entries().keySet()), "the same tasks as the uninterrupted run");
            assertEquals(b.entries().size(), b.all().size(), "every task stored exactly once");
        }
        int sbatch = sbatchCalls(profile);
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("cancelled (\\d+) job").matcher(c.out());
        int cancelledJobs = m.find() ? Integer.parseInt(m.group(1)) : 0;
        assertTrue(sbatch >= 5 && sbatch <= 5 + cancelledJobs, "one sbatch per job, plus at most one per cancelled job (" + cancelledJobs + "): " + sbatch);
        System.out.println("[si8-qe-slurm cancel] " + c.out().strip().replace('\n', ';') + "; sbatch calls " + sbatch);
    }
}
