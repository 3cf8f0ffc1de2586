package org.crucible.driver.store;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * Where one label came from: the code and its version, the hash of the settings it ran with, the scheduler job id
 * (or "-" for an embedded calculator), the host, the campaign cycle, the selector that chose the structure, the wall
 * time in seconds and when the record was made (from the campaign's injected clock); and which attempt at the task it
 * is ({@code attempt}, 1 for the first), with one {@link Failure} per earlier attempt that ended FAILED, oldest first.
 *
 * <p>A FAILED record may be replaced in the store by a later attempt at the same task ({@link TrainingStore#append});
 * the later record carries the failures of all earlier attempts, so compaction can drop the superseded frame without
 * losing why those attempts failed.
 *
 * <pre>{@code
 * Provenance p = new Provenance("pw.x", "6.7", settingsHash, "4242", "node12", 3, "dbscan", 41.0, clock.instant());
 * p.attempt();         // 1
 * p.earlierFailures(); // []
 * }</pre>
 */
public record Provenance(String code, String codeVersion, String settingsHash, String jobId, String host, int cycle,
                         String selector, double wallTimeSeconds, Instant created, int attempt, List<Failure> earlierFailures) {
    public Provenance {
        code = word("code", code);
        codeVersion = word("codeVersion", codeVersion);
        settingsHash = word("settingsHash", settingsHash);
        jobId = word("jobId", jobId);
        host = word("host", host);
        selector = word("selector", selector);
        if (cycle < 0) throw new IllegalArgumentException("cycle must be >= 0, got " + cycle);
        if (!(wallTimeSeconds >= 0) || Double.isInfinite(wallTimeSeconds)) {
            throw new IllegalArgumentException("wall time must be a finite number of seconds >= 0, got " + wallTimeSeconds);
        }
        Objects.requireNonNull(created, "created");
        earlierFailures = List.copyOf(earlierFailures);
        if (attempt < 1) throw new IllegalArgumentException("attempt must be >= 1, got " + attempt);
        if (earlierFailures.size() != attempt - 1) {
            throw new IllegalArgumentException("attempt " + attempt + " needs the failures of the " + (attempt - 1) + " earlier attempts, got "
                    + earlierFailures.size());
        }
    }

    /** The provenance of a first attempt. */
    public Provenance(String code, String codeVersion, String settingsHash, String jobId, String host, int cycle, String selector,
                      double wallTimeSeconds, Instant created) {
        this(code, codeVersion, settingsHash, jobId, host, cycle, selector, wallTimeSeconds, created, 1, List.of());
    }

    /** This provenance as attempt {@code attempt}, after the failed attempts {@code failures} (oldest first). */
    public Provenance asAttempt(int attempt, List<Failure> failures) {
        return new Provenance(code, codeVersion, settingsHash, jobId, host, cycle, selector, wallTimeSeconds, created, attempt, failures);
    }

    /**
     * One earlier attempt at the task that ended FAILED: its job id, host, when its record was made and the failure
     * message (quotes, backslashes and line breaks replaced, as in {@link LabelRecord#message()}).
     */
    public record Failure(String jobId, String host, Instant created, String reason) {
        public Failure {
            jobId = word("failure jobId", jobId);
            host = word("failure host", host);
            Objects.requireNonNull(created, "created");
            reason = reason == null ? "" : reason.replace('\n', ' ').replace('\r', ' ').replace('"', '\'').replace('\\', '/');
        }

        /** The failure a stored FAILED record describes. */
        public static Failure of(LabelRecord failed) {
            if (failed.status() != LabelStatus.FAILED) throw new IllegalArgumentException("task " + failed.taskHash() + " is " + failed.status().label() + ", not failed");
            Provenance p = failed.provenance();
            return new Failure(p.jobId(), p.host(), p.created(), failed.message());
        }
    }

    private static String word(String field, String v) {
        if (v == null || v.isBlank()) throw new IllegalArgumentException("provenance " + field + " is empty");
        if (v.indexOf('"') >= 0 || v.indexOf('\n') >= 0 || v.indexOf('\\') >= 0) {
            throw new IllegalArgumentException("provenance " + field + " may not contain quotes, backslashes or newlines: " + v);
        }
        return v;
    }
}
