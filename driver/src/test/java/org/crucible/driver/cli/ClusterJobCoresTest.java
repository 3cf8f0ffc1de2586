package org.crucible.driver.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.crucible.dft.hpc.FarmState;
import org.crucible.dft.hpc.JobManager;
import org.crucible.dft.hpc.JobResources;
import org.crucible.dft.hpc.testing.LocalSlurm;
import org.crucible.dft.hpc.testing.SiliconTasks;
import org.crucible.driver.bench.DriverProcess;
import org.crucible.driver.oracle.JobCores;
import org.crucible.driver.oracle.OracleFactory;
import org.crucible.driver.report.CampaignReport;
import org.crucible.driver.spark.ComputeTimeLog;
import org.crucible.driver.store.LabelRecord;
import org.crucible.driver.store.TrainingStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Cores per DFT job recorded at submission, on the real local SLURM cluster (deploy/local-slurm, real pw.x on Si2): a
 * {@code crucible run} driver JVM with a profile of {@code ntasks: 1} is SIGKILLed once cycle 0's job is submitted; the
 * profile is changed to {@code ntasks: 2} (with {@code --overcommit}, so a one-CPU node runs it) and the campaign resumed. The resumed run harvests the
 * first job (its labels are made by the second run, whose recorded figure is 2 cores) and submits the validation's job
 * with 2 cores. The farm's batch records keep each job's request, and the report counts cycle 0's labels with 1 core and
 * the validation with 2.
 */
class ClusterJobCoresTest {
    static final String CAMPAIGN = """
            name: si2-job-cores
            seed: 5
            composition: Si2
            pools:
              training: {size: 4}
              search: {per_group: 1, space_groups: [194, 229]}
            potential:
              basis: {type: ace, cutoff: 4.5, max_degree: [8, 6], l_max: 3}
              committee: 4
            protocol:
              cycle0_batch: 2
              relax: {fmax: 0.1, steps: 20, patience: 10, max_uncertainty: 0.5}
              selection: {batch: 1}
            oracle:
              type: cluster
              profiles_file: PROFILE
              profile: local
              code: qe
              settings:
                pseudo_dir: /usr/share/espresso/pseudo
                pseudopotentials: {Si: Si.pz-vbc.UPF}
                ecutwfc: 12
                kpoint_spacing: 0.6
                smearing: mv
                degauss: 0.01
                timeout_seconds: 600
            stopping: {k: 1, epsilon: 0.01, max_cycles: 1}
            validation: {top_k: 1, fmax: 0.05, steps: 3}
            spark: {master: "local[2]", ui: false, progress: false}
            """;

    @TempDir
    Path tmp;

    /**
     * The local profile with this test's work root, a fast poll, {@code ntasks} MPI tasks per calculation and a command
     * prefix. More than one task comes with {@code --overcommit}: the local node may have a single CPU, and SLURM then
     * allocates one CPU per node for the job while the job still asks for (and is counted with) its tasks.
     */
    static String profile(LocalSlurm cluster, Path work, int ntasks, String prefix) throws Exception {
        String yaml = Files.readString(cluster.clusterYaml())
                .replaceAll("(?m)^work_root:.*$", "work_root: " + work)
                .replaceAll("(?m)^poll_interval:.*$", "poll_interval: 300ms")
                .replaceAll("(?m)^ntasks:.*$", "ntasks: " + ntasks + (ntasks > 1 ? "\nextra_directives: [\"--overcommit\"]" : ""))
                .replace("command: \"pw.x -in {input}\"", "command: \"" + prefix + "pw.x -in {input}\"");
        assertTrue(yaml.contains("ntasks: " + ntasks) && yaml.contains(prefix + "pw.x"), yaml);
        return yaml;
    }

    /** True once the farm's recorded state (written atomically) shows batch b000001 SUBMITTED. */
    private static boolean submitted(Path campaign) throws Exception {
        FarmState recorded = JobManager.recorded(campaign.resolve(JobCores.FARM_DIR));
        if (recorded == null) return false;
        FarmState.BatchRecord b = recorded.batches().get("b000001");
        return b != null && b.phase() == FarmState.BatchPhase.SUBMITTED;
    }

    @Test
    void aJobHarvestedAfterAResumeWithMoreCoresKeepsItsOwnCores() throws Exception {
        LocalSlurm cluster = LocalSlurm.assumeUp();
        SiliconTasks.assumePwAndRecipe();
        Path work = cluster.workRoot("job-cores");
        Path profile = tmp.resolve("local.yaml");
        // run 1: 1 core per calculation; each task sleeps first, so its job is still running when the driver dies
        Files.writeString(profile, profile(cluster, work, 1, "sleep 3; "));
        Path config = Files.writeString(tmp.resolve("si2-job-cores.yaml"), CAMPAIGN.replace("PROFILE", profile.toString()));
        Path d = tmp.resolve("run");
        Path out = tmp.resolve("run1.out");
        Process p = DriverProcess.crucible(List.of("run", config.toString(), "--dir", d.toString()), out);
        Path events = d.resolve(JobCores.FARM_DIR).resolve("events.log");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(600);
        // the farm writes the events line, then the state that records the job: wait for the state
        while (!(Files.exists(events) && Files.readString(events).contains("submit b000001 -> job") && submitted(d))) {
            assertTrue(p.isAlive(), "the driver ended early: " + Files.readString(out));
            assertTrue(System.nanoTime() < deadline, "the driver never submitted cycle 0: " + Files.readString(out));
            Thread.sleep(50);
        }
        p.destroyForcibly(); // SIGKILL: the job runs on, nothing is harvested
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        FarmState killed = JobManager.recorded(d.resolve(JobCores.FARM_DIR));
        FarmState.BatchRecord first = killed.batches().get("b000001");
        assertEquals(FarmState.BatchPhase.SUBMITTED, first.phase(), "the job was in flight at the kill");
        assertEquals(new JobResources(0, 1, 0, 1, null, null, null), first.resources(), "recorded with the batch before sbatch");
        assertTrue(Files.readString(events).contains("each job 1 core: ntasks 1 x cpus_per_task 1"), Files.readString(events));
        try (TrainingStore store = TrainingStore.open(d.resolve("store"))) {
            assertEquals(0, store.entries().size(), "nothing harvested before the kill");
        }

        // run 2: the profile now asks for 2 MPI tasks (2 cores) per calculation
        Files.writeString(profile, profile(cluster, work, 2, ""));
        CampaignCliTest.Result r = CampaignCliTest.cli("resume", d.toString());
        assertEquals(0, r.code(), r.out() + r.err());

        FarmState after = JobManager.recorded(d.resolve(JobCores.FARM_DIR));
        assertEquals(first.resources(), after.batches().get("b000001").resources(), "the harvested job keeps its request");
        FarmState.BatchRecord validation = null;
        for (FarmState.TaskRecord t : after.tasks().values()) {
            if (t.name().startsWith("validation/")) validation = after.batches().get(t.batch());
        }
        assertNotNull(validation, "the validation ran as a farm job: " + after.batches().keySet());
        assertEquals(2, validation.resources().cores(), "submitted by the resumed run with the changed profile: " + validation.resources());
        Path jobs = work.resolve(OracleFactory.farmName("si2-job-cores", d)).resolve("jobs");
        assertTrue(Files.readString(jobs.resolve("b000001/job.sh")).contains("#SBATCH --ntasks=1\n#SBATCH --cpus-per-task=1\n"), "the first job's script");
        assertTrue(Files.readString(jobs.resolve(validation.id()).resolve("job.sh")).contains("#SBATCH --ntasks=2\n#SBATCH --cpus-per-task=1\n"),
                "the validation's script");

        ComputeTimeLog.Contents compute = ComputeTimeLog.read(d);
        assertEquals(2, compute.runs().size(), "one run line per driver run");
        assertEquals(2.0, compute.runs().get(1).oracleCores(), "the resumed run's own figure is 2 cores");
        double wall = 0;
        TreeSet<String> labelJobs = new TreeSet<>();
        try (TrainingStore store = TrainingStore.open(d.resolve("store"))) {
            List<LabelRecord> labels = store.all();
            assertTrue(labels.size() >= 2, "cycle 0's labels (and cycle 1's, if any): " + labels.size());
            for (LabelRecord l : labels) {
                if (l.provenance().cycle() != 0) continue;
                assertEquals("slurm:" + first.jobId(), l.provenance().jobId(), "cycle 0's labels come from the first run's job");
                assertTrue(!l.provenance().created().isBefore(compute.runs().get(1).time()), "made by the resumed run: " + l.provenance().created());
                wall += l.provenance().wallTimeSeconds();
                labelJobs.add(l.provenance().jobId());
            }
        }
        assertTrue(wall > 0, "pw.x wall time recorded");

        CampaignReport.Summary report = new CampaignReport(Clock.systemUTC()).write(d, tmp.resolve("report.html"));
        String html = Files.readString(report.html());
        Matcher row = Pattern.compile("<tr><td class=\"l\">recorded with the job at submission: 1 core: ntasks 1 x cpus_per_task 1</td><td>1</td>"
                + "<td>1</td><td>2</td><td>([0-9.e-]+)</td><td>([0-9.e-]+)</td></tr>").matcher(html);
        assertTrue(row.find(), "cycle 0's two labels counted with their job's 1 core: " + section(html));
        assertEquals(wall / 3600, Double.parseDouble(row.group(2)), 0.01 * wall / 3600, "core-hours = wall time x 1 core");
        Matcher cycle0 = Pattern.compile("<tr><td>0</td><td>2</td><td>0</td><td>[0-9.e-]+</td><td>([0-9.e-]+)</td>").matcher(html);
        assertTrue(cycle0.find(), section(html));
        assertEquals(wall / 3600, Double.parseDouble(cycle0.group(1)), 0.01 * wall / 3600, "cycle 0 at 1 core, not the resumed run's 2");
        assertTrue(html.contains("wall time x 2 core(s) per calculation"), "the validation's job had 2 cores: " + section(html));
        System.out.printf(Locale.ROOT, "[job cores] cycle 0 job %s: %.2f s of pw.x at 1 core; validation job %s at %d cores%n", labelJobs, wall,
                validation.jobId(), validation.resources().cores());
    }

    private static String section(String html) {
        int at = html.indexOf("Compute cost");
        return at < 0 ? "(no Compute cost section)" : html.substring(at, Math.min(html.length(), at + 6000));
    }
}
