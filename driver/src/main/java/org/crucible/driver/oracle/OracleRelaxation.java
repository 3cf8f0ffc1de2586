package org.crucible.driver.oracle;

import java.util.Objects;
import org.crucible.core.Structure;

/**
 * One structure relaxed by the oracle itself (the campaign's final validation).
 *
 * @param poolId       the pool entry that was relaxed
 * @param relaxed      the final (lowest-energy) frame with the oracle's labels: energy eV, forces eV/Angstrom,
 *                     stress eV/Angstrom^3 (ASE convention); null when the relaxation failed before any complete step
 * @param singlePoints oracle single points the relaxation cost (embedded calculators: energy/force evaluations;
 *                     DFT codes: complete ionic steps, one SCF each)
 * @param stopReason   {@code converged}, {@code max_steps}, ... or {@code failed: <why>}
 * @param jobId        where it ran ({@code driver}, {@code local:<dir>}, {@code slurm:<id>})
 */
public record OracleRelaxation(long poolId, Structure relaxed, int singlePoints, String stopReason, String jobId) {
    public OracleRelaxation {
        Objects.requireNonNull(stopReason, "stopReason");
        Objects.requireNonNull(jobId, "jobId");
        if (singlePoints < 0) throw new IllegalArgumentException("single points must be >= 0, got " + singlePoints);
        if (relaxed != null && relaxed.labels().energy() == null) throw new IllegalArgumentException("a relaxed frame needs its oracle energy");
    }

    /** True when a final frame with an energy exists. */
    public boolean ok() {
        return relaxed != null;
    }

    /** Energy per atom of the final frame, eV/atom (NaN when failed). */
    public double energyPerAtom() {
        return relaxed == null ? Double.NaN : relaxed.labels().energy() / relaxed.size();
    }
}
