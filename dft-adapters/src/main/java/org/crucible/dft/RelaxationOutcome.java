package org.crucible.dft;

import java.util.Objects;
import org.crucible.core.Labels;
import org.crucible.core.Structure;

/**
 * The end of a relaxation run by a DFT code itself (one job: QE {@code vc-relax}/{@code relax}, VASP
 * {@code IBRION = 2}, CASTEP {@code GeometryOptimization}, ORCA {@code Opt}), read by
 * {@link DftParsers#relaxation(DftCode, java.nio.file.Path, org.crucible.dft.input.InputSet, Structure)}.
 *
 * <p>{@code relaxed} is the geometry at which the last complete step was computed, carrying that step's labels
 * (energy eV, forces eV/Angstrom, stress eV/Angstrom^3 ASE convention), so the labels always belong to the
 * positions and cell they come with. For a converged run this is the code's final geometry (for QE
 * {@code vc-relax} the final SCF, which pw.x runs at the final coordinates with the basis rebuilt for the final
 * cell). For a run stopped by its step limit some codes print one more, never computed, geometry (pw.x's
 * last BFGS proposal, the stationary point of ORCA when its final evaluation has no gradient, a trial
 * geometry in VASP's CONTCAR); that geometry is not returned, as it has no labels. Species, atom order, info and
 * per-atom columns are the initial structure's.
 *
 * <pre>{@code
 * InputSet set = generator.relaxationInputSet(s, new RelaxationRequest(0.01, 0.0, 100, true));
 * DftResult ignored = runner.run(set, dir);                       // or a DftTask on the cluster farm
 * RelaxationOutcome o = DftParsers.relaxation(DftCode.QE, dir, set, s);
 * if (o.result().isOk() && o.converged()) keep(o.relaxed());      // labelled, in s's atom order
 * }</pre>
 *
 * @param result     every complete step of the run in file order ({@link DftResult#steps()}), status and message
 * @param relaxed    the geometry of the last complete step with its labels; the initial structure without
 *                   labels when no step completed
 * @param ionicSteps number of complete steps, each one SCF with energy and forces, i.e. one DFT single point
 *                   (reported as "validation single points"); includes line-search trial steps (CASTEP) and the
 *                   final SCF of a QE {@code vc-relax}
 * @param converged  whether the code reported its ionic convergence criterion met ({@link DftResult#ionicConverged()})
 */
public record RelaxationOutcome(DftResult result, Structure relaxed, int ionicSteps, boolean converged) {
    public RelaxationOutcome {
        Objects.requireNonNull(result, "result");
        Objects.requireNonNull(relaxed, "relaxed");
        if (ionicSteps < 0) throw new IllegalArgumentException("ionic steps must be >= 0, got " + ionicSteps);
        if (relaxed.size() != result.nAtoms() && result.nAtoms() > 0) {
            throw new IllegalArgumentException("relaxed structure has " + relaxed.size() + " atoms but the result " + result.nAtoms()
                    + " (" + result.source() + ")");
        }
    }

    /**
     * The outcome of an all-steps result: {@code lastStepGeometry} (the cell and positions the last complete step
     * was computed at, in the initial structure's atom order) labelled with that step, or {@code initial} without
     * labels when no step completed.
     */
    public static RelaxationOutcome of(DftResult allSteps, Structure lastStepGeometry, Structure initial) {
        Objects.requireNonNull(allSteps, "allSteps");
        Objects.requireNonNull(initial, "initial");
        if (allSteps.steps().isEmpty()) {
            return new RelaxationOutcome(allSteps, initial.withLabels(Labels.NONE), 0, Boolean.TRUE.equals(allSteps.ionicConverged()));
        }
        Objects.requireNonNull(lastStepGeometry, "lastStepGeometry");
        return new RelaxationOutcome(allSteps, lastStepGeometry.withLabels(allSteps.labels()), allSteps.steps().size(),
                Boolean.TRUE.equals(allSteps.ionicConverged()));
    }
}
