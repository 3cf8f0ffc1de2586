package org.crucible.core.units;

/**
 * Physical constants (CODATA 2018) and the conversions Crucible applies at every adapter boundary.
 *
 * <p>Public units inside Crucible: energy eV, length Angstrom, force eV/Angstrom, stress eV/Angstrom^3 in
 * files that ASE reads and GPa in human-facing output, pressure GPa. Stress follows ASE: Voigt order
 * xx, yy, zz, yz, xz, xy; a positive component means the cell wants to shrink along it (tensile stress is
 * negative pressure); pressure = -trace/3. Multiply a value in the unit named before "_TO_" to get it in the
 * unit after it: {@code double eV = ry * Units.RY_TO_EV;}
 */
public final class Units {
    private Units() {
    }

    /** Hartree energy in eV (CODATA 2018: 27.211386245988 eV). */
    public static final double HARTREE_TO_EV = 27.211386245988;
    /** Rydberg energy in eV (half a Hartree: 13.605693122994 eV). */
    public static final double RY_TO_EV = HARTREE_TO_EV / 2.0;
    /** Bohr radius in Angstrom (CODATA 2018: 0.529177210903 Angstrom). */
    public static final double BOHR_TO_ANGSTROM = 0.529177210903;
    /** Elementary charge in C (exact since 2019); 1 eV = this many J. */
    public static final double ELEMENTARY_CHARGE = 1.602176634e-19;
    /** Boltzmann constant in eV/K (exact: 8.617333262e-5). */
    public static final double BOLTZMANN_EV_PER_K = 8.617333262e-5;
    /** Atomic mass constant in kg (CODATA 2018). */
    public static final double ATOMIC_MASS_KG = 1.66053906660e-27;
    /** Avogadro constant in 1/mol (exact). */
    public static final double AVOGADRO = 6.02214076e23;

    /** 1 eV/Angstrom^3 in GPa: e * 1e30 / 1e9 = 160.2176634 GPa (exact since the 2019 SI). */
    public static final double EV_PER_A3_TO_GPA = ELEMENTARY_CHARGE * 1e21;
    public static final double GPA_TO_EV_PER_A3 = 1.0 / EV_PER_A3_TO_GPA;
    /** 1 kbar = 0.1 GPa. */
    public static final double KBAR_TO_GPA = 0.1;
    public static final double KBAR_TO_EV_PER_A3 = KBAR_TO_GPA * GPA_TO_EV_PER_A3;
    public static final double GPA_TO_KBAR = 10.0;

    public static final double RY_PER_BOHR_TO_EV_PER_A = RY_TO_EV / BOHR_TO_ANGSTROM;
    public static final double HARTREE_PER_BOHR_TO_EV_PER_A = HARTREE_TO_EV / BOHR_TO_ANGSTROM;
    public static final double RY_PER_BOHR3_TO_EV_PER_A3 = RY_TO_EV / (BOHR_TO_ANGSTROM * BOHR_TO_ANGSTROM * BOHR_TO_ANGSTROM);
    public static final double HARTREE_PER_BOHR3_TO_EV_PER_A3 = 2.0 * RY_PER_BOHR3_TO_EV_PER_A3;
    public static final double HARTREE_PER_BOHR3_TO_GPA = HARTREE_PER_BOHR3_TO_EV_PER_A3 * EV_PER_A3_TO_GPA;

    /** Pressure (GPa) from a stress in ASE convention (eV/Angstrom^3, Voigt xx,yy,zz,yz,xz,xy): -trace/3. */
    public static double pressureGPa(double[] voigtEvPerA3) {
        if (voigtEvPerA3 == null || voigtEvPerA3.length != 6) {
            throw new IllegalArgumentException("stress must have 6 Voigt components, got "
                    + (voigtEvPerA3 == null ? "null" : voigtEvPerA3.length));
        }
        return -(voigtEvPerA3[0] + voigtEvPerA3[1] + voigtEvPerA3[2]) / 3.0 * EV_PER_A3_TO_GPA;
    }

    /** Converts a Voigt stress from eV/Angstrom^3 to GPa (new array). */
    public static double[] stressToGPa(double[] voigtEvPerA3) {
        double[] out = new double[voigtEvPerA3.length];
        for (int i = 0; i < out.length; i++) out[i] = voigtEvPerA3[i] * EV_PER_A3_TO_GPA;
        return out;
    }

    /** Converts a 3x3 tensor (row-major, 9 values) to Voigt xx,yy,zz,yz,xz,xy (symmetrised off-diagonals). */
    public static double[] toVoigt(double[] m) {
        if (m.length != 9) throw new IllegalArgumentException("3x3 tensor needs 9 values, got " + m.length);
        return new double[] {m[0], m[4], m[8], 0.5 * (m[5] + m[7]), 0.5 * (m[2] + m[6]), 0.5 * (m[1] + m[3])};
    }

    /** Converts Voigt xx,yy,zz,yz,xz,xy to a symmetric row-major 3x3 tensor. */
    public static double[] fromVoigt(double[] v) {
        if (v.length != 6) throw new IllegalArgumentException("Voigt vector needs 6 values, got " + v.length);
        return new double[] {v[0], v[5], v[4], v[5], v[1], v[3], v[4], v[3], v[2]};
    }
}
