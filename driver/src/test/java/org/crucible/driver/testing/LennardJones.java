package org.crucible.driver.testing;

import java.io.Serializable;
import java.util.EnumSet;
import java.util.Set;
import org.crucible.core.Labels;
import org.crucible.core.Structure;
import org.crucible.core.neighbors.NeighborList;
import org.crucible.executors.calculators.CalculationException;
import org.crucible.executors.calculators.Calculator;

/**
 * Test fixture: a shifted-energy Lennard-Jones calculator, E = sum_{i<j} 4 eps [(s/r)^12 - (s/r)^6] for r < rc, with
 * analytic forces and virial stress. A cheap real calculator for driver tests (the product's LJ lives in the
 * calculators package once it lands).
 */
public record LennardJones(double epsilon, double sigma, double cutoff) implements Calculator, Serializable {
    private static final long serialVersionUID = 1L;

    @Override
    public Set<Property> implementedProperties() {
        return EnumSet.allOf(Property.class);
    }

    @Override
    public Labels calculate(Structure s) {
        NeighborList nl = NeighborList.build(s, cutoff);
        int n = s.size();
        double e = 0;
        double[] f = new double[3 * n];
        double[] virial = new double[6];
        for (int i = 0; i < n; i++) {
            for (int k = nl.start(i); k < nl.start(i + 1); k++) {
                double r = nl.distance(k);
                if (r < 1e-8) throw new CalculationException("coincident atoms in " + s.formula() + " " + s.contentHash());
                double sr6 = Math.pow(sigma / r, 6);
                e += 0.5 * 4 * epsilon * (sr6 * sr6 - sr6);
                double dEdr = 4 * epsilon * (-12 * sr6 * sr6 + 6 * sr6) / r;
                double[] d = {nl.dx(k), nl.dy(k), nl.dz(k)};
                for (int a = 0; a < 3; a++) f[3 * i + a] += dEdr * d[a] / r;
                double h = 0.5 * dEdr / r;
                virial[0] += h * d[0] * d[0];
                virial[1] += h * d[1] * d[1];
                virial[2] += h * d[2] * d[2];
                virial[3] += h * d[1] * d[2];
                virial[4] += h * d[0] * d[2];
                virial[5] += h * d[0] * d[1];
            }
        }
        double[] stress = null;
        if (s.cell().isFullyPeriodic()) {
            stress = new double[6];
            for (int a = 0; a < 6; a++) stress[a] = virial[a] / s.cell().volume();
        }
        if (!Double.isFinite(e)) throw new CalculationException("non-finite LJ energy for " + s.formula());
        return new Labels(e, f, stress);
    }

    @Override
    public String name() {
        return "lj-fixture";
    }
}
