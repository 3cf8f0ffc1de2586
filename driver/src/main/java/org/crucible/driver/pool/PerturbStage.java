package org.crucible.driver.pool;

import java.util.SplittableRandom;
import org.crucible.core.Structure;

/**
 * Random displacement of every atom before labelling (NN-ensemble protocol, step 5): each Cartesian component gets
 * an independent Gaussian of standard deviation {@code epsilon / sqrt(3)}, so the root-mean-square displacement of an
 * atom is epsilon (Angstrom); the schedule is eps_t = amplitude * decay^t. Pure given (entry, seed).
 */
public record PerturbStage(double epsilonAngstrom) implements PoolStage<PerturbStage.NoModel> {
    private static final long serialVersionUID = 1L;

    public PerturbStage {
        if (!(epsilonAngstrom >= 0) || Double.isInfinite(epsilonAngstrom)) {
            throw new IllegalArgumentException("perturbation amplitude must be a finite number >= 0 Angstrom, got " + epsilonAngstrom);
        }
    }

    /** The perturbation needs no model. */
    public enum NoModel { INSTANCE }

    @Override
    public PoolEntry apply(PoolEntry entry, NoModel model, long seed) {
        return entry.withStructure(perturb(entry.structure(), epsilonAngstrom, seed)).withCluster(entry.clusterId());
    }

    /** {@code s} with Gaussian displacements of rms {@code eps} per atom, wrapped into the cell when periodic. */
    public static Structure perturb(Structure s, double eps, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        double sigma = eps / Math.sqrt(3.0);
        double[] x = s.positions();
        for (int i = 0; i < x.length; i++) x[i] += sigma * gaussian(r);
        Structure out = s.withPositions(x);
        return s.cell().isFullyPeriodic() ? out.wrapped() : out;
    }

    /** Standard normal by the Marsaglia polar method (SplittableRandom has no nextGaussian on Java 17). */
    static double gaussian(SplittableRandom r) {
        while (true) {
            double u = 2 * r.nextDouble() - 1;
            double v = 2 * r.nextDouble() - 1;
            double s = u * u + v * v;
            if (s > 0 && s < 1) return u * Math.sqrt(-2 * Math.log(s) / s);
        }
    }
}
