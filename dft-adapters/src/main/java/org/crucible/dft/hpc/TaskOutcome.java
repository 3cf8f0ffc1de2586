package org.crucible.dft.hpc;

import java.nio.file.Path;
import java.util.List;
import org.crucible.dft.DftResult;

/**
 * The end (or current state) of one task.
 *
 * @param hash task identity
 * @param name label
 * @param phase phase
 * @param result parsed result when {@code phase} is DONE (eV, Angstrom, ASE stress), else null
 * @param failures failed attempts with reasons, oldest first
 * @param message why the task failed or was cancelled, or null
 * @param outputDir local directory holding the downloaded outputs of the last attempt, or null
 */
public record TaskOutcome(String hash, String name, FarmState.TaskPhase phase, DftResult result,
        List<FarmState.Attempt> failures, String message, Path outputDir) {
    public TaskOutcome {
        failures = List.copyOf(failures);
    }
}
