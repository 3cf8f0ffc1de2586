package org.crucible.dft.run;

import java.nio.file.Path;
import org.crucible.dft.DftResult;
import org.crucible.dft.input.InputSet;

/**
 * Runs one calculation and returns its parsed result. A run that starts and writes output always yields a
 * {@link DftResult} (whatever its status) so nothing computed is lost; only a program that cannot be started
 * raises {@link org.crucible.dft.DftRunException}.
 */
@FunctionalInterface
public interface DftRunner {
    /** Writes {@code inputs} into {@code workDir}, runs the code there and parses its output. */
    DftResult run(InputSet inputs, Path workDir);
}
