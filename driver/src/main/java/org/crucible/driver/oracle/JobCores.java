package org.crucible.driver.oracle;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.crucible.dft.hpc.FarmState;
import org.crucible.dft.hpc.JobManager;
import org.crucible.dft.hpc.JobResources;

/**
 * The cores of each DFT job of a cluster campaign as its task farm recorded them when it submitted the job
 * ({@code cluster-farm/state.json}, {@link FarmState.BatchRecord#resources()}), looked up by the job id a label's
 * provenance names ({@code slurm:ID}, {@code slurm:ARRAYID_INDEX} for an array element). A job keeps the figure it was
 * submitted with whatever the profile says later: a job submitted by one driver run and harvested by a resumed run with
 * a changed profile is counted with its own cores.
 *
 * <p>Empty for campaigns without a farm (embedded and local oracles) and for farms written before jobs recorded their
 * resources: {@link #of} is then null and the caller falls back to the figure of the driver run.
 *
 * <pre>{@code
 * JobCores jobs = JobCores.read(campaignDir);
 * OracleCores c = jobs.of(label.provenance().jobId());   // null when the job's resources were not recorded
 * }</pre>
 */
public final class JobCores {
    /** The farm's state directory inside a campaign directory (as {@link OracleFactory} opens it). */
    public static final String FARM_DIR = "cluster-farm";
    /** Name prefix of the farm tasks of the final validation ({@link ClusterOracle#relax}). */
    private static final String VALIDATION = "validation/";

    private final Map<String, JobResources> byJob;
    private final JobResources validation;
    private final String problem;

    private JobCores(Map<String, JobResources> byJob, JobResources validation, String problem) {
        this.byJob = byJob;
        this.validation = validation;
        this.problem = problem;
    }

    /** The recorded jobs of the campaign in {@code dir}; empty when it has no farm or the farm's state cannot be read. */
    public static JobCores read(Path dir) {
        FarmState s;
        try {
            s = JobManager.recorded(dir.resolve(FARM_DIR));
        } catch (IOException | RuntimeException e) {
            return new JobCores(Map.of(), null, "cannot read " + dir.resolve(FARM_DIR).resolve("state.json") + ": " + e.getMessage());
        }
        if (s == null) return new JobCores(Map.of(), null, null);
        Map<String, JobResources> byJob = new HashMap<>();
        for (FarmState.BatchRecord b : s.batches().values()) {
            if (b.jobId() == null || b.resources() == null) continue;
            String id = "slurm:" + b.jobId();
            // a job id seen twice with different requests (a controller whose ids restarted) says nothing reliable
            if (byJob.containsKey(id) && !b.resources().equals(byJob.get(id))) byJob.put(id, null);
            else byJob.put(id, b.resources());
        }
        JobResources validation = null;
        for (FarmState.TaskRecord t : s.tasks().values()) {
            FarmState.BatchRecord b = t.batch() == null ? null : s.batches().get(t.batch());
            if (!t.name().startsWith(VALIDATION) || b == null || b.resources() == null) continue;
            if (validation == null || b.resources().cores() > validation.cores()) validation = b.resources();
        }
        return new JobCores(byJob, validation, null);
    }

    /** The cores of the job a label names ({@code slurm:ID}), or null when that job's resources were not recorded. */
    public OracleCores of(String provenanceJobId) {
        JobResources r = byJob.get(provenanceJobId);
        return r == null ? null : cores(r);
    }

    /** The cores of the final validation's jobs (the largest request when they differ), or null when none is recorded. */
    public OracleCores validation() {
        return validation == null ? null : cores(validation);
    }

    /** Why the farm's record could not be read, or null. */
    public String problem() {
        return problem;
    }

    /** A job's request as cores per calculation, described in the profile's words. */
    public static OracleCores cores(JobResources r) {
        return new OracleCores(r.cores(), "recorded with the job at submission: " + r.describe());
    }
}
