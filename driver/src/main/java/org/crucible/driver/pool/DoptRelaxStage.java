package org.crucible.driver.pool;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.crucible.core.Labels;
import org.crucible.core.Structure;
import org.crucible.executors.calculators.Calculator;
import org.crucible.executors.potentials.LinearPotential;
import org.crucible.executors.potentials.Prediction;
import org.crucible.executors.relax.EarlyStop;
import org.crucible.executors.relax.Fire;
import org.crucible.executors.relax.Lbfgs;
import org.crucible.executors.relax.RelaxResult;
import org.crucible.executors.relax.RelaxSettings;
import org.crucible.executors.relax.Relaxer;
import org.crucible.executors.relax.StopReason;

/**
 * Relaxation with on-the-fly D-optimality (MTP/USPEX paper, Podryabinkin et al., PRB 99, 064114 (2019), Sec. II):
 * positions and cell move with the broadcast potential (FIRE or BFGS, 0 GPa) while every evaluated configuration's
 * extrapolation grade gamma = max over atoms and k of |c_k| against the potential's active set (eq. 5) is checked.
 * A configuration with gamma &gt; {@code gammaSelect} is marked for labelling; gamma &gt; {@code gammaBreak} stops the
 * relaxation (status {@code broken}: its last configuration is kept so the next cycle continues from it with the
 * refitted potential). Without a break it stops at fmax (eV/Angstrom), {@code steps} or {@code patience}, keeping the
 * lowest-enthalpy frame, as {@link RelaxStage}; the same hard-core and training-set separation guards apply.
 *
 * <p>Output ({@link Pool#flatMap}, stride {@link #STRIDE}): entry 0 is the relaxation (uncertainty = the largest gamma
 * met on the way, model energy in eV, max|F| in eV/Angstrom, status {@code converged}, {@code max_steps},
 * {@code patience}, {@code broken} or {@code failed}); entry 1, present when some configuration was marked, is the
 * marked configuration with the largest gamma not above gamma_break (or the breaking one when every marked
 * configuration was beyond it), status {@code marked}, uncertainty = its gamma. Deterministic: no randomness.
 */
public record DoptRelaxStage(String optimizer, double fmax, int steps, int patience, double gammaSelect, double gammaBreak,
                             double minSeparationFactor, Map<String, Double> pairLimits) implements PoolFlatStage<LinearPotential> {
    private static final long serialVersionUID = 1L;
    /** Outputs per input entry: the relaxation and at most one marked configuration. */
    public static final int STRIDE = 2;
    /** Status of a relaxation stopped by gamma &gt; gamma_break. */
    public static final String BROKEN = "broken";
    /** Status of a configuration marked for labelling. */
    public static final String MARKED = "marked";

    public DoptRelaxStage {
        pairLimits = Map.copyOf(pairLimits);
        if (!(gammaSelect >= 1) || !(gammaBreak >= gammaSelect)) {
            throw new IllegalArgumentException("need 1 <= gamma_select <= gamma_break, got " + gammaSelect + " and " + gammaBreak);
        }
    }

    @Override
    public List<PoolEntry> apply(PoolEntry entry, LinearPotential potential, long seed) {
        if (potential.activeSet() == null) throw new IllegalStateException("relax-dopt needs a potential with an active set (fit with the active set on)");
        Relaxer relaxer = optimizer.equals("bfgs") ? new Lbfgs() : new Fire();
        GradingCalculator calc = new GradingCalculator(potential, minSeparationFactor, pairLimits);
        EarlyStop broken = (s, step) -> calc.lastGamma > gammaBreak;
        RelaxSettings settings = RelaxSettings.DEFAULT.withFmax(fmax).withSmaxGPa(RelaxStage.STRESS_TOLERANCE_GPA)
                .withMaxSteps(steps).withPatience(patience).withEarlyStop(broken);
        RelaxResult r = relaxer.relax(entry.structure(), calc, settings);
        List<PoolEntry> out = new ArrayList<>(STRIDE);
        boolean stoppedByGamma = r.reason() == StopReason.EARLY_STOP;
        Structure kept = (stoppedByGamma ? r.last() : r.lowest()).withLabels(Labels.NONE);
        double keptEnergy = stoppedByGamma ? r.lastEnthalpy() : r.lowestEnthalpy();
        if (!Double.isFinite(keptEnergy) || calc.evaluated == 0) {
            out.add(entry.withExploration(Double.NaN, calc.maxGamma, Double.NaN, r.steps(), "failed", new double[0][]));
        } else {
            Prediction p = potential.predict(kept, false);
            out.add(entry.withStructure(kept).withExploration(p.energy(), calc.maxGamma, p.labels().maxForce(), r.steps(),
                    stoppedByGamma ? BROKEN : r.reason().name().toLowerCase(), new double[0][]).withModelForces(p.labels().forces(), p.labels().stress()));
        }
        if (calc.marked != null) {
            out.add(entry.withStructure(calc.marked).withExploration(calc.markedEnergy, calc.markedGamma, calc.markedForce, r.steps(), MARKED,
                    new double[0][]));
        }
        return out;
    }

    /**
     * The mean model as a calculator that grades each configuration it evaluates and remembers the one to mark. One
     * instance per relaxation, never shared between threads.
     */
    private final class GradingCalculator implements Calculator {
        private final LinearPotential potential;
        private final double separationFactor;
        private final Map<String, Double> limits;
        private double lastGamma;
        private double maxGamma;
        private int evaluated;
        private Structure marked;
        private double markedGamma;
        private double markedEnergy;
        private double markedForce;

        GradingCalculator(LinearPotential potential, double separationFactor, Map<String, Double> limits) {
            this.potential = potential;
            this.separationFactor = separationFactor;
            this.limits = limits;
        }

        @Override
        public java.util.Set<Property> implementedProperties() {
            return potential.implementedProperties();
        }

        @Override
        public Labels calculate(Structure s) {
            if (separationFactor > 0 || !limits.isEmpty()) RelaxStage.checkSeparations(s, separationFactor, limits);
            Labels l = potential.calculate(s);
            double g = potential.extrapolationGrade(s);
            evaluated++;
            lastGamma = g;
            maxGamma = Math.max(maxGamma, g);
            if (g > gammaSelect && Double.isFinite(l.energy())) {
                // prefer the largest grade within gamma_break; a configuration beyond it only when nothing else is marked
                boolean within = g <= gammaBreak, markedWithin = marked != null && markedGamma <= gammaBreak;
                if (marked == null || (within && (!markedWithin || g > markedGamma))) {
                    marked = s.withLabels(Labels.NONE);
                    markedGamma = g;
                    markedEnergy = l.energy();
                    markedForce = l.maxForce();
                }
            }
            return l;
        }

        @Override
        public String name() {
            return potential.name();
        }
    }
}
