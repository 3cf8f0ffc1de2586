package org.crucible.dft;

import java.util.Locale;

/**
 * The DFT codes Crucible writes inputs for and reads outputs from. {@link #id()} is the lower-case name used on
 * the command line and in settings files ({@code vasp}, {@code qe}, {@code castep}, {@code orca}).
 */
public enum DftCode {
    /** VASP (periodic, plane waves, PAW). */
    VASP("vasp", true),
    /** Quantum ESPRESSO pw.x (periodic, plane waves). */
    QE("qe", true),
    /** CASTEP (periodic, plane waves). */
    CASTEP("castep", true),
    /** ORCA (molecular, Gaussian basis); refuses periodic structures. */
    ORCA("orca", false);

    private final String id;
    private final boolean periodic;

    DftCode(String id, boolean periodic) {
        this.id = id;
        this.periodic = periodic;
    }

    /** The name used on the command line and in settings files. */
    public String id() {
        return id;
    }

    /** Whether the code treats the cell as periodic (false: molecules only). */
    public boolean periodic() {
        return periodic;
    }

    /** Parses {@code vasp|qe|castep|orca} (case-insensitive; {@code espresso}/{@code pw} also mean QE). */
    public static DftCode parse(String name) {
        String n = name == null ? "" : name.trim().toLowerCase(Locale.ROOT);
        switch (n) {
            case "espresso", "pw", "pw.x", "quantum-espresso", "quantumespresso" -> {
                return QE;
            }
            default -> {
                for (DftCode c : values()) if (c.id.equals(n)) return c;
                throw new IllegalArgumentException("unknown DFT code '" + name + "': expected one of vasp, qe, castep, orca");
            }
        }
    }
}
