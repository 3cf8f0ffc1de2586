package org.crucible.dft.hpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import org.crucible.dft.DftCode;
import org.crucible.dft.DftResult;
import org.crucible.dft.DftStatus;
import org.crucible.dft.DftStep;
import org.crucible.dft.hpc.FailureClassifier.Decision;
import org.crucible.dft.hpc.FailureClassifier.Retry;
import org.junit.jupiter.api.Test;

/** Exit codes, parsed outputs and SLURM states in, a reason and a retry policy out. */
class FailureClassifierTest {
    static final Duration TIMEOUT = Duration.ofMinutes(30);

    static DftResult result(DftStatus status, String message) {
        DftStep step = new DftStep(-15.84, null, null, new double[6], null, status == DftStatus.OK);
        return new DftResult(DftCode.QE, "6.7MaX", status, message, 2, null, List.of(step), 2.5, "pw.out");
    }

    static void assertDecision(FailureReason reason, Retry retry, Decision d) {
        assertEquals(reason, d.reason(), d.toString());
        assertEquals(retry, d.retry(), d.toString());
    }

    @Test
    void aConvergedResultWithANormalExitIsNoFailure() {
        assertNull(FailureClassifier.ofTask(0, result(DftStatus.OK, null), null, TIMEOUT, null));
    }

    @Test
    void codeLevelFailuresAreNotRetriedWhenTheSameInputWouldFailAgain() {
        Decision scf = FailureClassifier.ofTask(0, result(DftStatus.SCF_NOT_CONVERGED, "convergence NOT achieved after 1 iterations"), null, TIMEOUT, null);
        assertDecision(FailureReason.SCF_NOT_CONVERGED, Retry.NEVER, scf);
        assertTrue(scf.detail().contains("convergence NOT achieved"), scf.detail());
        Decision truncated = FailureClassifier.ofTask(0, null, "pw.out:812: truncated: no final energy", TIMEOUT, null);
        assertDecision(FailureReason.INVALID_OUTPUT, Retry.NEVER, truncated);
        assertTrue(truncated.detail().contains("pw.out:812"), truncated.detail());
        assertDecision(FailureReason.INVALID_OUTPUT, Retry.NEVER,
                FailureClassifier.ofTask(0, result(DftStatus.INCOMPLETE, "no JOB DONE"), null, TIMEOUT, null));
        Decision crash = FailureClassifier.ofTask(139, null, "pw.out was not written", TIMEOUT, null);
        assertDecision(FailureReason.CODE_FAILED, Retry.CHARGED, crash);
        assertTrue(crash.detail().startsWith("exit 139"), crash.detail());
    }

    @Test
    void timeoutsAndTheOomKillerAreToldApartByTheRunTime() {
        assertDecision(FailureReason.TASK_TIMEOUT, Retry.CHARGED, FailureClassifier.ofTask(124, null, "x", TIMEOUT, null));
        assertDecision(FailureReason.OUT_OF_MEMORY, Retry.CHARGED, FailureClassifier.ofTask(137, null, "x", TIMEOUT, Duration.ofSeconds(40)));
        assertDecision(FailureReason.TASK_TIMEOUT, Retry.CHARGED, FailureClassifier.ofTask(137, null, "x", TIMEOUT, Duration.ofMinutes(30).plusSeconds(30)));
        Decision unknown = FailureClassifier.ofTask(137, null, "x", TIMEOUT, null);
        assertDecision(FailureReason.TASK_TIMEOUT, Retry.CHARGED, unknown);
        assertTrue(unknown.detail().contains("OOM killer"), "the ambiguity is stated: " + unknown.detail());
        // A SIGKILL beats an SCF message in a half-written output: the run did not end on its own.
        assertDecision(FailureReason.TASK_TIMEOUT, Retry.CHARGED,
                FailureClassifier.ofTask(124, result(DftStatus.SCF_NOT_CONVERGED, "convergence NOT achieved"), null, TIMEOUT, null));
    }

    @Test
    void slurmEndStatesDecideBetweenInfrastructureAndTaskFaults() {
        SlurmScheduler slurm = new SlurmScheduler();
        assertDecision(FailureReason.NODE_FAILURE, Retry.UNCHARGED, FailureClassifier.ofSchedulerState(slurm, "NODE_FAIL", "job 7"));
        assertDecision(FailureReason.NODE_FAILURE, Retry.UNCHARGED, FailureClassifier.ofSchedulerState(slurm, "NF", "job 7"));
        assertDecision(FailureReason.PREEMPTED, Retry.UNCHARGED, FailureClassifier.ofSchedulerState(slurm, "PREEMPTED", "job 7"));
        assertDecision(FailureReason.PREEMPTED, Retry.UNCHARGED, FailureClassifier.ofSchedulerState(slurm, "PR", "job 7"));
        assertDecision(FailureReason.WALLTIME, Retry.CHARGED, FailureClassifier.ofSchedulerState(slurm, "TIMEOUT", "job 7"));
        assertDecision(FailureReason.WALLTIME, Retry.CHARGED, FailureClassifier.ofSchedulerState(slurm, "DEADLINE", "job 7"));
        assertDecision(FailureReason.OUT_OF_MEMORY, Retry.CHARGED, FailureClassifier.ofSchedulerState(slurm, "OUT_OF_MEMORY", "job 7"));
        assertDecision(FailureReason.CANCELLED, Retry.CHARGED, FailureClassifier.ofSchedulerState(slurm, "CANCELLED", "job 7"));
        assertDecision(FailureReason.MISSING_OUTPUT, Retry.CHARGED, FailureClassifier.ofSchedulerState(slurm, "COMPLETED", "job 7"));
        assertDecision(FailureReason.MISSING_OUTPUT, Retry.CHARGED, FailureClassifier.ofJobEnd(null, "job 7 left the queue"));
        assertEquals("job 7", FailureClassifier.ofSchedulerState(slurm, "PR", "job 7").detail());
    }

    @Test
    void everyReasonHasAPolicy() {
        for (FailureReason r : FailureReason.values()) {
            Retry p = FailureClassifier.policy(r);
            boolean infrastructure = r == FailureReason.NODE_FAILURE || r == FailureReason.PREEMPTED;
            assertEquals(infrastructure, p == Retry.UNCHARGED, r.name());
        }
    }
}
