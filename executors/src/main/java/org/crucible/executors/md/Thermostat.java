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
 *   <li>{@link NoseHooverChain}: deterministic Nose-Hoover chains (Martyna, Klein, Tuckerman, J. Chem. Phys. 97,
 *       2635 (1992)), integrated with the Trotter splitting of Martyna, Tuckerman, Tobias, Klein, Mol. Phys. 87, 1117
 *       (1996) (thermostat half step, velocity Verlet, thermostat half step; no Suzuki-Yoshida sub-steps); thermostat
 *       masses Q_1 = dof k_B T tau^2, Q_j = k_B T tau^2.</li>
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

    /**
     * Nose-Hoover chain at {@code temperatureK} (K) with time constant {@code dampingFs} (fs, the period of the
     * thermostat's oscillation, typically 100 dt) and {@code chainLength} thermostats (3 is usual). The total
     * momentum stays zero, so 3n - 3 degrees of freedom.
     */
    record NoseHooverChain(double temperatureK, double dampingFs, int chainLength) implements Thermostat {
        public NoseHooverChain {
            if (!(temperatureK > 0) || Double.isInfinite(temperatureK)) {
                throw new IllegalArgumentException("Nose-Hoover temperature must be a positive number of K, got " + temperatureK);
            }
            if (!(dampingFs > 0) || Double.isInfinite(dampingFs)) {
                throw new IllegalArgumentException("Nose-Hoover time constant must be a positive number of fs, got " + dampingFs);
            }
            if (chainLength < 1 || chainLength > 10) throw new IllegalArgumentException("Nose-Hoover chain length must be 1 to 10, got " + chainLength);
        }

        @Override
        public int degreesOfFreedom(int n) {
            return Math.max(3 * n - 3, 1);
        }
    }
}
