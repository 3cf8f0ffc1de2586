package org.crucible.driver.pool;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.crucible.core.Labels;
import org.crucible.core.Structure;
import org.crucible.core.units.Units;
import org.crucible.executors.generators.PressureDistribution;
import org.crucible.executors.potentials.LinearPotential;
import org.crucible.executors.relax.Fire;
import org.crucible.executors.relax.Lbfgs;
import org.crucible.executors.relax.RelaxResult;
import org.crucible.executors.relax.RelaxSettings;
import org.crucible.executors.relax.Relaxer;

/**
 * GAP-RSS exploration of one random cell (Bernstein, Csanyi and Deringer, npj Comput. Mater. 5, 99 (2019), Methods):
 * a variable-cell minimisation of the enthalpy H = E + pV with the broadcast potential at the cell's own external
 * pressure p, drawn from eq. 6 ({@link PressureDistribution} with p0 in GPa and beta; kept as numbers so the stage
 * serialises to Spark executors) with the per-entry seed, and the whole
 * trajectory kept: every {@code every}-th step plus the last frame, thinned evenly (the last always kept) to at most
 * {@code maxFrames}. Each output entry is one frame whose {@code energy} field holds the frame's enthalpy H (eV,
 * total; p converted to eV/Angstrom^3 inside), {@code maxForce} its largest atomic force (eV/Angstrom),
 * {@code steps} the step count of the whole minimisation and {@code status} {@code "frame p=<GPa>"}, so the flat
 * histogram reads H/atom from the summaries and the frames stay on the executors until selected. The same hard-core
 * and training-set distance guards as {@link RelaxStage}: a frame that trips them ends the minimisation, and the
 * frames before it are kept. A cell the potential cannot evaluate at all yields no frame.
 */
public record EnthalpyTrajectoryStage(String optimizer, double fmax, int steps, int every, int maxFrames, double pressureP0GPa, double pressureBeta,
                                      double minSeparationFactor, Map<String, Double> pairLimits) implements PoolFlatStage<LinearPotential> {
    private static final long serialVersionUID = 1L;

    public EnthalpyTrajectoryStage {
        pairLimits = Map.copyOf(pairLimits);
        new PressureDistribution(pressureP0GPa, pressureBeta); // validates p0 and beta
        if (every < 1 || maxFrames < 1) throw new IllegalArgumentException("trajectory every and max_frames must be >= 1, got " + every + ", " + maxFrames);
    }

    /** The external pressure of the entry with per-entry seed {@code seed}, GPa. */
    public double pressureGPa(long seed) {
        return new PressureDistribution(pressureP0GPa, pressureBeta).sampleGPa(new SplittableRandom(seed));
    }

    @Override
    public List<PoolEntry> apply(PoolEntry entry, LinearPotential potential, long seed) {
        double pGPa = pressureGPa(seed);
        Relaxer relaxer = optimizer.equals("bfgs") ? new Lbfgs() : new Fire();
        // the trajectory never reads U: the mean model alone (bit for bit the committee's mean) after the first call
        var calc = new RelaxStage.CommitteeCalculator(potential, minSeparationFactor, pairLimits, Integer.MAX_VALUE);
        RelaxSettings settings = RelaxSettings.DEFAULT.withFmax(fmax).withSmaxGPa(RelaxStage.STRESS_TOLERANCE_GPA).withMaxSteps(steps)
                .withPatience(0).withPressureGPa(pGPa).withTrajectoryEvery(every);
        RelaxResult r = relaxer.relax(entry.structure(), calc, settings);
        List<Structure> frames = new ArrayList<>();
        for (Structure f : r.trajectory()) if (f.labels().hasEnergy() && Double.isFinite(f.labels().energy())) frames.add(f);
        List<Structure> kept = thin(frames, maxFrames);
        double p = pGPa * Units.GPA_TO_EV_PER_A3;
        List<PoolEntry> out = new ArrayList<>(kept.size());
        String status = frameStatus(pGPa);
        for (Structure f : kept) {
            double h = f.labels().energy() + p * f.cell().volume();
            double fm = f.labels().hasForces() ? f.labels().maxForce() : Double.NaN;
            out.add(entry.withStructure(f.withLabels(Labels.NONE)).withExploration(h, Double.NaN, fm, r.steps(), status, new double[0][]));
        }
        return out;
    }

    private static final String STATUS_PREFIX = "frame p=";
    private static final String STATUS_SUFFIX = "GPa";

    /** The status of every frame of a minimisation at external pressure {@code pGPa}: {@code "frame p=<GPa, 4 decimals>GPa"}. */
    public static String frameStatus(double pGPa) {
        return String.format(java.util.Locale.ROOT, STATUS_PREFIX + "%.4f" + STATUS_SUFFIX, pGPa);
    }

    /** The external pressure (GPa) a frame's status records ({@link #frameStatus}), NaN when the status is not a frame's. */
    public static double framePressureGPa(String status) {
        if (status == null || !status.startsWith(STATUS_PREFIX) || !status.endsWith(STATUS_SUFFIX)) return Double.NaN;
        try {
            return Double.parseDouble(status.substring(STATUS_PREFIX.length(), status.length() - STATUS_SUFFIX.length()));
        } catch (NumberFormatException e) {
            return Double.NaN;
        }
    }

    /** At most {@code max} of {@code frames}, evenly spaced, the first and the last always kept. */
    static <T> List<T> thin(List<T> frames, int max) {
        int n = frames.size();
        if (n <= max) return frames;
        List<T> out = new ArrayList<>(max);
        if (max == 1) return List.of(frames.get(n - 1));
        for (int i = 0; i < max; i++) out.add(frames.get((int) Math.round((double) i * (n - 1) / (max - 1))));
        return out;
    }
}
