package org.crucible.driver.protocol;

import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import org.crucible.core.units.Units;
import org.crucible.driver.pool.EnthalpyTrajectoryStage;
import org.crucible.driver.pool.Pool;
import org.crucible.driver.pool.PoolEntry;
import org.crucible.driver.pool.PoolStage;
import org.crucible.driver.pool.PoolSummary;

/**
 * The energy of a GAP-RSS trajectory frame without its pV term, for {@code flat_histogram.quantity: energy}: the
 * {@code enthalpy-trajectory} explorer ({@link org.crucible.driver.pool.EnthalpyTrajectoryStage}) stores the frame's
 * enthalpy H = E + pV (eV, total) in the energy field and its pressure in the status ({@code "frame p=<GPa>"}), and the
 * frame's cell gives V (Angstrom^3), so
 *
 * <pre>  E = H - p V      (p converted from GPa to eV/Angstrom^3)</pre>
 *
 * is recovered where the pool lives, with no new pool column: pools written before the option existed are read as they
 * are. The status prints p to 4 decimals (GPa), so E is exact to |dp| V &lt;= 5e-5 GPa x V, about 6e-6 eV/atom at
 * 20 Angstrom^3/atom, far below any histogram bin. A frame whose status carries no pressure, or whose H is not finite,
 * gets a NaN energy (and is then not drawn, as a NaN enthalpy is not); {@link #summaries} refuses a pool where a row with a
 * finite H has no pressure.
 *
 * <pre>{@code
 * List<PoolSummary> e = FrameEnergy.summaries(pool, pool.summariesWithoutFeatures());   // energy field = E (eV)
 * }</pre>
 */
public record FrameEnergy() implements PoolStage<Boolean> {
    private static final long serialVersionUID = 1L;

    @Override
    public PoolEntry apply(PoolEntry entry, Boolean unused, long seed) {
        double p = EnthalpyTrajectoryStage.framePressureGPa(entry.status()) * Units.GPA_TO_EV_PER_A3;
        double e = entry.energy() - p * entry.structure().cell().volume();
        // the descriptor row is not needed by the histogram: drop it so the transient pool is small
        return entry.withFeatures(new double[0]).withExploration(e, entry.uncertainty(), entry.maxForce(), entry.steps(), entry.status(),
                entry.trajectoryTail());
    }

    /**
     * The summaries of {@code pool} (sorted by id, without descriptor rows) with E = H - pV in the energy field;
     * {@code enthalpyRows} are the same pool's own summaries (H in the energy field), checked first.
     *
     * @throws IllegalStateException when a row with a finite enthalpy has no pressure in its status (not an
     *                               {@code enthalpy-trajectory} frame), naming the first such id and status
     */
    public static List<PoolSummary> summaries(Pool pool, List<PoolSummary> enthalpyRows) {
        for (PoolSummary r : enthalpyRows) {
            if (Double.isFinite(r.energy()) && Double.isNaN(EnthalpyTrajectoryStage.framePressureGPa(r.status()))) {
                throw new IllegalStateException(String.format(Locale.ROOT,
                        "protocol.gap_rss.flat_histogram.quantity energy needs enthalpy-trajectory frames (status 'frame p=<GPa>GPa'); "
                                + "pool entry %d has status '%s'", r.id(), r.status()));
            }
        }
        return pool.map(new FrameEnergy(), Boolean.TRUE, 0L, "E = H - pV of every frame (flat_histogram.quantity energy)")
                .summariesWithoutFeatures().stream().sorted(Comparator.comparingLong(PoolSummary::id)).toList();
    }
}
