package org.crucible.driver.protocol;

import java.util.List;
import org.crucible.core.Structure;
import org.crucible.executors.potentials.FitResult;

/**
 * Fits the potential of the next cycle to the labelled structures (energies in eV, forces in eV/Angstrom), given in
 * task-hash order so the fit does not depend on the order labels arrived in. The engine writes the model before the
 * state that points to it.
 *
 * <p>Registry names: {@code ace-committee} ({@link AceCommitteeFitter}: linear ACE, Bayesian ridge or ARD, a
 * committee of posterior samples; NN-ensemble eq. 3-4).
 */
@FunctionalInterface
public interface Fitter {
    /** The fit of {@code cycle} to {@code data}. */
    FitResult fit(List<Structure> data, int cycle);
}
