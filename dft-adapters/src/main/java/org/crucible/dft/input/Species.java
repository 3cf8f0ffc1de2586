package org.crucible.dft.input;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.crucible.core.Structure;

/** Small helpers shared by the writers: species in order of first appearance and Fortran-friendly numbers. */
public final class Species {
    private Species() {
    }

    /** Element symbols in order of first appearance in the structure (the order every writer lists species). */
    public static List<String> inOrder(Structure s) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < s.size(); i++) if (!out.contains(s.symbol(i))) out.add(s.symbol(i));
        return out;
    }

    /** A coordinate or lattice component: fixed 12 decimals (1e-12 Angstrom, far below any code's precision). */
    public static String fixed(double v) {
        String s = String.format(Locale.ROOT, "%.12f", v);
        return s.equals("-0.000000000000") ? "0.000000000000" : s;
    }

    /** A Fortran namelist literal: text quoted, booleans .true./.false., reals with a d exponent. */
    public static String fortran(Object v) {
        if (v instanceof Boolean b) return b ? ".true." : ".false.";
        if (v instanceof Integer || v instanceof Long) return v.toString();
        if (v instanceof Double d) return Double.toString(d).replace("E", "d");
        String s = String.valueOf(v);
        return "'" + s.replace("'", "''") + "'";
    }
}
