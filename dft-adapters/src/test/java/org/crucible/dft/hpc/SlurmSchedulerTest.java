package org.crucible.dft.hpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Strings in, strings out: the SLURM vocabulary without a cluster. */
class SlurmSchedulerTest {
    private final SlurmScheduler slurm = new SlurmScheduler();

    @Test
    void parsesJobIds() throws Exception {
        assertEquals("630114", slurm.parseJobId("Submitted batch job 630114"));
        assertEquals("630114", slurm.parseJobId("630114\n"));
        assertEquals("42", slurm.parseJobId("42;cluster2"));
        assertEquals("7", slurm.parseJobId("sbatch: warning: no account given\n7\n"));
        SchedulerException e = assertThrows(SchedulerException.class,
                () -> slurm.parseJobId("sbatch: error: Batch job submission failed: Invalid partition name specified"));
        assertEquals("cannot find a SLURM job id in the sbatch output: 'sbatch: error: Batch job submission failed: "
                + "Invalid partition name specified'", e.getMessage());
    }

    @Test
    void writesScriptGolden() {
        JobRequest r = new JobRequest("crucible-si", "b0003", "/scratch/u/si/jobs/b0003", "/scratch/u/si/jobs/b0003/slurm-%j.out",
                "standard", "e89-abc", "normal", 4, 2, Duration.ofMinutes(90), List.of("--constraint=amd"));
        String expected = """
                #!/bin/bash
                #SBATCH --job-name=crucible-si
                #SBATCH --comment=b0003
                #SBATCH --chdir=/scratch/u/si/jobs/b0003
                #SBATCH --output=/scratch/u/si/jobs/b0003/slurm-%j.out
                #SBATCH --partition=standard
                #SBATCH --account=e89-abc
                #SBATCH --qos=normal
                #SBATCH --ntasks=4
                #SBATCH --cpus-per-task=2
                #SBATCH --time=01:30:00
                #SBATCH --no-requeue
                #SBATCH --constraint=amd
                echo hi
                """;
        assertEquals(expected, slurm.script(r, List.of("echo hi")));
    }

    @Test
    void walltimeFormat() {
        assertEquals("00:00:30", SlurmScheduler.walltime(Duration.ofSeconds(30)));
        assertEquals("23:59:59", SlurmScheduler.walltime(Duration.ofSeconds(86399)));
        assertEquals("2-01:00:00", SlurmScheduler.walltime(Duration.ofHours(49)));
        assertEquals("00:00:02", SlurmScheduler.walltime(Duration.ofMillis(1500)));
    }

    @Test
    void directiveValuesCannotInject() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new JobRequest("x\n#SBATCH --uid=0",
                "c", "/w", "/w/o", null, null, null, 1, 1, Duration.ofMinutes(1), List.of()));
        assertEquals("jobName 'x\\n#SBATCH --uid=0' may contain only letters, digits and ._:/%+=,@- (no blanks, quotes or newlines)",
                e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new JobRequest("x", "c", "/w a", "/w/o", null, null, null, 1, 1,
                Duration.ofMinutes(1), List.of()));
        assertThrows(IllegalArgumentException.class, () -> new JobRequest("x", "c", "/w", "/w/o", null, null, null, 0, 1,
                Duration.ofMinutes(1), List.of()));
    }

    @Test
    void commandsGolden() {
        assertEquals("'sbatch' '--parsable' '/w/job.sh'", ShellQuote.join(slurm.submitCommand("/w/job.sh")));
        assertEquals("'squeue' '--noheader' '--me' '--array' '--states=all' '--name=crucible-si' '--format=%i|%t|%r|%k'",
                ShellQuote.join(slurm.queueCommand("crucible-si")));
        assertEquals("'scancel' '1' '2'", ShellQuote.join(slurm.cancelCommand(List.of("1", "2"))));
        assertEquals("'sacct' '--noheader' '--parsable2' '--allocations' '--jobs=5,6' '--format=JobID,State,Reason,Comment'",
                ShellQuote.join(slurm.accountingCommand(List.of("5", "6"))));
        assertEquals("'/opt/site/sbatch-wrapper' '--parsable' 'j.sh'",
                ShellQuote.join(new SlurmScheduler("/opt/site/sbatch-wrapper").submitCommand("j.sh")));
    }

    @Test
    void parsesQueueAndAccounting() throws Exception {
        List<QueueEntry> q = slurm.parseQueue("""
                101|PD|Priority|b0001
                102|R|None|b0002
                103|TO|TimeLimit|b0003
                104|CA|None|b0004
                105_3|NF|NodeDown|b0005
                106|XX|None|
                """);
        assertEquals(List.of(new QueueEntry("101", JobState.QUEUED, "PD", "Priority", "b0001"),
                new QueueEntry("102", JobState.RUNNING, "R", "None", "b0002"),
                new QueueEntry("103", JobState.TIMEOUT, "TO", "TimeLimit", "b0003"),
                new QueueEntry("104", JobState.CANCELLED, "CA", "None", "b0004"),
                new QueueEntry("105_3", JobState.NODE_FAIL, "NF", "NodeDown", "b0005"),
                new QueueEntry("106", JobState.UNKNOWN, "XX", "None", "")), q);
        List<QueueEntry> a = slurm.parseAccounting("7|CANCELLED by 1000|None|b7\n8|COMPLETED|None|b8\n9|OUT_OF_MEMORY|None|b9\n");
        assertEquals(JobState.CANCELLED, a.get(0).state());
        assertEquals("CANCELLED", a.get(0).code());
        assertEquals(JobState.COMPLETED, a.get(1).state());
        assertEquals(JobState.OUT_OF_MEMORY, a.get(2).state());
        assertThrows(SchedulerException.class, () -> slurm.parseQueue("garbage-without-fields\n"));
    }

    @Test
    void stateTable() {
        assertEquals(JobState.QUEUED, slurm.state("PD"));
        assertEquals(JobState.RUNNING, slurm.state("CG"));
        assertEquals(JobState.HELD, slurm.state("S"));
        assertEquals(JobState.TIMEOUT, slurm.state("DEADLINE"));
        assertEquals(JobState.PREEMPTED, slurm.state("PR"));
        assertEquals(JobState.UNKNOWN, slurm.state("ZZ"));
        assertEquals(true, JobState.UNKNOWN.active());
        assertEquals(false, JobState.TIMEOUT.active());
    }
}
