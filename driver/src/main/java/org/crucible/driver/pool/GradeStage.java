package org.crucible.driver.pool;

import java.io.Serializable;
import org.crucible.executors.descriptors.LinearBasis;
import org.crucible.executors.potentials.ActiveSet;

/**
 * The D-optimality extrapolation grade of each pool structure on executors (MTP paper, PRB 99, 064114, eq. 5):
 * gamma = max over atoms i and active rows k of |(B_i A^-1)_k|, B_i the per-atom descriptor row of the basis, A the
 * active set of the training set. The grade replaces the entry's uncertainty (dimensionless here); entries with
 * gamma &gt; gamma_select and a finite model energy also get their per-atom rows (atoms x F, row-major) as the
 * descriptor row, so only they are selectable and only their rows travel to the driver for the batch maxvol update;
 * the others keep an empty row. With {@code needsEnergy} false (pre-exploration of unrelaxed random cells, which have no
 * model energy) every entry above gamma_select gets its rows. Deterministic.
 */
public record GradeStage(double gammaSelect, boolean needsEnergy) implements PoolStage<GradeStage.Model> {
    private static final long serialVersionUID = 1L;

    /** The grade of relaxed entries: rows only for entries with a finite model energy and force. */
    public GradeStage(double gammaSelect) {
        this(gammaSelect, true);
    }

    /** What the executors need: the basis and the active set (both serialisable). */
    public record Model(LinearBasis basis, ActiveSet activeSet) implements Serializable {
        private static final long serialVersionUID = 1L;
    }

    @Override
    public PoolEntry apply(PoolEntry entry, Model model, long seed) {
        double[] rows = model.basis().atomicFeatures(entry.structure());
        double gamma = model.activeSet().grade(rows, entry.atoms());
        PoolEntry graded = entry.withExploration(entry.energy(), gamma, entry.maxForce(), entry.steps(), entry.status(), entry.trajectoryTail());
        boolean energy = !needsEnergy || Double.isFinite(entry.energy()) && Double.isFinite(entry.maxForce());
        return gamma > gammaSelect && energy ? graded.withFeatures(rows) : graded.withFeatures(new double[0]);
    }
}
