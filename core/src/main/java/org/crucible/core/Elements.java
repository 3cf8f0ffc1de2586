package org.crucible.core;

import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The periodic table, Z = 1..103: symbols, standard atomic weights (IUPAC 2016) and covalent radii (Cordero
 * 2008). Lookups are exact on the symbol's spelling ("Si", not "SI"); {@link #bySymbol} names the bad input.
 */
public final class Elements {
    private static final Element[] BY_Z;
    private static final Map<String, Element> BY_SYMBOL = new HashMap<>();

    private static Element e(String symbol, int z, double mass, double radius) {
        return new Element(symbol, z, mass, radius);
    }

    static {
        List<Element> all = List.of(
        e("H", 1, 1.008, 0.31),
        e("He", 2, 4.0026, 0.28),
        e("Li", 3, 6.94, 1.28),
        e("Be", 4, 9.01218, 0.96),
        e("B", 5, 10.81, 0.84),
        e("C", 6, 12.011, 0.76),
        e("N", 7, 14.007, 0.71),
        e("O", 8, 15.999, 0.66),
        e("F", 9, 18.9984, 0.57),
        e("Ne", 10, 20.1797, 0.58),
        e("Na", 11, 22.9898, 1.66),
        e("Mg", 12, 24.305, 1.41),
        e("Al", 13, 26.9815, 1.21),
        e("Si", 14, 28.085, 1.11),
        e("P", 15, 30.9738, 1.07),
        e("S", 16, 32.06, 1.05),
        e("Cl", 17, 35.45, 1.02),
        e("Ar", 18, 39.948, 1.06),
        e("K", 19, 39.0983, 2.03),
        e("Ca", 20, 40.078, 1.76),
        e("Sc", 21, 44.9559, 1.70),
        e("Ti", 22, 47.867, 1.60),
        e("V", 23, 50.9415, 1.53),
        e("Cr", 24, 51.9961, 1.39),
        e("Mn", 25, 54.938, 1.39),
        e("Fe", 26, 55.845, 1.32),
        e("Co", 27, 58.9332, 1.26),
        e("Ni", 28, 58.6934, 1.24),
        e("Cu", 29, 63.546, 1.32),
        e("Zn", 30, 65.38, 1.22),
        e("Ga", 31, 69.723, 1.22),
        e("Ge", 32, 72.63, 1.20),
        e("As", 33, 74.9216, 1.19),
        e("Se", 34, 78.971, 1.20),
        e("Br", 35, 79.904, 1.20),
        e("Kr", 36, 83.798, 1.16),
        e("Rb", 37, 85.4678, 2.20),
        e("Sr", 38, 87.62, 1.95),
        e("Y", 39, 88.9058, 1.90),
        e("Zr", 40, 91.224, 1.75),
        e("Nb", 41, 92.9064, 1.64),
        e("Mo", 42, 95.95, 1.54),
        e("Tc", 43, 97.9072, 1.47),
        e("Ru", 44, 101.07, 1.46),
        e("Rh", 45, 102.906, 1.42),
        e("Pd", 46, 106.42, 1.39),
        e("Ag", 47, 107.868, 1.45),
        e("Cd", 48, 112.414, 1.44),
        e("In", 49, 114.818, 1.42),
        e("Sn", 50, 118.71, 1.39),
        e("Sb", 51, 121.76, 1.39),
        e("Te", 52, 127.6, 1.38),
        e("I", 53, 126.904, 1.39),
        e("Xe", 54, 131.293, 1.40),
        e("Cs", 55, 132.905, 2.44),
        e("Ba", 56, 137.327, 2.15),
        e("La", 57, 138.905, 2.07),
        e("Ce", 58, 140.116, 2.04),
        e("Pr", 59, 140.908, 2.03),
        e("Nd", 60, 144.242, 2.01),
        e("Pm", 61, 144.913, 1.99),
        e("Sm", 62, 150.36, 1.98),
        e("Eu", 63, 151.964, 1.98),
        e("Gd", 64, 157.25, 1.96),
        e("Tb", 65, 158.925, 1.94),
        e("Dy", 66, 162.5, 1.92),
        e("Ho", 67, 164.93, 1.92),
        e("Er", 68, 167.259, 1.89),
        e("Tm", 69, 168.934, 1.90),
        e("Yb", 70, 173.054, 1.87),
        e("Lu", 71, 174.967, 1.87),
        e("Hf", 72, 178.49, 1.75),
        e("Ta", 73, 180.948, 1.70),
        e("W", 74, 183.84, 1.62),
        e("Re", 75, 186.207, 1.51),
        e("Os", 76, 190.23, 1.44),
        e("Ir", 77, 192.217, 1.41),
        e("Pt", 78, 195.084, 1.36),
        e("Au", 79, 196.967, 1.36),
        e("Hg", 80, 200.592, 1.32),
        e("Tl", 81, 204.38, 1.45),
        e("Pb", 82, 207.2, 1.46),
        e("Bi", 83, 208.98, 1.48),
        e("Po", 84, 208.982, 1.40),
        e("At", 85, 209.987, 1.50),
        e("Rn", 86, 222.018, 1.50),
        e("Fr", 87, 223.02, 2.60),
        e("Ra", 88, 226.025, 2.21),
        e("Ac", 89, 227.028, 2.15),
        e("Th", 90, 232.038, 2.06),
        e("Pa", 91, 231.036, 2.00),
        e("U", 92, 238.029, 1.96),
        e("Np", 93, 237.048, 1.90),
        e("Pu", 94, 244.064, 1.87),
        e("Am", 95, 243.061, 1.80),
        e("Cm", 96, 247.07, 1.69),
        e("Bk", 97, 247.07, 0.20),
        e("Cf", 98, 251.08, 0.20),
        e("Es", 99, 252.083, 0.20),
        e("Fm", 100, 257.095, 0.20),
        e("Md", 101, 258.098, 0.20),
        e("No", 102, 259.101, 0.20),
        e("Lr", 103, 262.11, 0.20)
        );
        BY_Z = new Element[all.size() + 1];
        for (Element el : all) {
            BY_Z[el.z()] = el;
            BY_SYMBOL.put(el.symbol(), el);
        }
    }

    private Elements() {
    }

    /** Largest atomic number in the table. */
    public static int maxZ() {
        return BY_Z.length - 1;
    }

    /** The element with atomic number {@code z}; IllegalArgumentException naming z when out of range. */
    public static Element byZ(int z) {
        if (z < 1 || z >= BY_Z.length) throw new IllegalArgumentException("no element with atomic number " + z);
        return BY_Z[z];
    }

    /** The element with this symbol (case-sensitive, as printed in the periodic table). */
    public static Element bySymbol(String symbol) {
        Element el = BY_SYMBOL.get(symbol);
        if (el == null) {
            String hint = "";
            if (symbol != null && !symbol.isEmpty()) {
                String fixed = symbol.substring(0, 1).toUpperCase(Locale.ROOT) + symbol.substring(1).toLowerCase(Locale.ROOT);
                if (BY_SYMBOL.containsKey(fixed)) hint = " (did you mean '" + fixed + "'?)";
            }
            throw new IllegalArgumentException("unknown chemical element '" + symbol + "'" + hint);
        }
        return el;
    }

    /** True when {@code symbol} is a known element symbol. */
    public static boolean isSymbol(String symbol) {
        return BY_SYMBOL.containsKey(symbol);
    }
}
