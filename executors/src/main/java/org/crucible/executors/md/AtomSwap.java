package org.crucible.executors.md;

import java.util.random.RandomGenerator;
import org.crucible.core.Cell;
import org.crucible.core.Labels;
import org.crucible.core.Structure;
import org.crucible.executors.calculators.Calculator;

/**
 * Metropolis Monte Carlo element swaps for alloys (Metropolis, Rosenbluth, Rosenbluth, Teller, Teller, J. Chem.
 * Phys. 21, 1087 (1953)): pick an atom i uniformly, then an atom j uniformly among those of another element,
 * exchange their elements (positions stay), and accept with probability min(1, exp(-(E' - E) / k_B T)).
 *
 * <p>The proposal is symmetric: the unordered pair {i, j} of elements {a, b} is proposed with probability
 * (1/n) (1/(n - n_a) + 1/(n - n_b)), and the swapped configuration proposes the same pair with the same probability
 * because the composition does not change; so the moves obey detailed balance with respect to
 * exp(-E / k_B T) at fixed composition. Each attempt costs one calculator call.
 *
 * <p>Usage: {@code AtomSwap.Result r = AtomSwap.attempt(eam, s, eam.calculate(s), 100, 800, new SplittableRandom(3));}
 */
public final class AtomSwap {
    private AtomSwap() {
    }

    /** The structure and its labels after the attempts, and how many were accepted. */
    public record Result(Structure structure, Labels labels, int attempted, int accepted) {
    }

    /**
     * After accepted swaps changed the elements {@code oldZ} to {@code newZ}: each changed atom takes its new mass
     * ({@code mass}, g/mol) and its velocity is scaled by sqrt(m_old / m_new), so its kinetic energy is unchanged.
     * {@code masses} and {@code velocities} (Angstrom/fs, 3 per atom) are updated in place.
     */
    public static void repartitionMasses(int[] oldZ, int[] newZ, double[] masses, double[] velocities, java.util.function.IntToDoubleFunction mass) {
        for (int i = 0; i < newZ.length; i++) {
            if (newZ[i] != oldZ[i]) {
                double mNew = mass.applyAsDouble(newZ[i]);
                double f = Math.sqrt(masses[i] / mNew);
                for (int c = 0; c < 3; c++) velocities[3 * i + c] *= f;
                masses[i] = mNew;
            }
        }
    }

    /**
     * Makes {@code attempts} swap attempts starting from {@code s} (whose labels under {@code calc} are {@code labels}).
     *
     * @param temperatureK acceptance temperature (K), positive
     * @param rng          injected random source
     */
    public static Result attempt(Calculator calc, Structure s, Labels labels, int attempts, double temperatureK, RandomGenerator rng) {
        if (!(temperatureK > 0)) throw new IllegalArgumentException("swap temperature must be positive (K), got " + temperatureK);
        if (labels == null || !labels.hasEnergy()) throw new IllegalArgumentException("swaps need the current energy");
        int n = s.size();
        int[] z = s.atomicNumbers();
        double[] x = s.positions();
        Cell cell = s.cell();
        double kt = MdUnits.BOLTZMANN * temperatureK;
        int accepted = 0;
        Structure current = s;
        Labels currentLabels = labels;
        int[] others = new int[n];
        for (int a = 0; a < attempts; a++) {
            int i = rng.nextInt(n);
            int count = 0;
            for (int k = 0; k < n; k++) if (z[k] != z[i]) others[count++] = k;
            if (count == 0) continue; // a pure element: nothing to swap
            int j = others[rng.nextInt(count)];
            int[] trial = z.clone();
            trial[i] = z[j];
            trial[j] = z[i];
            Structure t = Structure.of(cell, trial, x);
            Labels tl = calc.calculate(t);
            double de = tl.energy() - currentLabels.energy();
            double u = rng.nextDouble();
            if (de <= 0 || u < Math.exp(-de / kt)) {
                z = trial;
                current = t;
                currentLabels = tl;
                accepted++;
            }
        }
        return new Result(current, currentLabels, attempts, accepted);
    }
}
