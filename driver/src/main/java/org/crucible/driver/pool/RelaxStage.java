package org.crucible.driver.pool;

import java.util.List;
import org.crucible.core.Structure;
import org.crucible.executors.potentials.LinearPotential;
import org.crucible.executors.potentials.Prediction;
import org.crucible.executors.relax.EarlyStop;
import org.crucible.executors.relax.Fire;
import org.crucible.executors.relax.Lbfgs;
import org.crucible.executors.relax.RelaxResult;
import org.crucible.executors.relax.RelaxSettings;
import org.crucible.executors.relax.Relaxer;

/**
 * Relaxation of a pool structure with the broadcast committee potential (NN-ensemble protocol, step 4): positions
 * and cell move (UnitCellFilter, 0 GPa) until max|F| &lt; fmax (eV/Angstrom), {@code steps} optimiser steps,
 * {@code patience} steps without a new lowest enthalpy, or the ensemble uncertainty U = max_i sigma_F,i / max_i
 * |F_i| (paper eq. 5) reaching {@code maxUncertainty}. The lowest-energy frame is kept with the mean model's energy
 * (eV), its U and max|F|; the last {@code tail} recorded frames are kept as the trajectory tail. A structure the
 * potential cannot evaluate gets status {@code failed}. Deterministic: no randomness.
 */
public record RelaxStage(String optimizer, double fmax, int steps, int patience, double maxUncertainty, int tail)
        implements PoolStage<LinearPotential> {
    private static final long serialVersionUID = 1L;
    /** Stress tolerance of the variable-cell relaxation, GPa (the paper states only fmax). */
    public static final double STRESS_TOLERANCE_GPA = 0.1;

    @Override
    public PoolEntry apply(PoolEntry entry, LinearPotential potential, long seed) {
        Relaxer relaxer = optimizer.equals("bfgs") ? new Lbfgs() : new Fire();
        CommitteeCalculator calc = new CommitteeCalculator(potential);
        EarlyStop uncertain = (s, step) -> calc.lastUncertainty() >= maxUncertainty;
        RelaxSettings settings = RelaxSettings.DEFAULT.withFmax(fmax).withSmaxGPa(STRESS_TOLERANCE_GPA)
                .withMaxSteps(steps).withPatience(patience).withTrajectoryEvery(Math.max(1, steps / 30)).withEarlyStop(uncertain);
        RelaxResult r = relaxer.relax(entry.structure(), calc, settings);
        Structure lowest = r.lowest();
        if (!lowest.labels().hasEnergy() || !Double.isFinite(r.lowestEnthalpy())) {
            return entry.withExploration(Double.NaN, Double.NaN, Double.NaN, r.steps(), "failed", new double[0][]);
        }
        Prediction p = potential.predict(lowest.withLabels(org.crucible.core.Labels.NONE));
        List<Structure> traj = r.trajectory();
        int from = Math.max(0, traj.size() - tail);
        double[][] t = new double[traj.size() - from][];
        for (int i = from; i < traj.size(); i++) t[i - from] = traj.get(i).positions();
        return entry.withStructure(lowest.withLabels(org.crucible.core.Labels.NONE))
                .withExploration(p.energy(), p.ensembleUncertainty(), p.labels().maxForce(), r.steps(), r.reason().name().toLowerCase(), t);
    }

    /**
     * The mean model as a calculator that evaluates the whole committee in the same basis evaluation and remembers
     * the last frame's uncertainty U, so the early-stop rule costs nothing extra. One instance per relaxation (the
     * relaxer evaluates a frame, then asks the early-stop rule about that same frame), never shared between threads.
     */
    static final class CommitteeCalculator implements org.crucible.executors.calculators.Calculator {
        private final LinearPotential potential;
        private double lastU = Double.NaN;

        CommitteeCalculator(LinearPotential potential) {
            this.potential = potential;
        }

        double lastUncertainty() {
            return lastU;
        }

        @Override
        public java.util.Set<Property> implementedProperties() {
            return potential.implementedProperties();
        }

        @Override
        public org.crucible.core.Labels calculate(Structure s) {
            Prediction p = potential.predict(s, false);
            lastU = p.ensembleUncertainty();
            return p.labels();
        }

        @Override
        public String name() {
            return potential.name();
        }
    }
}
