package org.crucible.executors.symmetry;

/** The seven crystal systems, with the range of space-group numbers of each (International Tables, vol. A). */
public enum CrystalSystem {
    TRICLINIC(1, 2), MONOCLINIC(3, 15), ORTHORHOMBIC(16, 74), TETRAGONAL(75, 142), TRIGONAL(143, 167),
    HEXAGONAL(168, 194), CUBIC(195, 230);

    private final int first;
    private final int last;

    CrystalSystem(int first, int last) {
        this.first = first;
        this.last = last;
    }

    /** The crystal system of space group {@code number} (1..230). */
    public static CrystalSystem ofSpaceGroup(int number) {
        for (CrystalSystem s : values()) {
            if (number >= s.first && number <= s.last) return s;
        }
        throw new IllegalArgumentException("space group number must be 1..230, got " + number);
    }
}
