package org.crucible.dft;

import org.crucible.dft.qe.QeOutputParser;

/** The output parser for each code. */
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
}
