package org.crucible.driver.interop;

import java.util.Locale;

/**
 * The Bohr and Hartree values used to convert at the i-PI socket. The wire carries atomic units (positions and cell
 * in Bohr, energy in Hartree, forces in Hartree/Bohr, virial in Hartree); Crucible works in Angstrom and eV. Both
 * ends of the socket must use the same constants, or a round trip eV -> Hartree -> eV is off by the relative
 * difference of their Hartree values (1e-8 between CODATA 2014 and 2018, i.e. 3e-6 eV for a 64-atom Si cell).
 *
 * <ul>
 *   <li>{@link #ASE}: ASE's {@code ase.units} (CODATA 2014, derived as ASE derives them): Bohr = 0.5291772105638411
 *       Angstrom, Hartree = 27.211386024367243 eV. The default, because ASE's {@code SocketIOCalculator} converts
 *       with these.</li>
 *   <li>{@link #IPI}: i-PI's unit table (8 significant digits): 1 Angstrom = 1.8897261 Bohr, 1 eV = 0.036749326
 *       Hartree.</li>
 *   <li>{@link #CODATA_2018}: Crucible's own {@link org.crucible.core.units.Units} (CODATA 2018).</li>
 * </ul>
 *
 * @param name           the name on the command line ({@code --units})
 * @param bohrAngstrom   one Bohr in Angstrom
 * @param hartreeEv      one Hartree in eV
 */
public record IpiUnits(String name, double bohrAngstrom, double hartreeEv) {
    public static final IpiUnits ASE = new IpiUnits("ase", 0.5291772105638411, 27.211386024367243);
    public static final IpiUnits IPI = new IpiUnits("ipi", 1.0 / 1.8897261, 1.0 / 0.036749326);
    public static final IpiUnits CODATA_2018 = new IpiUnits("codata2018", org.crucible.core.units.Units.BOHR_TO_ANGSTROM,
            org.crucible.core.units.Units.HARTREE_TO_EV);

    public IpiUnits {
        if (name == null || name.isBlank()) throw new IllegalArgumentException("units need a name");
        if (!(bohrAngstrom > 0.52 && bohrAngstrom < 0.54)) throw new IllegalArgumentException("Bohr must be about 0.529 Angstrom, got " + bohrAngstrom);
        if (!(hartreeEv > 27.2 && hartreeEv < 27.3)) throw new IllegalArgumentException("Hartree must be about 27.21 eV, got " + hartreeEv);
    }

    /** The units named {@code ase}, {@code ipi} or {@code codata2018}. */
    public static IpiUnits byName(String name) {
        return switch (name.toLowerCase(Locale.ROOT)) {
            case "ase" -> ASE;
            case "ipi", "i-pi" -> IPI;
            case "codata2018" -> CODATA_2018;
            default -> throw new IllegalArgumentException("unknown units '" + name + "' (allowed: ase, ipi, codata2018)");
        };
    }
}
