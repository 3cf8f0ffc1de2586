package org.crucible.dft.hpc;

import java.time.Duration;
import java.util.Objects;
import org.crucible.dft.DftResult;
import org.crucible.dft.DftStatus;

/**
 * Classifies a failed attempt of a DFT task and decides whether to run it again. Two sources, as the farm sees them:
 * the task's own files (its exit code and its parsed output, {@link #ofTask}) when the task ended inside the job, and
 * the scheduler's final state of the job ({@link #ofJobEnd}, {@link #ofSchedulerState}) when the job ended while the task
 * ran. The decision is a table from the reason to a {@link Retry} policy:
 *
 * <table>
 *   <caption>Reason, retry policy, why</caption>
 *   <tr><th>reason</th><th>retry</th><th>why</th></tr>
 *   <tr><td>SCF_NOT_CONVERGED</td><td>NEVER</td><td>the same input converges no better the second time; stored unconverged</td></tr>
 *   <tr><td>INVALID_OUTPUT</td><td>NEVER</td><td>exit 0 with NaN or unreadable output: a deterministic code result</td></tr>
 *   <tr><td>NODE_FAILURE</td><td>UNCHARGED</td><td>the machine failed, not the task</td></tr>
 *   <tr><td>PREEMPTED</td><td>UNCHARGED</td><td>the scheduler took the nodes back; not the task's fault</td></tr>
 *   <tr><td>WALLTIME, TASK_TIMEOUT, OUT_OF_MEMORY, CANCELLED, CODE_FAILED, MISSING_OUTPUT</td><td>CHARGED</td>
 *       <td>may be transient (a slow or crowded node, a stray scancel); bounded by the resubmission budget</td></tr>
 * </table>
 *
 * <p>Exit 124 is {@code timeout}'s own status (the per-task timeout fired); 137 is a SIGKILL inside the job, which is
 * {@code timeout --kill-after} when the task ran at least the timeout, and the kernel's OOM killer otherwise. When the
 * run time is unknown, 137 stays a task timeout (the farm's job script does not record it yet).
 *
 * <pre>{@code
 * FailureClassifier.Decision d = FailureClassifier.ofTask(exit, parsed, parseError, Duration.ofHours(1), null);
 * if (d.retry() == FailureClassifier.Retry.NEVER) recordFailed(d.reason(), d.detail());
 * }</pre>
 */
public final class FailureClassifier {
    private FailureClassifier() {
    }

    /** Whether a failed attempt is run again, and whether it counts against the task's resubmission budget. */
    public enum Retry {
        /** Run again; counts against the budget. */
        CHARGED,
        /** Run again without counting against the budget (infrastructure faults; bounded separately). */
        UNCHARGED,
        /** Not run again: the next attempt would fail the same way. */
        NEVER
    }

    /** A classified failure: the reason, the retry policy for it, and a one-line detail for the log. */
    public record Decision(FailureReason reason, Retry retry, String detail) {
        public Decision {
            Objects.requireNonNull(reason, "reason");
            Objects.requireNonNull(retry, "retry");
            Objects.requireNonNull(detail, "detail");
        }
    }

    /** The retry policy of a reason (the table in the class Javadoc). */
    public static Retry policy(FailureReason reason) {
        return switch (reason) {
            case SCF_NOT_CONVERGED, INVALID_OUTPUT -> Retry.NEVER;
            case NODE_FAILURE, PREEMPTED -> Retry.UNCHARGED;
            case WALLTIME, TASK_TIMEOUT, OUT_OF_MEMORY, CANCELLED, CODE_FAILED, MISSING_OUTPUT -> Retry.CHARGED;
        };
    }

    private static Decision of(FailureReason r, String detail) {
        return new Decision(r, policy(r), detail);
    }

    /**
     * A task that ended inside its job and wrote its exit code: judged from the exit code and the parsed output.
     *
     * @param exit        the task's exit status
     * @param parsed      the parsed main output, or null when it could not be parsed
     * @param parseError  why it could not be parsed (null when parsed)
     * @param taskTimeout the per-task timeout the job script applied
     * @param ran         how long the task ran, or null when unknown
     * @return the decision, or null when the attempt succeeded (an ok result with finite numbers and a normal exit)
     */
    public static Decision ofTask(int exit, DftResult parsed, String parseError, Duration taskTimeout, Duration ran) {
        if (parsed != null && parsed.isOk() && parsed.endedNormallyWith(exit)) {
            String bad = nonFinite(parsed);
            if (bad == null) return null;
            return of(FailureReason.INVALID_OUTPUT, "exit " + exit + " but the output holds a non-finite " + bad);
        }
        if (exit == 124) return of(FailureReason.TASK_TIMEOUT, "exceeded the task timeout of " + taskTimeout.toSeconds() + " s (exit 124)");
        if (exit == 137) {
            if (ran != null && ran.compareTo(taskTimeout) < 0) {
                return of(FailureReason.OUT_OF_MEMORY, "killed by SIGKILL after " + ran.toSeconds() + " s, before the task timeout of "
                        + taskTimeout.toSeconds() + " s: the kernel's OOM killer (exit 137)");
            }
            return of(FailureReason.TASK_TIMEOUT, "killed by SIGKILL (exit 137): the task timeout of " + taskTimeout.toSeconds() + " s"
                    + (ran == null ? " or the OOM killer" : ""));
        }
        if (parsed != null && parsed.status() == DftStatus.SCF_NOT_CONVERGED) {
            return of(FailureReason.SCF_NOT_CONVERGED, "SCF not converged" + (parsed.message() == null ? "" : ": " + parsed.message()));
        }
        if (exit == 0) {
            return of(FailureReason.INVALID_OUTPUT, "exit 0 but the output is unusable: "
                    + (parsed == null ? parseError : parsed.status().id() + (parsed.message() == null ? "" : " (" + parsed.message() + ")")));
        }
        return of(FailureReason.CODE_FAILED, "exit " + exit + (parsed == null ? "; " + parseError
                : "; " + parsed.status().id() + (parsed.message() == null ? "" : ": " + parsed.message())));
    }

    /** The first non-finite number of an ok result ("energy", "force", "stress"), or null when all are finite. */
    static String nonFinite(DftResult r) {
        Double e = r.energy();
        if (e != null && !Double.isFinite(e)) return "energy";
        double[] f = r.forces();
        if (f != null) for (double v : f) if (!Double.isFinite(v)) return "force";
        double[] s = r.stress();
        if (s != null) for (double v : s) if (!Double.isFinite(v)) return "stress";
        return null;
    }

    /**
     * A job that ended (scheduler state {@code state}, or gone from the queue and accounting when null) while the task
     * ran and before it wrote its exit code.
     */
    public static Decision ofJobEnd(JobState state, String detail) {
        if (state == null) return of(FailureReason.MISSING_OUTPUT, detail);
        return switch (state) {
            case TIMEOUT -> of(FailureReason.WALLTIME, detail);
            case CANCELLED -> of(FailureReason.CANCELLED, detail);
            case NODE_FAIL -> of(FailureReason.NODE_FAILURE, detail);
            case PREEMPTED -> of(FailureReason.PREEMPTED, detail);
            case OUT_OF_MEMORY -> of(FailureReason.OUT_OF_MEMORY, detail);
            default -> of(FailureReason.MISSING_OUTPUT, detail);
        };
    }

    /**
     * {@link #ofJobEnd} of a scheduler's own state code ({@code TIMEOUT}, {@code NODE_FAIL}, {@code PR}, ...), read
     * through that scheduler's state table ({@link Scheduler#state}).
     */
    public static Decision ofSchedulerState(Scheduler scheduler, String code, String detail) {
        return ofJobEnd(scheduler.state(code), detail);
    }
}
