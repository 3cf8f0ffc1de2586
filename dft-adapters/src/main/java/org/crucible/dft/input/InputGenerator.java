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

    /**
     * The input files for one relaxation of {@code structure} run by the code itself as a single job (its own
     * optimiser: QE {@code vc-relax}/{@code relax} with BFGS, VASP {@code IBRION = 2}, CASTEP
     * {@code GeometryOptimization}, ORCA {@code Opt}), with everything else (pseudopotentials, cutoffs,
     * k-points, smearing, user overrides) as in {@link #inputSet(Structure)}. Read the result with
     * {@code DftParsers.relaxation(code, runDirectory, inputs, structure)}.
     *
     * <p>Each code's keywords and unit conversions are listed in docs/dft.md ("Relaxations").
     *
     * @throws org.crucible.dft.DftInputException when this code cannot relax the structure with these settings,
     *                                            or (this default) when the generator has no relaxation writer
     */
    default InputSet relaxationInputSet(Structure structure, RelaxationRequest request) {
        throw new org.crucible.dft.DftInputException(code().id() + ": relaxations are not supported by " + getClass().getSimpleName()
                + " (no relaxation input writer for this code)");
    }

    /** The code these inputs are for. */
    DftCode code();
}
