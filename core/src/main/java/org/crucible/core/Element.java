package org.crucible.core;

/**
 * A chemical element: symbol, atomic number Z, standard atomic weight (u, IUPAC 2016; for elements without
 * stable isotopes the mass number of the longest-lived isotope) and single-bond covalent radius (Angstrom,
 * Cordero et al., Dalton Trans. 2008, 2832).
 *
 * <pre>{@code Element si = Elements.bySymbol("Si"); // Z = 14, 28.085 u, 1.11 Angstrom}</pre>
 */
public record Element(String symbol, int z, double mass, double covalentRadius) {
    public Element {
        if (symbol == null || symbol.isEmpty()) throw new IllegalArgumentException("element symbol is empty");
        if (z < 1) throw new IllegalArgumentException("atomic number must be >= 1, got " + z + " for " + symbol);
        if (!(mass > 0)) throw new IllegalArgumentException("mass must be > 0 u, got " + mass + " for " + symbol);
        if (!(covalentRadius > 0)) throw new IllegalArgumentException("covalent radius must be > 0, got " + covalentRadius);
    }

    @Override
    public String toString() {
        return symbol;
    }
}
