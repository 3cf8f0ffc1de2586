package org.crucible.dft.input;

import org.crucible.core.Structure;
import org.crucible.dft.DftCode;

/**
 * A code's recipe (pymatgen's {@code InputGenerator}): holds only system-independent choices (cutoffs,
 * functional, smearing, k-point spacing, pseudopotential library) and turns any structure into an
 * {@link InputSet}. Implementations are immutable and thread-safe.
 */
public interface InputGenerator {
    /**
     * The input files for a single point on {@code structure}.
     *
     * @throws org.crucible.dft.DftInputException when the structure cannot be computed with these settings
     *                                            (missing pseudopotential, periodic structure for ORCA, ...)
     */
    InputSet inputSet(Structure structure);

    /** The code these inputs are for. */
    DftCode code();
}
