package org.crucible.dft.io;

import java.util.Locale;
import org.crucible.core.Cell;
import org.crucible.core.Structure;
import org.crucible.dft.DftParseException;
import org.crucible.dft.DftResult;

/** Helpers the relaxation readers share: building the relaxed structure and checking it against the initial one. */
public final class RelaxedGeometry {
    private RelaxedGeometry() {
    }

    /**
     * {@code initial} with a new cell (lattice vectors as rows, Angstrom, 9 values; null keeps the initial cell)
     * and Cartesian positions (Angstrom, flat 3n, in the initial atom order); species, info and per-atom
     * columns are kept, labels dropped.
     */
    public static Structure of(Structure initial, double[] cellRows, double[] xyz) {
        Structure s = initial;
        if (cellRows != null) s = s.withCell(new Cell(cellRows, initial.cell().pbc()), false);
        return s.withPositions(xyz);
    }

    /**
     * Whether a code's species label names the element {@code symbol}: equal ignoring case, or the symbol
     * followed by a non-letter ({@code Fe1}, {@code Fe_up}, {@code Si:tag}), so {@code S} never matches {@code Si}.
     */
    public static boolean sameSpecies(String label, String symbol) {
        String l = label.toLowerCase(Locale.ROOT);
        String s = symbol.toLowerCase(Locale.ROOT);
        if (l.equals(s)) return true;
        return l.startsWith(s) && !Character.isLetter(l.charAt(s.length()));
    }

    /** Refuses an output whose atom count differs from the initial structure's (the wrong directory or input). */
    public static void requireAtomCount(DftResult r, Structure initial, String file) {
        if (r.nAtoms() > 0 && r.nAtoms() != initial.size()) {
            throw new DftParseException(file, 0, "the output is for " + r.nAtoms() + " atoms but the relaxed structure "
                    + initial.formula() + " has " + initial.size() + " (wrong run directory or input structure?)");
        }
    }
}
