package org.crucible.dft.input;

import org.crucible.dft.DftInputException;

/**
 * What a DFT relaxation must reach, in Crucible units; each code's writer turns it into its own keywords and
 * units ({@link InputGenerator#relaxationInputSet}). The criterion is ASE's: the largest per-atom force norm
 * below {@code fmaxEvPerAngstrom} (and, for a variable cell, the stress near {@code -pressure}); each writer maps
 * it onto its code's criterion so that the code's test is never looser than this one (see docs/dft.md,
 * "Relaxations").
 *
 * <pre>{@code
 * RelaxationRequest r = new RelaxationRequest(0.01, 0.0, 100, true);   // 0.01 eV/A, 0 GPa, 100 steps, cell too
 * InputSet set = generator.relaxationInputSet(structure, r);
 * }</pre>
 *
 * <p>Invalid values raise {@link DftInputException} quoting the value.
 *
 * @param fmaxEvPerAngstrom force criterion in eV/Angstrom (> 0): the largest per-atom force norm at convergence
 * @param pressureGPa       external hydrostatic pressure in GPa (finite; positive compresses); it only enters a
 *                          variable-cell relaxation, where the target stress is {@code -pressure} on the diagonal
 * @param maxSteps          the most ionic steps the code may take (>= 1): QE {@code nstep}, VASP {@code NSW},
 *                          CASTEP {@code GEOM_MAX_ITER}, ORCA {@code MaxIter}
 * @param variableCell      true: relax the cell with the atoms (QE {@code vc-relax}, VASP {@code ISIF = 3}); false:
 *                          atoms only at fixed cell
 */
public record RelaxationRequest(double fmaxEvPerAngstrom, double pressureGPa, int maxSteps, boolean variableCell) {
    public RelaxationRequest {
        if (!(fmaxEvPerAngstrom > 0) || !Double.isFinite(fmaxEvPerAngstrom)) {
            throw new DftInputException("relaxation fmax must be a finite number > 0 eV/Angstrom, got " + fmaxEvPerAngstrom);
        }
        if (!Double.isFinite(pressureGPa)) throw new DftInputException("relaxation pressure must be finite (GPa), got " + pressureGPa);
        if (maxSteps < 1) throw new DftInputException("relaxation maxSteps must be >= 1, got " + maxSteps);
    }
}
