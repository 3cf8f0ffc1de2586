package org.crucible.executors.md;

/**
 * How the MD engine couples to a heat bath.
 *
 * <ul>
 *   <li>{@link None}: microcanonical (NVE) velocity Verlet (Swope, Andersen, Berens, Wilson, J. Chem. Phys. 76,
 *       637 (1982)); the total energy is conserved up to O(dt^2).</li>
 *   <li>{@link Langevin}: the BAOAB splitting of Langevin dynamics (Leimkuhler and Matthews, Appl. Math. Res.
 *       Express 2013, 34), dv = F/m dt - gamma v dt + sqrt(2 gamma k_B T / m) dW, with the exact
 *       Ornstein-Uhlenbeck step v &lt;- c1 v + sqrt(1 - c1^2) sqrt(k_B T / m) xi, c1 = exp(-gamma dt), between two
 *       half drifts; it samples the canonical (NVT) ensemble, one force evaluation per step.</li>
 * </ul>
 */
public sealed interface Thermostat {

    /** Degrees of freedom counted in the temperature for {@code n} atoms. */
    int degreesOfFreedom(int n);

    /** NVE: no bath. The total momentum is conserved (zero from {@link Velocities}), so 3n - 3 degrees of freedom. */
    record None() implements Thermostat {
        @Override
        public int degreesOfFreedom(int n) {
            return Math.max(3 * n - 3, 1);
        }
    }

    /**
     * Langevin bath at {@code temperatureK} (K) with damping time {@code dampingFs} = 1/gamma (fs; LAMMPS' {@code fix
     * langevin} damp). Every atom's momentum is thermalised, so 3n degrees of freedom.
     */
    record Langevin(double temperatureK, double dampingFs) implements Thermostat {
        public Langevin {
            if (!(temperatureK >= 0) || Double.isInfinite(temperatureK)) {
                throw new IllegalArgumentException("Langevin temperature must be a finite number >= 0 K, got " + temperatureK);
            }
            if (!(dampingFs > 0) || Double.isInfinite(dampingFs)) {
                throw new IllegalArgumentException("Langevin damping time must be a positive number of fs, got " + dampingFs);
            }
        }

        @Override
        public int degreesOfFreedom(int n) {
            return 3 * n;
        }
    }
}
