package org.crucible.executors.calculators;

import java.util.EnumSet;
import java.util.Set;
import org.crucible.core.Cell;
import org.crucible.core.Elements;
import org.crucible.core.Labels;
import org.crucible.core.Structure;

/**
 * Common frame of the short-range reference calculators (Stillinger-Weber, Tersoff, Lennard-Jones): species
 * mapping, neighbour list, checks, and the conversion of accumulated forces and virial into {@link Labels}.
 *
 * <p>Subclasses fill an {@link Accumulator}: total energy (eV), per-atom energies, forces (eV/Angstrom) and the
 * virial W_ab = sum over interatomic vectors d of (dE/dd_a) d_b (eV), from which the ASE stress is
 * sigma = W / V (eV/Angstrom^3), i.e. sigma = (1/V) dE/d(epsilon) for a homogeneous strain epsilon.
 *
 * <p>Instances are immutable, serializable (for Spark broadcasts) and safe to share between threads: scratch
 * memory is per call, and the reusable neighbour list ({@link PairList}) is per thread.
 */
public abstract class ShortRangeCalculator implements Calculator, java.io.Serializable {
    private static final long serialVersionUID = 1L;

    /** Two atoms closer than this (Angstrom) are treated as coincident: a {@link CalculationException}. */
    public static final double COINCIDENT_ANGSTROM = 1e-6;

    private final String[] species;
    private final int[] typeOfZ;

    /**
     * @param species element symbols this calculator has parameters for; type index = position in the array
     */
    protected ShortRangeCalculator(String[] species) {
        this.species = species.clone();
        this.typeOfZ = new int[256];
        java.util.Arrays.fill(typeOfZ, -1);
        for (int t = 0; t < species.length; t++) typeOfZ[Elements.bySymbol(species[t]).z()] = t;
    }

    /** Element symbols covered by the parameters, in type order. */
    public String[] species() {
        return species.clone();
    }

    /** The largest interaction range (Angstrom): neighbour lists are built with it. */
    public abstract double cutoff();

    @Override
    public Set<Property> implementedProperties() {
        return EnumSet.of(Property.ENERGY, Property.FORCES, Property.STRESS);
    }

    /** Energy, forces and (for a fully periodic cell) stress. */
    @Override
    public Labels calculate(Structure s) {
        return evaluate(s).labels();
    }

    /**
     * The full evaluation: labels plus per-atom energies (eV, summing to the total energy; the split follows
     * the potential's natural site decomposition, as LAMMPS' {@code compute pe/atom}).
     */
    public Result evaluate(Structure s) {
        int n = s.size();
        int[] type = new int[n];
        for (int i = 0; i < n; i++) {
            int z = s.atomicNumber(i);
            int t = z < typeOfZ.length ? typeOfZ[z] : -1;
            if (t < 0) {
                throw new CalculationException(name() + " has no parameters for element " + s.symbol(i) + " (atom " + i
                        + " of " + s.formula() + "); it covers " + String.join(", ", species));
            }
            type[i] = t;
        }
        Accumulator acc = new Accumulator(n);
        if (n > 0) {
            PairList nl = pairTermsOnly() ? PairList.obtainHalf(s, cutoff()) : PairList.obtain(s, cutoff());
            checkCoincident(s, nl);
            accumulate(nl, type, acc);
        }
        if (!Double.isFinite(acc.energy)) {
            throw new NonFiniteResultException(name() + ": non-finite energy " + acc.energy + " for " + s.formula());
        }
        for (int i = 0; i < acc.forces.length; i++) {
            if (!Double.isFinite(acc.forces[i])) {
                throw new NonFiniteResultException(name() + ": non-finite force on atom " + (i / 3) + " of " + s.formula());
            }
        }
        double[] stress = null;
        Cell cell = s.cell();
        if (cell.isFullyPeriodic()) {
            double v = cell.volume();
            double[] w = acc.virial;
            stress = new double[] {w[0] / v, w[4] / v, w[8] / v, 0.5 * (w[5] + w[7]) / v, 0.5 * (w[2] + w[6]) / v,
                0.5 * (w[1] + w[3]) / v};
            for (double x : stress) {
                if (!Double.isFinite(x)) throw new NonFiniteResultException(name() + ": non-finite stress for " + s.formula());
            }
        }
        return new Result(new Labels(acc.energy, acc.forces, stress), acc.atomEnergy);
    }

    private void checkCoincident(Structure s, PairList nl) {
        double lim2 = COINCIDENT_ANGSTROM * COINCIDENT_ANGSTROM;
        for (int i = 0, n = nl.atoms(); i < n; i++) {
            for (int k = nl.start[i], end = nl.start[i + 1]; k < end; k++) {
                double x = nl.d[3 * k], y = nl.d[3 * k + 1], z = nl.d[3 * k + 2];
                if (x * x + y * y + z * z < lim2) {
                    throw new CalculationException(name() + ": atoms " + i + " and " + nl.nbr[k] + " of " + s.formula()
                            + " coincide (distance " + Math.sqrt(x * x + y * y + z * z) + " Angstrom)");
                }
            }
        }
    }

    /**
     * Adds the energy, per-atom energies, forces and virial of all interactions in the neighbour list (built
     * with {@link #cutoff()}) to {@code acc}.
     *
     * @param type species index of every atom
     */
    protected abstract void accumulate(PairList nl, int[] type, Accumulator acc);

    /**
     * True when {@link #accumulate} sums pair terms only (each pair once, skipping j &lt; i and the negative
     * self-images): it then gets the half list, with every pair once, half the entries to build and refresh.
     * Potentials with three-body terms (SW, Tersoff) need every neighbour of every atom and keep the full list.
     */
    protected boolean pairTermsOnly() {
        return false;
    }

    /** Labels plus per-atom energies (eV). */
    public record Result(Labels labels, double[] atomicEnergies) {
        public Result {
            atomicEnergies = atomicEnergies.clone();
        }

        @Override
        public double[] atomicEnergies() {
            return atomicEnergies.clone();
        }
    }

    /** Scratch results of one evaluation; forces flat 3n (eV/Angstrom), virial row-major 3x3 (eV). */
    protected static final class Accumulator {
        public double energy;
        public final double[] atomEnergy;
        public final double[] forces;
        public final double[] virial = new double[9];

        Accumulator(int n) {
            atomEnergy = new double[n];
            forces = new double[3 * n];
        }

        /**
         * Records a pair term's gradient g = dE/dd for the vector d = r_j - r_i: force -g on j, +g on i, and the
         * virial g (x) d.
         */
        public void pairGradient(int i, int j, double gx, double gy, double gz, double dx, double dy, double dz) {
            forces[3 * i] += gx;
            forces[3 * i + 1] += gy;
            forces[3 * i + 2] += gz;
            forces[3 * j] -= gx;
            forces[3 * j + 1] -= gy;
            forces[3 * j + 2] -= gz;
            double[] w = virial;
            w[0] += gx * dx;
            w[1] += gx * dy;
            w[2] += gx * dz;
            w[3] += gy * dx;
            w[4] += gy * dy;
            w[5] += gy * dz;
            w[6] += gz * dx;
            w[7] += gz * dy;
            w[8] += gz * dz;
        }
    }
}
