package org.crucible.executors.evolution;

import java.util.SplittableRandom;
import org.crucible.core.Structure;

/**
 * One evolutionary variation operator (USPEX: Oganov and Glass, J. Chem. Phys. 124, 244704 (2006); Lyakhov et
 * al., Comput. Phys. Commun. 184, 1172 (2013)): parents in, one child out, all randomness from the given stream
 * (take it from {@code CandidateRandom.of(seed, index)} so a child is reproducible).
 *
 * @see Heredity
 * @see LatticeMutation
 * @see Permutation
 * @see CoordinateMutation
 */
@FunctionalInterface
public interface Variation {
    /** Number of parents the operator takes. */
    default int parents() {
        return 1;
    }

    /**
     * @throws org.crucible.executors.generators.GenerationException when no child meeting the minimum
     *         separations was found in the operator's bounded number of attempts
     */
    Structure apply(Structure[] parents, SplittableRandom rng);
}
