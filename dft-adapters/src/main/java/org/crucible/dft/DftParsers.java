package org.crucible.dft;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import org.crucible.core.Structure;
import org.crucible.dft.castep.CastepRelaxationReader;
import org.crucible.dft.input.InputSet;
import org.crucible.dft.orca.OrcaRelaxationReader;
import org.crucible.dft.qe.QeOutputParser;
import org.crucible.dft.qe.QeRelaxationReader;
import org.crucible.dft.vasp.VaspInputGenerator;
import org.crucible.dft.vasp.VaspRelaxationReader;

/** The output parser for each code, and the reader of a relaxation run by the code itself. */
public final class DftParsers {
    private DftParsers() {
    }

    /** The parser for {@code code}. */
    public static OutputParser forCode(DftCode code) {
        return switch (code) {
            case QE -> new QeOutputParser();
            case VASP -> new org.crucible.dft.vasp.VaspOutputParser();
            case CASTEP -> new org.crucible.dft.castep.CastepOutputParser();
            case ORCA -> new org.crucible.dft.orca.OrcaOutputParser();
        };
    }

    /**
     * Reads a relaxation written with {@code InputGenerator.relaxationInputSet(initial, request)} and run in
     * {@code runDirectory} (a {@code LocalRunner} work directory, or the farm's downloaded outputs
     * {@code TaskOutcome.outputDir()}): every step of the main output and the geometry of the last complete step
     * with that step's labels, in the initial structure's atom order. Per code: QE the last
     * {@code CELL_PARAMETERS}/{@code ATOMIC_POSITIONS} blocks of pw.out; VASP CONTCAR (checked against OUTCAR);
     * CASTEP the last {@code Unit Cell}/{@code Cell Contents} blocks of the .castep; ORCA the last
     * {@code CARTESIAN COORDINATES (ANGSTROEM)} block of the .out. A run that wrote output always gives an
     * outcome, whatever its status ({@code outcome.result().status()}); a run with no complete step gives the
     * initial structure, unlabelled, and zero steps.
     *
     * @throws DftParseException naming file and line when an output cannot be read (missing or malformed file,
     *                           geometry block, CONTCAR; an atom count or species order that differs from
     *                           {@code initial})
     */
    public static RelaxationOutcome relaxation(DftCode code, Path runDirectory, InputSet inputs, Structure initial) {
        Objects.requireNonNull(code, "code");
        Objects.requireNonNull(runDirectory, "runDirectory");
        Objects.requireNonNull(inputs, "inputs");
        Objects.requireNonNull(initial, "initial");
        if (inputs.code() != code) {
            throw new IllegalArgumentException("input set is for " + inputs.code().id() + ", not " + code.id());
        }
        Path main = runDirectory.resolve(inputs.mainOutput());
        if (!Files.isRegularFile(main)) throw new DftParseException(main, 0, "not found: the run wrote no " + inputs.mainOutput());
        return switch (code) {
            case QE -> QeRelaxationReader.read(main, initial);
            case VASP -> VaspRelaxationReader.read(runDirectory, inputs.mainOutput(),
                    VaspInputGenerator.CONTCAR, initial);
            case CASTEP -> CastepRelaxationReader.read(main, initial);
            case ORCA -> OrcaRelaxationReader.read(main, initial);
        };
    }
}
