package org.crucible.driver.store;

import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;
import org.crucible.core.Cell;
import org.crucible.core.Elements;
import org.crucible.core.Labels;
import org.crucible.core.Structure;

/**
 * Energies of isolated atoms (eV) per atomic number, as written into training files for MACE and similar codes: one
 * frame per element with {@code config_type=IsolatedAtom}, a single atom at the origin of a 20 Angstrom
 * non-periodic box, that energy and zero force. MACE takes its E0s from such frames ({@code --E0s average} is the
 * alternative it offers when there are none).
 *
 * @param energies atomic number -> energy, eV (finite)
 */
public record IsolatedAtomEnergies(Map<Integer, Double> energies) {
    /** The config_type MACE recognises. */
    public static final String CONFIG_TYPE = "IsolatedAtom";
    /** Edge of the box of a written isolated-atom frame, Angstrom. */
    public static final double BOX_ANGSTROM = 20.0;

    public IsolatedAtomEnergies {
        for (Map.Entry<Integer, Double> e : energies.entrySet()) {
            Elements.byZ(e.getKey());
            if (!Double.isFinite(e.getValue())) throw new IllegalArgumentException("isolated-atom energy of Z=" + e.getKey() + " must be finite, got " + e.getValue());
        }
        energies = Collections.unmodifiableMap(new TreeMap<>(energies));
    }

    /** Parses {@code Si=-0.123,O=-1.9} (eV). */
    public static IsolatedAtomEnergies parse(String spec) {
        Map<Integer, Double> m = new TreeMap<>();
        for (String part : spec.split(",")) {
            String p = part.trim();
            int eq = p.indexOf('=');
            if (eq <= 0) throw new IllegalArgumentException("'" + p + "' is not ELEMENT=ENERGY_EV (e.g. Si=-0.123)");
            String sym = p.substring(0, eq).trim();
            int z = Elements.bySymbol(sym).z();
            double e;
            try {
                e = Double.parseDouble(p.substring(eq + 1).trim());
            } catch (NumberFormatException ex) {
                throw new IllegalArgumentException("energy of " + sym + " is not a number: '" + p.substring(eq + 1) + "'");
            }
            if (m.put(z, e) != null) throw new IllegalArgumentException("element " + sym + " given twice");
        }
        return new IsolatedAtomEnergies(m);
    }

    /** The frame of element {@code z}: one atom at the origin of a non-periodic box, energy E0, zero force. */
    public static Structure frame(int z, double energy) {
        double b = BOX_ANGSTROM;
        Cell box = new Cell(new double[] {b, 0, 0, 0, b, 0, 0, 0, b}, new boolean[] {false, false, false});
        return Structure.of(box, new int[] {z}, new double[3], Map.of(), new Labels(energy, new double[3], null));
    }
}
