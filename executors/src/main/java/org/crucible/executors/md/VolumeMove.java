package org.crucible.executors.md;

import java.util.random.RandomGenerator;
import org.crucible.core.Cell;
import org.crucible.core.Labels;
import org.crucible.core.Structure;
import org.crucible.core.units.Units;
import org.crucible.executors.calculators.Calculator;

/**
 * Metropolis Monte Carlo moves of the cell volume in the isothermal-isobaric ensemble (Frenkel and Smit,
 * Understanding Molecular Simulation, 2nd ed., section 5.4.2, random walk in ln V): propose
 * ln V' = ln V + delta (2u - 1), scale the cell and all positions by (V'/V)^(1/3) (fractional coordinates fixed),
 * and accept with probability
 * <pre>
 *   min(1, exp(-(E' - E + P (V' - V)) / k_B T + (n + 1) ln(V'/V)))
 * </pre>
 * which samples V^n exp(-(E + P V) / k_B T) (tested on the ideal gas: mean volume (n + 1) k_B T / P).
 * Isotropic only: the cell shape is kept. Each attempt costs one calculator call.
 *
 * <p>Usage: {@code VolumeMove.attempt(eam, s, eam.calculate(s), 10, 0.02, 0.1, 800, rng)}.
 */
public final class VolumeMove {
    private VolumeMove() {
    }

    /** The structure and its labels after the attempts, and how many were accepted. */
    public record Result(Structure structure, Labels labels, int attempted, int accepted) {
    }

    /**
     * @param maxLogVolumeStep delta, the largest change of ln V per attempt (e.g. 0.01-0.05 for solids)
     * @param pressureGPa      external pressure P (GPa)
     * @param temperatureK     temperature (K), positive
     */
    public static Result attempt(Calculator calc, Structure s, Labels labels, int attempts, double maxLogVolumeStep, double pressureGPa,
                                 double temperatureK, RandomGenerator rng) {
        if (!(temperatureK > 0)) throw new IllegalArgumentException("volume-move temperature must be positive (K), got " + temperatureK);
        if (!(maxLogVolumeStep > 0) || maxLogVolumeStep > 1) {
            throw new IllegalArgumentException("largest ln-volume step must be in (0, 1], got " + maxLogVolumeStep);
        }
        if (!s.cell().isFullyPeriodic()) throw new IllegalArgumentException("volume moves need a fully periodic cell; " + s.formula() + " has none");
        if (labels == null || !labels.hasEnergy()) throw new IllegalArgumentException("volume moves need the current energy");
        double kt = MdUnits.BOLTZMANN * temperatureK;
        double p = pressureGPa * Units.GPA_TO_EV_PER_A3;
        int n = s.size();
        Structure current = s;
        Labels currentLabels = labels;
        int accepted = 0;
        for (int a = 0; a < attempts; a++) {
            double lnRatio = maxLogVolumeStep * (2 * rng.nextDouble() - 1);
            double f = Math.exp(lnRatio / 3);
            Cell cell = current.cell();
            double[] m = cell.matrix();
            for (int k = 0; k < 9; k++) m[k] *= f;
            double[] x = current.positions();
            for (int k = 0; k < x.length; k++) x[k] *= f;
            Structure t = Structure.of(cell.withMatrix(m), current.atomicNumbers(), x);
            Labels tl = calc.calculate(t);
            double v = cell.volume();
            double dv = v * (Math.exp(lnRatio) - 1);
            double arg = -(tl.energy() - currentLabels.energy() + p * dv) / kt + (n + 1) * lnRatio;
            double u = rng.nextDouble();
            if (arg >= 0 || u < Math.exp(arg)) {
                current = t;
                currentLabels = tl;
                accepted++;
            }
        }
        return new Result(current, currentLabels, attempts, accepted);
    }
}
