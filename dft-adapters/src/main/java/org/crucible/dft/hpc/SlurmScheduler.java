package org.crucible.dft.hpc;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * SLURM ({@code sbatch}, {@code squeue}, {@code scancel}, {@code sacct}).
 *
 * <p>Status is one {@code squeue --me --array --states=all --name=<campaign job name>} per poll ({@code --array}: every
 * element of a job array on its own line as {@code ARRAYJOB_INDEX}): {@code --states=all}
 * keeps jobs that ended within the controller's {@code MinJobAge} in the answer, so a walltime kill or a scancel
 * is seen as TO/CA rather than only as a disappearance. {@code --no-requeue} is set because Crucible resubmits
 * failed work itself and counts it against a budget; SLURM requeueing behind its back would duplicate tasks.
 *
 * <p>Example: {@code new SlurmScheduler("sbatch").parseJobId("Submitted batch job 630114")} is {@code "630114"}.
 */
public final class SlurmScheduler extends Scheduler {
    private static final Pattern JOB_ID = Pattern.compile("(?m)^(?:Submitted batch job )?(\\d+)(?:;\\S+)?\\s*$");

    /** SLURM state codes, short (squeue %t) and long (sacct), to Crucible states. */
    private static final Map<String, JobState> STATES = Map.ofEntries(
            Map.entry("PD", JobState.QUEUED), Map.entry("PENDING", JobState.QUEUED),
            Map.entry("CF", JobState.QUEUED), Map.entry("CONFIGURING", JobState.QUEUED),
            Map.entry("RQ", JobState.QUEUED), Map.entry("REQUEUED", JobState.QUEUED),
            Map.entry("RF", JobState.QUEUED), Map.entry("REQUEUE_FED", JobState.QUEUED),
            Map.entry("RS", JobState.QUEUED), Map.entry("RESIZING", JobState.QUEUED),
            Map.entry("RH", JobState.HELD), Map.entry("REQUEUE_HOLD", JobState.HELD),
            Map.entry("RD", JobState.HELD), Map.entry("RESV_DEL_HOLD", JobState.HELD),
            Map.entry("S", JobState.HELD), Map.entry("SUSPENDED", JobState.HELD),
            Map.entry("ST", JobState.HELD), Map.entry("STOPPED", JobState.HELD),
            Map.entry("R", JobState.RUNNING), Map.entry("RUNNING", JobState.RUNNING),
            Map.entry("CG", JobState.RUNNING), Map.entry("COMPLETING", JobState.RUNNING),
            Map.entry("SI", JobState.RUNNING), Map.entry("SIGNALING", JobState.RUNNING),
            Map.entry("SO", JobState.RUNNING), Map.entry("STAGE_OUT", JobState.RUNNING),
            Map.entry("CD", JobState.COMPLETED), Map.entry("COMPLETED", JobState.COMPLETED),
            Map.entry("F", JobState.FAILED), Map.entry("FAILED", JobState.FAILED),
            Map.entry("BF", JobState.FAILED), Map.entry("BOOT_FAIL", JobState.FAILED),
            Map.entry("SE", JobState.FAILED), Map.entry("SPECIAL_EXIT", JobState.FAILED),
            Map.entry("CA", JobState.CANCELLED), Map.entry("CANCELLED", JobState.CANCELLED),
            Map.entry("RV", JobState.CANCELLED), Map.entry("REVOKED", JobState.CANCELLED),
            Map.entry("TO", JobState.TIMEOUT), Map.entry("TIMEOUT", JobState.TIMEOUT),
            Map.entry("DL", JobState.TIMEOUT), Map.entry("DEADLINE", JobState.TIMEOUT),
            Map.entry("NF", JobState.NODE_FAIL), Map.entry("NODE_FAIL", JobState.NODE_FAIL),
            Map.entry("OOM", JobState.OUT_OF_MEMORY), Map.entry("OUT_OF_MEMORY", JobState.OUT_OF_MEMORY),
            Map.entry("PR", JobState.PREEMPTED), Map.entry("PREEMPTED", JobState.PREEMPTED));

    private final String sbatch;

    /** @param sbatch the submit executable: {@code sbatch}, or a site wrapper with the same interface */
    public SlurmScheduler(String sbatch) {
        if (sbatch == null || sbatch.isBlank()) throw new IllegalArgumentException("sbatch command is empty");
        this.sbatch = sbatch;
    }

    public SlurmScheduler() {
        this("sbatch");
    }

    @Override
    public String name() {
        return "slurm";
    }

    @Override
    protected String directivePrefix() {
        return "#SBATCH";
    }

    @Override
    protected List<String> directives(JobRequest r) {
        List<String> d = new ArrayList<>();
        d.add("--job-name=" + r.jobName());
        d.add("--comment=" + r.comment());
        d.add("--chdir=" + r.workDir());
        d.add("--output=" + r.stdoutPath());
        if (r.partition() != null) d.add("--partition=" + r.partition());
        if (r.account() != null) d.add("--account=" + r.account());
        if (r.qos() != null) d.add("--qos=" + r.qos());
        JobResources res = r.resources();
        if (res.nodes() > 0) d.add("--nodes=" + res.nodes());
        if (res.ntasks() > 0) d.add("--ntasks=" + res.ntasks());
        if (res.ntasksPerNode() > 0) d.add("--ntasks-per-node=" + res.ntasksPerNode());
        if (res.nodes() == 0 && res.ntasks() == 0 && res.ntasksPerNode() == 0) d.add("--ntasks=1");
        d.add("--cpus-per-task=" + res.cpusPerTask());
        if (res.mem() != null) d.add("--mem=" + res.mem());
        if (res.gres() != null) d.add("--gres=" + res.gres());
        if (res.constraint() != null) d.add("--constraint=" + directiveQuote(res.constraint()));
        d.add("--time=" + walltime(r.walltime()));
        d.add("--no-requeue");
        d.addAll(r.extraDirectives());
        return d;
    }

    /**
     * A directive value as sbatch reads it from a {@code #SBATCH} line: plain tokens as they are, anything with SLURM's
     * operators ({@code &|[]()*}) in double quotes, which sbatch strips (values were checked to contain no quote,
     * backslash, blank or {@code #}).
     */
    static String directiveQuote(String value) {
        return value.matches("[A-Za-z0-9._:/%+=,@-]+") ? value : "\"" + value + "\"";
    }

    /** SLURM time format {@code [D-]HH:MM:SS}; SLURM itself rounds up to whole minutes. */
    static String walltime(Duration d) {
        long s = d.toSeconds() + (d.toNanosPart() > 0 ? 1 : 0);
        long days = s / 86400;
        String hms = String.format(Locale.ROOT, "%02d:%02d:%02d", (s % 86400) / 3600, (s % 3600) / 60, s % 60);
        return days > 0 ? days + "-" + hms : hms;
    }

    @Override
    public List<String> submitCommand(String scriptPath) {
        return List.of(sbatch, "--parsable", scriptPath);
    }

    @Override
    public String parseJobId(String out) throws SchedulerException {
        Matcher m = JOB_ID.matcher(out.strip());
        if (!m.find()) throw new SchedulerException("cannot find a SLURM job id in the sbatch output: '" + out.strip() + "'");
        return m.group(1);
    }

    @Override
    protected List<String> queueCommand(String jobName) {
        // --array: one line per array element (ARRAYJOB_INDEX), pending ones included, instead of one collapsed line
        return List.of("squeue", "--noheader", "--me", "--array", "--states=all", "--name=" + jobName, "--format=%i|%t|%r|%k");
    }

    @Override
    protected List<QueueEntry> parseQueue(String output) throws SchedulerException {
        List<QueueEntry> out = new ArrayList<>();
        for (String line : output.split("\n")) {
            if (line.isBlank()) continue;
            String[] f = line.strip().split("\\|", 4);
            if (f.length < 2 || f[0].isEmpty()) throw new SchedulerException("unexpected squeue line: '" + line + "'");
            out.add(new QueueEntry(f[0], state(f[1]), f[1], f.length > 2 ? f[2] : "", f.length > 3 ? f[3] : ""));
        }
        return out;
    }

    @Override
    protected List<String> cancelCommand(Collection<String> jobIds) {
        List<String> c = new ArrayList<>(List.of("scancel"));
        c.addAll(jobIds);
        return c;
    }

    @Override
    protected List<String> accountingCommand(Collection<String> jobIds) {
        return List.of("sacct", "--noheader", "--parsable2", "--allocations", "--jobs=" + String.join(",", jobIds),
                "--format=JobID,State,Reason,Comment");
    }

    @Override
    protected List<QueueEntry> parseAccounting(String output) throws SchedulerException {
        List<QueueEntry> out = new ArrayList<>();
        for (String line : output.split("\n")) {
            if (line.isBlank()) continue;
            String[] f = line.strip().split("\\|", 4);
            if (f.length < 2) throw new SchedulerException("unexpected sacct line: '" + line + "'");
            // sacct writes e.g. "CANCELLED by 1000": the state is the first word.
            String code = f[1].split(" ", 2)[0];
            out.add(new QueueEntry(f[0], state(code), code, f.length > 2 ? f[2] : "", f.length > 3 ? f[3] : ""));
        }
        return out;
    }

    @Override
    public JobState state(String code) {
        return STATES.getOrDefault(code.strip().toUpperCase(Locale.ROOT), JobState.UNKNOWN);
    }
}
