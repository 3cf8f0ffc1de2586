package org.crucible.executors.md;

import org.crucible.core.units.Units;

/**
 * Unit conversions of the MD engine, whose internal units are eV, Angstrom, fs and atomic mass units (amu):
 * velocities in Angstrom/fs, forces in eV/Angstrom, masses in amu. Constants are CODATA 2018 (LAMMPS' {@code metal}
 * units use older rounded values, e.g. {@code ftm2v = 1 / 1.0364269e-4}, which differ by about 6e-9 relative).
 */
public final class MdUnits {
    private MdUnits() {
    }

    /** 1 eV/(Angstrom amu) in Angstrom/fs^2 (about 9.6485e-3): acceleration a = ACCELERATION * F / m. */
    public static final double ACCELERATION = Units.ELEMENTARY_CHARGE / Units.ATOMIC_MASS_KG * 1e-10;

    /** 1 amu Angstrom^2/fs^2 in eV (about 103.64): kinetic energy = MVV_TO_EV * m v^2 / 2. */
    public static final double MVV_TO_EV = 1.0 / ACCELERATION;

    /** Boltzmann's constant, eV/K. */
    public static final double BOLTZMANN = Units.BOLTZMANN_EV_PER_K;

    /** Kinetic energy (eV) of velocities v (Angstrom/fs, flat 3n) with masses m (amu). */
    public static double kineticEnergy(double[] masses, double[] v) {
        double s = 0;
        for (int i = 0; i < masses.length; i++) {
            s += masses[i] * (v[3 * i] * v[3 * i] + v[3 * i + 1] * v[3 * i + 1] + v[3 * i + 2] * v[3 * i + 2]);
        }
        return 0.5 * MVV_TO_EV * s;
    }

    /** Temperature (K) of a kinetic energy (eV) shared by {@code dof} degrees of freedom: T = 2 KE / (dof k_B). */
    public static double temperature(double kineticEv, int dof) {
        return dof <= 0 ? 0 : 2 * kineticEv / (dof * BOLTZMANN);
    }
}
