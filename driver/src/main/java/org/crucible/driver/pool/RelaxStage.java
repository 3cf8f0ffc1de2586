package org.crucible.driver.pool;

import java.util.List;
import org.crucible.core.Structure;
import org.crucible.core.neighbors.NeighborList;
import org.crucible.executors.calculators.CalculationException;
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
 *
 * <p>Cost of U. The committee spread costs about 3x the mean model per frame (issue 23's measurement, K = 8).
 * {@code uncertaintyEvery} = k measures U on calls 0, k, 2k, ... and on the kept frame only; the frames between use
 * the mean model alone, which gives the same numbers bit for bit, so the trajectory is that of k = 1 and only the
 * uncertainty stop can come later, by fewer than k frames after U first crossed the limit on a frame that was not
 * measured (or not at all, when U falls back below the limit before the next measured frame).
 *
 * <p>Hard-core guard. A linear potential fitted to a few hundred cells has no repulsive wall beyond its data: a
 * relaxation can fall into a hole where atoms overlap and the predicted energy runs to -10^6 eV/atom while U stays
 * small (spread and force grow together). A frame with two atoms closer than {@code minSeparationFactor} x the sum of
 * their covalent radii therefore counts as a failed calculation: the relaxation stops and keeps its lowest earlier
 * frame (0 disables the guard).
 */
public record RelaxStage(String optimizer, double fmax, int steps, int patience, double maxUncertainty, int tail, double minSeparationFactor,
                         java.util.Map<String, Double> pairLimits, int uncertaintyEvery)
        implements PoolStage<LinearPotential> {
    private static final long serialVersionUID = 1L;

    public RelaxStage {
        pairLimits = java.util.Map.copyOf(pairLimits);
        if (uncertaintyEvery < 1) throw new IllegalArgumentException("uncertainty interval must be >= 1 calculator call, got " + uncertaintyEvery);
    }

    /** The stage with U evaluated on every frame (the paper). */
    public RelaxStage(String optimizer, double fmax, int steps, int patience, double maxUncertainty, int tail, double minSeparationFactor,
                      java.util.Map<String, Double> pairLimits) {
        this(optimizer, fmax, steps, patience, maxUncertainty, tail, minSeparationFactor, pairLimits, 1);
    }

    /** The stage with the default hard-core guard (0.7 of the covalent-radius sum) and no limits from data. */
    public RelaxStage(String optimizer, double fmax, int steps, int patience, double maxUncertainty, int tail) {
        this(optimizer, fmax, steps, patience, maxUncertainty, tail, 0.7, java.util.Map.of());
    }

    /** Key of an element pair in {@link #pairLimits}: the two symbols in alphabetical order joined by '-' (e.g. "O-Si"). */
    public static String pairKey(String a, String b) {
        return a.compareTo(b) <= 0 ? a + "-" + b : b + "-" + a;
    }

    /**
     * Per element pair, {@code factor} x the shortest distance of that pair in {@code structures} (Angstrom): where
     * the training data end, the fitted potential has no information. Pairs absent from the data are absent.
     */
    public static java.util.Map<String, Double> trainedLimits(List<Structure> structures, double factor, double searchRadius) {
        java.util.Map<String, Double> shortest = new java.util.TreeMap<>();
        for (Structure s : structures) {
            NeighborList nl = NeighborList.build(s, searchRadius);
            for (int i = 0; i < s.size(); i++) {
                for (int k = nl.start(i); k < nl.start(i + 1); k++) {
                    shortest.merge(pairKey(s.element(i).symbol(), s.element(nl.neighbor(k)).symbol()), nl.distance(k), Math::min);
                }
            }
        }
        java.util.Map<String, Double> out = new java.util.TreeMap<>();
        shortest.forEach((k, d) -> out.put(k, factor * d));
        return out;
    }
    /** Stress tolerance of the variable-cell relaxation, GPa (the paper states only fmax). */
    public static final double STRESS_TOLERANCE_GPA = 0.1;

    @Override
    public PoolEntry apply(PoolEntry entry, LinearPotential potential, long seed) {
        Relaxer relaxer = optimizer.equals("bfgs") ? new Lbfgs() : new Fire();
        CommitteeCalculator calc = new CommitteeCalculator(potential, minSeparationFactor, pairLimits, uncertaintyEvery);
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
                .withExploration(p.energy(), p.ensembleUncertainty(), p.labels().maxForce(), r.steps(), r.reason().name().toLowerCase(), t)
                .withModelForces(p.labels().forces(), p.labels().stress());
    }

    /**
     * Throws when two atoms of {@code s} are closer than the larger of {@code factor} x the sum of their covalent
     * radii and the pair's entry in {@code pairLimits} (Angstrom), naming the pair, the distance and the limit.
     */
    static void checkSeparations(Structure s, double factor, java.util.Map<String, Double> pairLimits) {
        double reach = 0;
        for (int i = 0; i < s.size(); i++) reach = Math.max(reach, 2 * factor * s.element(i).covalentRadius());
        for (double d : pairLimits.values()) reach = Math.max(reach, d);
        if (!(reach > 0)) return;
        NeighborList nl = NeighborList.build(s, reach);
        for (int i = 0; i < s.size(); i++) {
            String a = s.element(i).symbol();
            double ri = s.element(i).covalentRadius();
            for (int k = nl.start(i); k < nl.start(i + 1); k++) {
                int j = nl.neighbor(k);
                String b = s.element(j).symbol();
                double covalent = factor * (ri + s.element(j).covalentRadius());
                double trained = pairLimits.getOrDefault(pairKey(a, b), 0.0);
                if (nl.distance(k) < Math.max(covalent, trained)) {
                    String why = trained > covalent
                            ? String.format("below %.3f Angstrom, the guard from the shortest %s distance of the training set", trained, pairKey(a, b))
                            : String.format("below %.2f x the covalent-radius sum (%.3f Angstrom)", factor, covalent);
                    throw new CalculationException(String.format("atoms %d (%s) and %d (%s) are %.3f Angstrom apart, %s: the fitted potential "
                            + "knows nothing there", i, a, j, b, nl.distance(k), why));
                }
            }
        }
    }

    /**
     * The mean model as a calculator that, on every {@code every}-th call (the first included), evaluates the whole
     * committee in the same basis evaluation and remembers that frame's uncertainty U, so the early-stop rule costs
     * nothing extra; the calls between use the mean model alone ({@link LinearPotential#calculate}, about a quarter
     * of the cost for K = 8, with numbers bit for bit those of the committee evaluation's mean). So the trajectory does
     * not depend on {@code every}; only when U is looked at does. Between measurements the early-stop rule sees the
     * last measured U, which was below the limit (else the relaxation had stopped there). One instance per relaxation
     * (the relaxer evaluates a frame, then asks the early-stop rule about that same frame), never shared between
     * threads.
     */
    static final class CommitteeCalculator implements org.crucible.executors.calculators.Calculator {
        private final LinearPotential potential;
        private final double minSeparationFactor;
        private final java.util.Map<String, Double> pairLimits;
        private final int every;
        private long calls;
        private long committeeCalls;
        private double lastU = Double.NaN;

        CommitteeCalculator(LinearPotential potential, double minSeparationFactor, java.util.Map<String, Double> pairLimits, int every) {
            this.potential = potential;
            this.minSeparationFactor = minSeparationFactor;
            this.pairLimits = pairLimits;
            this.every = every;
        }

        double lastUncertainty() {
            return lastU;
        }

        /** Calls that evaluated the committee, and all calls (for tests and benchmarks). */
        long[] counts() {
            return new long[] {committeeCalls, calls};
        }

        @Override
        public java.util.Set<Property> implementedProperties() {
            return potential.implementedProperties();
        }

        @Override
        public org.crucible.core.Labels calculate(Structure s) {
            if (minSeparationFactor > 0 || !pairLimits.isEmpty()) checkSeparations(s, minSeparationFactor, pairLimits);
            if (calls++ % every != 0) return potential.calculate(s);
            committeeCalls++;
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
