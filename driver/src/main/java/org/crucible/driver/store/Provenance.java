package org.crucible.driver.store;

import java.time.Instant;
import java.util.Objects;

/**
 * Where one label came from: the code and its version, the hash of the settings it ran with, the scheduler job id
 * (or "-" for an embedded calculator), the host, the campaign cycle, the selector that chose the structure, the wall
 * time in seconds and when the record was made (from the campaign's injected clock).
 */
public record Provenance(String code, String codeVersion, String settingsHash, String jobId, String host, int cycle,
                         String selector, double wallTimeSeconds, Instant created) {
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
    }

    private static String word(String field, String v) {
        if (v == null || v.isBlank()) throw new IllegalArgumentException("provenance " + field + " is empty");
        if (v.indexOf('"') >= 0 || v.indexOf('\n') >= 0 || v.indexOf('\\') >= 0) {
            throw new IllegalArgumentException("provenance " + field + " may not contain quotes, backslashes or newlines: " + v);
        }
        return v;
    }
}
