package org.crucible.core;

import java.util.Arrays;

/**
 * Reference results that travel with a {@link Structure}: energy (eV), forces (eV/Angstrom, flat 3n in atom
 * order) and stress (eV/Angstrom^3, ASE convention: Voigt xx, yy, zz, yz, xz, xy, positive when the cell wants
 * to shrink). Each part may be absent (null); what is present must be finite.
 *
 * <p>The energy is the one consistent with the forces (for smeared DFT, the free energy).
 */
public record Labels(Double energy, double[] forces, double[] stress) {
    /** No labels. */
    public static final Labels NONE = new Labels(null, null, null);

    public Labels {
        if (energy != null && !Double.isFinite(energy)) throw new IllegalArgumentException("label energy is not finite: " + energy);
        if (forces != null) {
            if (forces.length % 3 != 0) throw new IllegalArgumentException("forces need 3 components per atom, got " + forces.length + " values");
            forces = forces.clone();
            for (int i = 0; i < forces.length; i++) {
                if (!Double.isFinite(forces[i])) {
                    throw new IllegalArgumentException("force on atom " + (i / 3) + " component " + "xyz".charAt(i % 3) + " is not finite: " + forces[i]);
                }
            }
        }
        if (stress != null) {
            if (stress.length != 6) throw new IllegalArgumentException("stress needs 6 Voigt components, got " + stress.length);
            stress = stress.clone();
            for (double s : stress) if (!Double.isFinite(s)) throw new IllegalArgumentException("stress is not finite: " + Arrays.toString(stress));
        }
    }

    public static Labels of(double energy, double[] forces, double[] stress) {
        return new Labels(energy, forces, stress);
    }

    public boolean hasEnergy() {
        return energy != null;
    }

    public boolean hasForces() {
        return forces != null;
    }

    public boolean hasStress() {
        return stress != null;
    }

    public boolean isEmpty() {
        return energy == null && forces == null && stress == null;
    }

    @Override
    public double[] forces() {
        return forces == null ? null : forces.clone();
    }

    @Override
    public double[] stress() {
        return stress == null ? null : stress.clone();
    }

    /** Largest per-atom force norm (eV/Angstrom), or NaN without forces. */
    public double maxForce() {
        return maxForceNorm(forces);
    }

    /** Largest per-atom norm of flat forces (3n, eV/Angstrom), or NaN for null. */
    public static double maxForceNorm(double[] forces) {
        if (forces == null) return Double.NaN;
        double best = 0;
        for (int i = 0; i < forces.length; i += 3) {
            best = Math.max(best, Math.sqrt(forces[i] * forces[i] + forces[i + 1] * forces[i + 1] + forces[i + 2] * forces[i + 2]));
        }
        return best;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Labels l && java.util.Objects.equals(energy, l.energy)
                && Arrays.equals(forces, l.forces) && Arrays.equals(stress, l.stress);
    }

    @Override
    public int hashCode() {
        return java.util.Objects.hash(energy, Arrays.hashCode(forces), Arrays.hashCode(stress));
    }

    @Override
    public String toString() {
        return "Labels[energy=" + energy + ", forces=" + (forces == null ? "none" : forces.length / 3 + " atoms")
                + ", stress=" + (stress == null ? "none" : Arrays.toString(stress)) + "]";
    }
}
