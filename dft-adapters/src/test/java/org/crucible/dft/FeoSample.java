package org.crucible.dft;

/** The FeO relaxation of dft-samples/vasp (VASP 5.3.5, ISIF = 3, 28 ionic steps): values read by hand. */
public final class FeoSample {
    private FeoSample() {
    }

    /**
     * vasprun.xml {@code <structure name="finalpos">} of the sample (8 decimals), written as the CONTCAR VASP
     * writes beside it (the sample folder has no CONTCAR).
     */
    public static final String CONTCAR = "Fe2 O2\n   1.00000000000000\n"
            + "    -2.00559199  0.00000010 -1.15325983\n"
            + "     0.69662020  2.99996462  1.10908915\n"
            + "     3.09594491  0.67547474 -5.38404708\n"
            + "   Fe   O\n     2     2\nDirect\n"
            + "  0.00000000  0.00000000  0.00000000\n"
            + "  0.50000000  0.00000000  0.50000000\n"
            + "  0.00673906  0.01347813  0.69853846\n"
            + "  0.99326094  0.98652187  0.30146154\n";
}
