package org.crucible.executors.evolution;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Variable-composition fitness (USPEX; Lyakhov et al., Comput. Phys. Commun. 184, 1172 (2013), Sec. 2.4): the
 * distance of a phase above the lower convex hull of formation enthalpies, eV/atom. For phases of a binary A-B with
 * fraction x of B and enthalpy per atom h (eV/atom), the formation enthalpy is H_f = h - (1 - x) h_A - x h_B with
 * h_A, h_B the lowest enthalpies per atom at x = 0 and x = 1 among the phases given; the hull ({@link ConvexHull}) is
 * built over every (x, H_f) and the fitness is H_f - hull(x) (0 on the hull, lower is fitter).
 *
 * <pre>{@code
 * HullFitness f = HullFitness.of(new double[] {0, 0.5, 1}, new double[] {-1, -2, -2}).orElseThrow();
 * f.formationEnthalpy(0.5, -2);   // -0.5 eV/atom
 * f.distance(0.25, -1.3);         // 0.2 eV/atom above the hull
 * }</pre>
 *
 * @param referenceA lowest enthalpy per atom of pure A (x = 0), eV/atom
 * @param referenceB lowest enthalpy per atom of pure B (x = 1), eV/atom
 * @param hull       the lower hull of the formation enthalpies, eV/atom
 */
public record HullFitness(double referenceA, double referenceB, ConvexHull hull) {
    public HullFitness {
        if (!Double.isFinite(referenceA) || !Double.isFinite(referenceB)) throw new IllegalArgumentException("elemental references must be finite");
        java.util.Objects.requireNonNull(hull, "hull");
    }

    /**
     * The fitness of the phases (x_i, h_i); empty when no phase is pure A or none pure B (the formation enthalpy is then
     * undefined). Non-finite enthalpies are ignored.
     */
    public static Optional<HullFitness> of(double[] x, double[] enthalpyPerAtom) {
        if (x.length != enthalpyPerAtom.length) throw new IllegalArgumentException(x.length + " compositions for " + enthalpyPerAtom.length + " enthalpies");
        double ha = Double.POSITIVE_INFINITY, hb = Double.POSITIVE_INFINITY;
        for (int i = 0; i < x.length; i++) {
            if (!Double.isFinite(enthalpyPerAtom[i])) continue;
            if (x[i] == 0) ha = Math.min(ha, enthalpyPerAtom[i]);
            if (x[i] == 1) hb = Math.min(hb, enthalpyPerAtom[i]);
        }
        if (!Double.isFinite(ha) || !Double.isFinite(hb)) return Optional.empty();
        List<ConvexHull.Point> points = new ArrayList<>();
        for (int i = 0; i < x.length; i++) {
            if (Double.isFinite(enthalpyPerAtom[i])) points.add(new ConvexHull.Point(x[i], formation(x[i], enthalpyPerAtom[i], ha, hb)));
        }
        return Optional.of(new HullFitness(ha, hb, ConvexHull.of(points)));
    }

    /** H_f = h - (1 - x) h_A - x h_B, eV/atom. */
    public double formationEnthalpy(double x, double enthalpyPerAtom) {
        return formation(x, enthalpyPerAtom, referenceA, referenceB);
    }

    /** Distance above the hull of a phase at x with enthalpy per atom h, eV/atom (>= 0 for the phases the hull was built from). */
    public double distance(double x, double enthalpyPerAtom) {
        return hull.distance(x, formationEnthalpy(x, enthalpyPerAtom));
    }

    private static double formation(double x, double h, double ha, double hb) {
        return h - (1 - x) * ha - x * hb;
    }
}
