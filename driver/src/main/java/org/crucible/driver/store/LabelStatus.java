package org.crucible.driver.store;

/**
 * Outcome of one oracle calculation. Only {@link #OK} records carry labels and enter a fit; the others are kept so
 * the campaign knows the task was tried (it is never sent again) and so users can see what failed.
 */
public enum LabelStatus {
    /** Energy, forces and stress computed and converged. */
    OK,
    /** The calculation failed (crash, timeout, non-finite result, scheduler failure). */
    FAILED,
    /** The calculation ran but did not converge (e.g. SCF); its numbers are not trusted. */
    UNCONVERGED;

    /** Lower-case name as written in shards and status output. */
    public String label() {
        return name().toLowerCase();
    }

    /** Parses {@link #label()}. */
    public static LabelStatus parse(String s) {
        for (LabelStatus v : values()) if (v.label().equals(s)) return v;
        throw new IllegalArgumentException("unknown label status '" + s + "' (allowed: ok, failed, unconverged)");
    }
}
