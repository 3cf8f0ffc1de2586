package org.crucible.executors.md;

import java.util.random.RandomGenerator;

/**
 * Initial velocities (Angstrom/fs) from the Maxwell-Boltzmann distribution: each Cartesian component of atom i is
 * normal with variance k_B T / m_i, then the centre-of-mass velocity is removed (zero total momentum).
 *
 * <p>Usage: {@code double[] v = Velocities.maxwellBoltzmann(masses, 300, new SplittableRandom(7), true);}
 */
public final class Velocities {
    private Velocities() {
    }

    /**
     * @param masses       amu, one per atom
     * @param temperatureK target temperature (K), at least 0
     * @param rng          the random source (injected, so a seed reproduces the velocities)
     * @param exact        rescale so that the temperature with 3n - 3 degrees of freedom is exactly {@code temperatureK}
     *                     (as LAMMPS' {@code velocity create} does); otherwise the sample's own temperature
     * @return flat 3n velocities, Angstrom/fs
     */
    public static double[] maxwellBoltzmann(double[] masses, double temperatureK, RandomGenerator rng, boolean exact) {
        if (!(temperatureK >= 0) || Double.isInfinite(temperatureK)) {
            throw new IllegalArgumentException("temperature must be a finite number >= 0 K, got " + temperatureK);
        }
        int n = masses.length;
        double[] v = new double[3 * n];
        for (int i = 0; i < n; i++) {
            if (!(masses[i] > 0)) throw new IllegalArgumentException("mass of atom " + i + " must be positive, got " + masses[i]);
            double sd = Math.sqrt(MdUnits.BOLTZMANN * temperatureK / (masses[i] * MdUnits.MVV_TO_EV));
            for (int x = 0; x < 3; x++) v[3 * i + x] = sd * rng.nextGaussian();
        }
        zeroMomentum(masses, v);
        if (exact && n > 1 && temperatureK > 0) {
            double t = MdUnits.temperature(MdUnits.kineticEnergy(masses, v), 3 * n - 3);
            double f = Math.sqrt(temperatureK / t);
            for (int i = 0; i < v.length; i++) v[i] *= f;
        }
        return v;
    }

    /** Subtracts the centre-of-mass velocity in place (total momentum zero). */
    public static void zeroMomentum(double[] masses, double[] v) {
        double mt = 0;
        double[] p = new double[3];
        for (int i = 0; i < masses.length; i++) {
            mt += masses[i];
            for (int x = 0; x < 3; x++) p[x] += masses[i] * v[3 * i + x];
        }
        if (mt == 0) return;
        for (int i = 0; i < masses.length; i++) {
            for (int x = 0; x < 3; x++) v[3 * i + x] -= p[x] / mt;
        }
    }
}
