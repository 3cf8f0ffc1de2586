package org.crucible.executors.descriptors;

import java.util.EnumSet;
import java.util.Set;
import org.crucible.core.Elements;
import org.crucible.core.Labels;
import org.crucible.core.Structure;
import org.crucible.core.neighbors.NeighborList;
import org.crucible.executors.calculators.CalculationException;
import org.crucible.executors.calculators.Calculator;

/**
 * Short-range Ziegler-Biersack-Littmark (ZBL) screened-nuclear repulsion, switched off smoothly, to add to a
 * linear ACE model so that atoms never collapse where the training data has no pairs (the role of HAL's
 * auxiliary repulsive pair term).
 *
 * <p>E = sum_{i&lt;j} phi(r_ij) S(r_ij) with phi(r) = k_e Z_i Z_j / r sum_k c_k exp(-d_k r / a),
 * a = 0.46850 / (Z_i^0.23 + Z_j^0.23) Angstrom, k_e = e^2 / (4 pi eps0) = 14.399645 eV Angstrom,
 * (c, d) = ((0.18175, 3.19980), (0.50986, 0.94229), (0.28022, 0.40290), (0.02817, 0.20162))
 * (Ziegler, Biersack, Littmark, The Stopping and Range of Ions in Solids, 1985). The switch
 * S = 1 - 10 t^3 + 15 t^4 - 6 t^5, t = (r - r1) / (r2 - r1), is C2; r1 = innerFraction x (covalent-radius sum),
 * r2 = outerFraction x (covalent-radius sum), so the term vanishes (with two derivatives) before bonding
 * distances. Units: eV, eV/Angstrom, eV/Angstrom^3 (ASE stress convention). Stateless and thread-safe.
 *
 * @see AceBasis
 */
public final class ZblRepulsion implements Calculator, java.io.Serializable {
    private static final long serialVersionUID = 1L;
    private static final double KE = 14.399645;
    private static final double[] C = {0.18175, 0.50986, 0.28022, 0.02817};
    private static final double[] D = {3.19980, 0.94229, 0.40290, 0.20162};

    private final double innerFraction;
    private final double outerFraction;

    /** Defaults: switch from 0.5 to 0.85 of the covalent-radius sum (Si-Si: 1.11 to 1.89 Angstrom). */
    public ZblRepulsion() {
        this(0.5, 0.85);
    }

    public ZblRepulsion(double innerFraction, double outerFraction) {
        if (!(innerFraction > 0) || !(outerFraction > innerFraction)) {
            throw new IllegalArgumentException("ZBL switch fractions must satisfy 0 < inner < outer, got " + innerFraction + ", " + outerFraction);
        }
        this.innerFraction = innerFraction;
        this.outerFraction = outerFraction;
    }

    @Override
    public Set<Property> implementedProperties() {
        return EnumSet.allOf(Property.class);
    }

    @Override
    public String name() {
        return "zbl(" + innerFraction + "," + outerFraction + ")";
    }

    @Override
    public Labels calculate(Structure s) {
        int n = s.size();
        double maxCov = 0;
        for (int i = 0; i < n; i++) maxCov = Math.max(maxCov, Elements.byZ(s.atomicNumber(i)).covalentRadius());
        double[] forces = new double[3 * n];
        double[] v = new double[9];
        double energy = 0;
        if (n > 0) {
            NeighborList nl = NeighborList.build(s, Math.max(1e-3, 2 * maxCov * outerFraction));
            for (int i = 0; i < n; i++) {
                int zi = s.atomicNumber(i);
                for (int k = nl.start(i); k < nl.start(i + 1); k++) {
                    int j = nl.neighbor(k);
                    int zj = s.atomicNumber(j);
                    double r = nl.distance(k);
                    double cov = Elements.byZ(zi).covalentRadius() + Elements.byZ(zj).covalentRadius();
                    double r1 = innerFraction * cov, r2 = outerFraction * cov;
                    if (r >= r2) continue;
                    if (r < 1e-8) throw new CalculationException("ZBL: atoms " + i + " and " + j + " coincide");
                    double[] pe = pair(zi, zj, r, r1, r2);
                    // every pair is listed twice; each half carries half the energy
                    energy += 0.5 * pe[0];
                    double g = 0.5 * pe[1] / r; // dE/dr_ij (vector) = g * r_ij
                    double dx = nl.dx(k), dy = nl.dy(k), dz = nl.dz(k);
                    forces[3 * j] -= g * dx;
                    forces[3 * j + 1] -= g * dy;
                    forces[3 * j + 2] -= g * dz;
                    forces[3 * i] += g * dx;
                    forces[3 * i + 1] += g * dy;
                    forces[3 * i + 2] += g * dz;
                    double[] d = {dx, dy, dz};
                    for (int a = 0; a < 3; a++) for (int b = 0; b < 3; b++) v[3 * a + b] += g * d[a] * d[b];
                }
            }
        }
        double[] stress = null;
        if (s.cell().isFullyPeriodic() && s.cell().hasVolume()) {
            double iv = 1 / Math.abs(s.cell().volume());
            stress = new double[] {v[0] * iv, v[4] * iv, v[8] * iv, v[5] * iv, v[2] * iv, v[1] * iv};
        }
        if (!Double.isFinite(energy)) throw new CalculationException("ZBL energy is not finite for " + s.formula());
        return new Labels(energy, forces, stress);
    }

    /** {phi S, d(phi S)/dr} for one pair. */
    static double[] pair(int zi, int zj, double r, double r1, double r2) {
        double a = 0.46850 / (Math.pow(zi, 0.23) + Math.pow(zj, 0.23));
        double pre = KE * zi * zj;
        double screen = 0, dscreen = 0;
        for (int k = 0; k < 4; k++) {
            double e = C[k] * Math.exp(-D[k] * r / a);
            screen += e;
            dscreen -= D[k] / a * e;
        }
        double phi = pre * screen / r;
        double dphi = pre * (dscreen / r - screen / (r * r));
        double sw = 1, dsw = 0;
        if (r > r1) {
            double t = (r - r1) / (r2 - r1);
            sw = 1 - t * t * t * (10 - 15 * t + 6 * t * t);
            dsw = -30 * t * t * (1 - t) * (1 - t) / (r2 - r1);
        }
        return new double[] {phi * sw, dphi * sw + phi * dsw};
    }
}
