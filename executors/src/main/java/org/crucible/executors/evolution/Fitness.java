package org.crucible.executors.evolution;

import org.crucible.core.Structure;
import org.crucible.core.units.Units;

/**
 * USPEX fitness: enthalpy per atom, H/N = (E + p V) / N in eV/atom, with E the structure's energy label (eV),
 * V its volume (Angstrom^3) and p the pressure (GPa, converted to eV/Angstrom^3). Lower is fitter.
 */
public final class Fitness {
    private Fitness() {
    }

    /**
     * @param pressureGPa external pressure, GPa
     * @throws IllegalArgumentException when the structure has no energy label
     */
    public static double enthalpyPerAtom(Structure s, double pressureGPa) {
        if (!s.labels().hasEnergy()) throw new IllegalArgumentException("fitness needs an energy: " + s.formula() + " has no energy label");
        double h = s.labels().energy() + pressureGPa * Units.GPA_TO_EV_PER_A3 * s.cell().volume();
        return h / s.size();
    }
}
