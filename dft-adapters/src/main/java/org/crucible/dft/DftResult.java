package org.crucible.dft;

import java.util.List;
import java.util.Objects;
import org.crucible.core.Labels;

/**
 * What a DFT output says, in Crucible units (eV, Angstrom, eV/Angstrom, eV/Angstrom^3 in ASE convention), with
 * the run's status. Every parser returns this one type.
 *
 * <p>{@link #steps()} holds the last complete ionic step by default, or every complete step in file order when
 * the caller asked for all steps (relaxation and MD outputs); the reported values ({@link #energy()},
 * {@link #forces()}, {@link #stress()}) are those of the last step. A step is complete when its energy and
 * every quantity the code prints after it (forces, stress) have been read.
 *
 * <p>Invariant: a result with status {@link DftStatus#OK} has at least one step with a finite energy, so a
 * caller that checks {@code isOk()} never meets a missing energy.
 *
 * <pre>{@code
 * DftResult r = DftParsers.forCode(DftCode.QE).parse(Path.of("pw.out"), false);
 * if (r.isOk()) store(structure.withLabels(r.labels()));
 * }</pre>
 *
 * @param code        the program that wrote the output
 * @param codeVersion the version string as printed (e.g. {@code 6.7MaX}, {@code 5.4.4.18Apr17-6-g9f103f2a35}),
 *                    or null when the file does not record it
 * @param status      how the run ended
 * @param message     the error or warning text behind a non-ok status (null for ok)
 * @param nAtoms      number of atoms
 * @param ionicConverged for relaxations: whether the code reports the ionic criterion met; null for single
 *                    points and MD (a relaxation that ran out of steps still has status ok: its last step is a
 *                    converged single point, a valid label, but not a minimum)
 * @param steps       parsed steps (never null; may be empty when no step completed)
 * @param wallSeconds wall-clock time the code reports for the run in seconds, or null
 * @param source      the file (or files) read
 */
public record DftResult(DftCode code, String codeVersion, DftStatus status, String message, int nAtoms,
                        Boolean ionicConverged, List<DftStep> steps, Double wallSeconds, String source) {
    public DftResult {
        Objects.requireNonNull(code, "code");
        Objects.requireNonNull(status, "status");
        steps = List.copyOf(Objects.requireNonNull(steps, "steps"));
        if (nAtoms < 0) throw new IllegalArgumentException("negative atom count " + nAtoms);
        if (status == DftStatus.OK && (steps.isEmpty() || steps.get(steps.size() - 1).energy() == null)) {
            throw new IllegalArgumentException("a result with status ok needs a final energy (" + source + ")");
        }
        for (DftStep s : steps) {
            if (s.forces() != null && s.forces().length != 3 * nAtoms) {
                throw new IllegalArgumentException("forces for " + s.forces().length / 3 + " atoms in a result for " + nAtoms + " atoms (" + source + ")");
            }
        }
        if (wallSeconds != null && !(wallSeconds >= 0)) throw new IllegalArgumentException("wall time must be >= 0 s: " + wallSeconds);
    }

    /** True when the status is ok (a trustworthy label). */
    public boolean isOk() {
        return status == DftStatus.OK;
    }

    /**
     * Whether a process exit status is consistent with this result being a normal end of the run: 0, or the
     * status with which a code ends a relaxation that used up its step limit while its output is complete (pw.x
     * exits 3 after "The maximum number of steps has been reached."; the result is ok with
     * {@link #ionicConverged()} false, and its last step is a valid label). Runners and the cluster farm judge
     * non-zero statuses with it, so such a relaxation is neither failed nor resubmitted.
     */
    public boolean endedNormallyWith(int exitCode) {
        if (exitCode == 0) return true;
        return isOk() && Boolean.FALSE.equals(ionicConverged) && code == DftCode.QE && exitCode == 3;
    }

    /** The last step, or null when no step completed. */
    public DftStep lastStep() {
        return steps.isEmpty() ? null : steps.get(steps.size() - 1);
    }

    /** Final energy in eV (free energy consistent with the forces), or null. */
    public Double energy() {
        DftStep s = lastStep();
        return s == null ? null : s.energy();
    }

    /** Final sigma -> 0 energy in eV where printed, or null. */
    public Double energyZeroSigma() {
        DftStep s = lastStep();
        return s == null ? null : s.energyZeroSigma();
    }

    /** Final total energy without the entropy term in eV where printed separately, or null. */
    public Double energyTotal() {
        DftStep s = lastStep();
        return s == null ? null : s.energyTotal();
    }

    /** Final forces in eV/Angstrom (flat 3n), or null. */
    public double[] forces() {
        DftStep s = lastStep();
        return s == null ? null : s.forces();
    }

    /** Final stress in eV/Angstrom^3 (ASE convention, Voigt), or null. */
    public double[] stress() {
        DftStep s = lastStep();
        return s == null ? null : s.stress();
    }

    /** Largest per-atom force norm of the final step in eV/Angstrom, NaN without forces. */
    public double maxForce() {
        DftStep s = lastStep();
        return s == null ? Double.NaN : s.maxForce();
    }

    /** The final step as core {@link Labels} (energy, forces, stress; absent parts null). */
    public Labels labels() {
        DftStep s = lastStep();
        return s == null ? Labels.NONE : new Labels(s.energy(), s.forces(), s.stress());
    }

    /**
     * This result marked {@code failed} with {@code error} when it is not ok and the run left an error report
     * beside the output (QE's CRASH file, VASP's standard output); an ok result is returned unchanged.
     */
    public DftResult failedWith(String error) {
        if (error == null || status == DftStatus.OK || status == DftStatus.FAILED) return this;
        String m = error + (message == null ? "" : " (" + message + ")");
        return new DftResult(code, codeVersion, status == DftStatus.SCF_NOT_CONVERGED ? status : DftStatus.FAILED, m, nAtoms, ionicConverged, steps, wallSeconds, source);
    }

    /** A copy holding only the last step (what a default parse returns). */
    public DftResult lastStepOnly() {
        return steps.size() <= 1 ? this : new DftResult(code, codeVersion, status, message, nAtoms, ionicConverged, List.of(lastStep()), wallSeconds, source);
    }
}
