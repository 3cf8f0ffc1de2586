package org.crucible.dft;

import java.util.Arrays;
import java.util.Objects;
import org.crucible.core.Labels;

/**
 * One electronic ground state of a run (a single point, or one ionic step of a relaxation or MD), in Crucible
 * units.
 *
 * @param energy          energy in eV consistent with the forces: the free energy (Mermin functional) for
 *                        smeared occupations; null if the code printed none for this step
 * @param energyZeroSigma the sigma -> 0 extrapolated energy in eV where the code prints one (VASP
 *                        {@code energy(sigma->0)}, CASTEP {@code NB est. 0K energy}), else null
 * @param energyTotal     the code's total energy without the electronic entropy term where it prints one
 *                        separately (CASTEP {@code Final energy, E}, VASP {@code energy without entropy}), else
 *                        null; for fixed occupations it equals {@code energy}
 * @param forces          forces in eV/Angstrom, flat 3n in atom order, or null when not computed
 * @param stress          stress in eV/Angstrom^3, ASE convention (Voigt xx, yy, zz, yz, xz, xy; positive when the
 *                        cell wants to shrink, pressure = -trace/3), or null when not computed
 * @param scfConverged    whether the code reported this step's electronic loop as converged
 */
public record DftStep(Double energy, Double energyZeroSigma, Double energyTotal, double[] forces, double[] stress, boolean scfConverged) {
    public DftStep {
        if (energy != null && !Double.isFinite(energy)) throw new IllegalArgumentException("step energy is not finite: " + energy);
        if (energyZeroSigma != null && !Double.isFinite(energyZeroSigma)) {
            throw new IllegalArgumentException("step sigma->0 energy is not finite: " + energyZeroSigma);
        }
        if (energyTotal != null && !Double.isFinite(energyTotal)) throw new IllegalArgumentException("step total energy is not finite: " + energyTotal);
        if (forces != null) {
            if (forces.length % 3 != 0) throw new IllegalArgumentException("forces need 3 components per atom, got " + forces.length);
            forces = forces.clone();
            for (double f : forces) if (!Double.isFinite(f)) throw new IllegalArgumentException("a force component is not finite: " + f);
        }
        if (stress != null) {
            if (stress.length != 6) throw new IllegalArgumentException("stress needs 6 Voigt components, got " + stress.length);
            stress = stress.clone();
            for (double s : stress) if (!Double.isFinite(s)) throw new IllegalArgumentException("a stress component is not finite: " + s);
        }
    }

    /** A step without a separately printed total energy. */
    public DftStep(Double energy, Double energyZeroSigma, double[] forces, double[] stress, boolean scfConverged) {
        this(energy, energyZeroSigma, null, forces, stress, scfConverged);
    }

    @Override
    public double[] forces() {
        return forces == null ? null : forces.clone();
    }

    @Override
    public double[] stress() {
        return stress == null ? null : stress.clone();
    }

    /** Largest per-atom force norm in eV/Angstrom, or NaN without forces. */
    public double maxForce() {
        return Labels.maxForceNorm(forces);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof DftStep s && Objects.equals(energy, s.energy) && Objects.equals(energyZeroSigma, s.energyZeroSigma) && Objects.equals(energyTotal, s.energyTotal)
                && Arrays.equals(forces, s.forces) && Arrays.equals(stress, s.stress) && scfConverged == s.scfConverged;
    }

    @Override
    public int hashCode() {
        return Objects.hash(energy, energyZeroSigma, energyTotal, Arrays.hashCode(forces), Arrays.hashCode(stress), scfConverged);
    }

    @Override
    public String toString() {
        return "DftStep[energy=" + energy + " eV, forces=" + (forces == null ? "none" : forces.length / 3 + " atoms")
                + ", stress=" + (stress == null ? "none" : Arrays.toString(stress)) + ", scfConverged=" + scfConverged + "]";
    }
}
