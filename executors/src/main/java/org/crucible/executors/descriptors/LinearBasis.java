package org.crucible.executors.descriptors;

import java.io.Serializable;
import java.util.Map;
import org.crucible.core.Structure;

/**
 * A per-atom many-body basis in which a potential is linear: E = sum_i (c . B_i + E0(z_i)). The contract
 * between descriptors (which implement it, e.g. linear ACE) and the uncertainty-aware potential (which fits
 * and evaluates coefficients on it).
 *
 * <p>Units: energies eV, forces eV/Angstrom, stress eV/Angstrom^3 in ASE convention (Voigt xx, yy, zz, yz, xz,
 * xy; sigma = (1/V) dE/d(strain)). Implementations are immutable and thread-safe, so one instance can be
 * broadcast to Spark executors.
 */
public interface LinearBasis extends Serializable {

    /** Number of basis functions F (all element blocks together); coefficient vectors have this length. */
    int size();

    /**
     * Design rows of one structure for linear least squares: the energy row sum_i B_i (F values), the force rows
     * -d(sum_i B_i)/dr (3N x F, row-major, atom-major x,y,z) and the stress rows (1/V) d(sum_i B_i)/d(strain)
     * (6 x F, ASE convention; zeros for a non-periodic structure). Reference energies are not included.
     */
    DesignRows designRows(Structure s);

    /**
     * Evaluates K coefficient vectors at once (a committee), sharing the basis evaluation: for every model k,
     * energy, forces and stress of {@code sum_i c_k . B_i} (reference energies not included). Cost should be
     * close to one evaluation plus K cheap contractions.
     *
     * @param coefficients K x F
     */
    CommitteeEvaluation evaluate(Structure s, double[][] coefficients);

    /** Per-atom descriptors B_i (N x F row-major): the raw features, for mean pooling and D-optimality. */
    double[] atomicFeatures(Structure s);

    /**
     * The summed features S = sum_i B_i (F values), so that E = c . S for any coefficient vector: a committee's
     * energies (and its energy spread) from one descriptor pass. The default sums {@link #atomicFeatures}.
     */
    default double[] summedFeatures(Structure s) {
        int f = size();
        double[] rows = atomicFeatures(s);
        double[] sum = new double[f];
        for (int i = 0; i < s.size(); i++) for (int q = 0; q < f; q++) sum[q] += rows[i * f + q];
        return sum;
    }

    /**
     * One model whose coefficients are chosen from the summed features: S = {@link #summedFeatures}, c = {@code choose(S)},
     * then energy, forces and stress of c. This is the HAL biased energy E - tau sigma_E (HAL eqs. 9-11): the committee's
     * energies come from S alone, and the biased forces are those of one combined coefficient vector. The default is
     * those two calls; a basis may share work between the passes (the ACE basis keeps every atom's expansion).
     */
    default CommitteeEvaluation evaluateFromSummedFeatures(Structure s, java.util.function.Function<double[], double[]> choose) {
        return evaluate(s, new double[][] {choose.apply(summedFeatures(s))});
    }

    /** A JSON-friendly specification from which {@link LinearBasisFactory#fromSpec} rebuilds an identical basis. */
    Map<String, Object> spec();

    /** Energy row, force rows and stress rows of one structure (see {@link #designRows}). */
    record DesignRows(double[] energy, double[] forces, double[] stress) {
    }

    /**
     * Results of K models: energies[k] (eV), forces[k] (3N, eV/Angstrom), stress[k] (6, eV/Angstrom^3).
     */
    record CommitteeEvaluation(double[] energies, double[][] forces, double[][] stress) {
    }
}
