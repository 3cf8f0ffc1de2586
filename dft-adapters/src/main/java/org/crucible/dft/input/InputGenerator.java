package org.crucible.dft.input;

import java.util.Objects;
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
    default InputSet inputSet(Structure structure) {
        return write(Objects.requireNonNull(structure, "structure"), null);
    }

    /**
     * The input files for one relaxation of {@code structure} run by the code itself as a single job (its own
     * optimiser: QE {@code vc-relax}/{@code relax} with BFGS, VASP {@code IBRION = 2}, CASTEP
     * {@code GeometryOptimization}, ORCA {@code Opt}), with everything else (pseudopotentials, cutoffs,
     * k-points, smearing, user overrides) as in {@link #inputSet(Structure)}. Read the result with
     * {@code DftParsers.relaxation(code, runDirectory, inputs, structure)}.
     *
     * <p>Each code's keywords and unit conversions are listed in docs/dft.md ("Relaxations") and in its
     * generator's {@code write}.
     *
     * @throws org.crucible.dft.DftInputException when this code cannot relax the structure with these settings
     */
    default InputSet relaxationInputSet(Structure structure, RelaxationRequest request) {
        return write(Objects.requireNonNull(structure, "structure"), Objects.requireNonNull(request, "request"));
    }

    /**
     * The one method a code implements (the template behind {@link #inputSet} and {@link #relaxationInputSet}): the
     * input files of one calculation on {@code structure}, a single point when {@code relaxation} is null, else the
     * code's own relaxation as requested. Callers use the two methods above, which check their arguments.
     *
     * @throws org.crucible.dft.DftInputException when the structure cannot be computed with these settings
     */
    InputSet write(Structure structure, RelaxationRequest relaxation);

    /** The code these inputs are for. */
    DftCode code();

    /**
     * Refuses a structure that is not periodic along all three lattice vectors, naming the code and the structure.
     *
     * @throws org.crucible.dft.DftInputException for a molecule or a slab
     */
    static void requirePeriodic(Structure structure, String code) {
        requirePeriodic(structure, code, false);
    }

    /**
     * A free molecule in a box: not periodic along any lattice vector, with a cell of positive volume (e.g. the
     * isolated atoms and dimers of GAP-RSS). A plane-wave code that accepts one computes it as the periodic box, at the
     * Gamma point and without stress: the box's stress is not a property of the molecule, so the label carries energy
     * and forces only. The box must be large enough that images do not interact; that is the caller's choice.
     */
    static boolean isBoxedMolecule(Structure structure) {
        return structure.cell().isMolecular() && structure.cell().hasVolume();
    }

    /**
     * {@link #requirePeriodic(Structure, String)}, or when {@code boxedMoleculeOk} also a {@linkplain #isBoxedMolecule
     * free molecule in a box}.
     *
     * @throws org.crucible.dft.DftInputException for a slab, or a molecule without a box (or any molecule when not ok)
     */
    static void requirePeriodic(Structure structure, String code, boolean boxedMoleculeOk) {
        if (boxedMoleculeOk && isBoxedMolecule(structure)) return;
        if (boxedMoleculeOk && structure.cell().isMolecular()) {
            throw new org.crucible.dft.DftInputException(code + " computes a molecule in its box, but structure " + structure.formula()
                    + " has no box (a cell of zero volume): give it a cell larger than the molecule plus the vacuum");
        }
        if (!structure.cell().isFullyPeriodic()) {
            throw new org.crucible.dft.DftInputException(code + " needs a periodic cell with three lattice vectors; structure "
                    + structure.formula() + " has pbc " + java.util.Arrays.toString(structure.cell().pbc())
                    + (boxedMoleculeOk ? " (a slab: give it pbc true along all three vectors with vacuum)"
                            : " (put molecules in a box with pbc true, or use ORCA)"));
        }
    }
}
