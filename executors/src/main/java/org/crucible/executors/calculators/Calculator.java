package org.crucible.executors.calculators;

import java.util.Set;
import org.crucible.core.Labels;
import org.crucible.core.Structure;

/**
 * Computes energy (eV), forces (eV/Angstrom) and stress (eV/Angstrom^3, ASE convention: Voigt xx, yy, zz, yz,
 * xz, xy, sigma = (1/V) dE/d(strain), positive when the cell wants to shrink) of a {@link Structure}, in the
 * sense of ASE's Calculator. A calculator declares what it implements; results come back as {@link Labels}.
 *
 * <p>Implementations must be safe to call from many threads at once (stateless, or documented otherwise),
 * because Spark executors share one broadcast instance between task threads.
 */
public interface Calculator {

    /** The properties a calculator can compute. */
    enum Property { ENERGY, FORCES, STRESS }

    /** What this calculator implements; asking {@link #calculate} for anything else is an error. */
    Set<Property> implementedProperties();

    /**
     * Energy, forces and (for periodic structures, when implemented) stress of {@code s}.
     *
     * @throws CalculationException when the structure is outside what the calculator can handle (an element
     *                              its parameters do not cover, coincident atoms, a non-finite result)
     */
    Labels calculate(Structure s);

    /** A short name for logs and provenance, e.g. "sw(Si.sw)". */
    default String name() {
        return getClass().getSimpleName();
    }
}
