package org.crucible.core;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The ordered, immutable set of extra per-atom columns ({@link AtomProperty}) a {@link Structure} carries, the
 * analogue of ASE's {@code Atoms.arrays} minus the columns Crucible models itself. Species, positions and forces
 * live in the structure and its {@link Labels}, so the names {@value #RESERVED_NAMES} are refused here.
 *
 * <pre>{@code
 * AtomProperties p = AtomProperties.NONE.with(AtomProperty.integers("tags", 1, new long[] {0, 1}));
 * Structure tagged = structure.withAtomProperties(p);
 * }</pre>
 */
public final class AtomProperties {
    /** Names carried by {@link Structure} itself (species, positions, atomic numbers, forces). */
    public static final String RESERVED_NAMES = "species, pos, Z, forces";
    private static final Set<String> RESERVED = Set.of("species", "pos", "Z", "forces");

    /** No extra columns. */
    public static final AtomProperties NONE = new AtomProperties(Map.of());

    private final Map<String, AtomProperty> columns;

    private AtomProperties(Map<String, AtomProperty> columns) {
        this.columns = columns;
    }

    /** Columns in the given order; names must be distinct, not reserved, and all columns must cover the same atoms. */
    public static AtomProperties of(List<AtomProperty> properties) {
        AtomProperties out = NONE;
        for (AtomProperty p : properties) out = out.with(p);
        return out;
    }

    /** A copy with this column added (or replaced, keeping its position). */
    public AtomProperties with(AtomProperty p) {
        if (RESERVED.contains(p.name())) {
            throw new IllegalArgumentException("per-atom property '" + p.name() + "' is reserved (" + RESERVED_NAMES
                    + " are carried by Structure and Labels)");
        }
        if (!columns.isEmpty()) {
            int n = columns.values().iterator().next().atoms();
            if (p.atoms() != n && !(columns.size() == 1 && columns.containsKey(p.name()))) {
                throw new IllegalArgumentException("per-atom property '" + p.name() + "' covers " + p.atoms()
                        + " atoms but the others cover " + n);
            }
        }
        Map<String, AtomProperty> m = new LinkedHashMap<>(columns);
        m.put(p.name(), p);
        return new AtomProperties(Collections.unmodifiableMap(m));
    }

    /** A copy without the named column (unchanged when absent). */
    public AtomProperties without(String name) {
        if (!columns.containsKey(name)) return this;
        Map<String, AtomProperty> m = new LinkedHashMap<>(columns);
        m.remove(name);
        return m.isEmpty() ? NONE : new AtomProperties(Collections.unmodifiableMap(m));
    }

    public Optional<AtomProperty> get(String name) {
        return Optional.ofNullable(columns.get(name));
    }

    public boolean contains(String name) {
        return columns.containsKey(name);
    }

    /** Column names in order. */
    public List<String> names() {
        return List.copyOf(columns.keySet());
    }

    /** Columns in order. */
    public List<AtomProperty> list() {
        return new ArrayList<>(columns.values());
    }

    public boolean isEmpty() {
        return columns.isEmpty();
    }

    /** Number of columns. */
    public int size() {
        return columns.size();
    }

    /** Atoms covered, or -1 when there are no columns. */
    public int atoms() {
        return columns.isEmpty() ? -1 : columns.values().iterator().next().atoms();
    }

    /** Every column restricted to (or reordered as) the given atoms. */
    public AtomProperties select(int[] atomsInOrder) {
        AtomProperties out = NONE;
        for (AtomProperty p : columns.values()) out = out.with(p.select(atomsInOrder));
        return out;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof AtomProperties p && new ArrayList<>(columns.values()).equals(new ArrayList<>(p.columns.values()));
    }

    @Override
    public int hashCode() {
        return columns.keySet().hashCode();
    }

    @Override
    public String toString() {
        return "AtomProperties" + columns.values();
    }
}
