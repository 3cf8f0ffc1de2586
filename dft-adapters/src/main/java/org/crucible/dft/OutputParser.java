package org.crucible.dft;

import java.nio.file.Path;

/**
 * Reads one code's output into a {@link DftResult} (eV, Angstrom, ASE stress). Implementations are stateless
 * and thread-safe.
 *
 * <p>A file that is not this code's output, or has an unreadable number, raises {@link DftParseException}
 * naming file and line. A recognisable but truncated output is returned with status {@code incomplete}; a run
 * that ended with an error, {@code failed} with the message.
 */
public interface OutputParser {
    /** The code whose outputs this parser reads. */
    DftCode code();

    /**
     * Parses an output file, or the main output found in a run directory.
     *
     * @param path     an output file, or a directory holding one
     * @param allSteps false: keep only the last complete step; true: every complete step in file order
     */
    DftResult parse(Path path, boolean allSteps);

    /** Parses keeping only the last complete step. */
    default DftResult parse(Path path) {
        return parse(path, false);
    }
}
