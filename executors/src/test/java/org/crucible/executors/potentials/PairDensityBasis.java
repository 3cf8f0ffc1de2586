package org.crucible.executors.potentials;

import java.util.LinkedHashMap;
import java.util.Map;
import org.crucible.core.Structure;
import org.crucible.core.neighbors.NeighborList;
import org.crucible.executors.descriptors.LinearBasis;
import org.crucible.executors.descriptors.LinearBasisFactory;

/**
 * A small many-body test basis (element-agnostic, EAM-like): per atom the pair densities
 * rho_n = sum_j f_n(r_ij), f_n(r) = (1 - r/rc)^2 (r/rc)^n for n < P, and their squares rho_n^2 (F = 2P). Exact
 * forces and stress by the chain rule, so it exercises every part of the LinearBasis contract.
 */
public final class PairDensityBasis implements LinearBasis {
    private static final long serialVersionUID = 1L;
    final int p;
    final double cutoff;

    public PairDensityBasis(int p, double cutoff) {
        this.p = p;
        this.cutoff = cutoff;
    }

    @Override
    public int size() {
        return 2 * p;
    }

    @Override
    public Map<String, Object> spec() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("type", "pair-density-test");
        m.put("degree", p);
        m.put("cutoff", cutoff);
        return m;
    }

    private double[] rho(Structure s, NeighborList nl) {
        int n = s.size();
        double[] rho = new double[n * p];
        for (int i = 0; i < n; i++) {
            for (int k = nl.start(i); k < nl.start(i) + nl.count(i); k++) {
                double x = nl.distance(k) / cutoff;
                double w = (1 - x) * (1 - x), pw = 1;
                for (int q = 0; q < p; q++) {
                    rho[i * p + q] += w * pw;
                    pw *= x;
                }
            }
        }
        return rho;
    }

    @Override
    public double[] atomicFeatures(Structure s) {
        NeighborList nl = NeighborList.build(s, cutoff);
        double[] rho = rho(s, nl);
        int n = s.size(), f = size();
        double[] b = new double[n * f];
        for (int i = 0; i < n; i++) {
            for (int q = 0; q < p; q++) {
                b[i * f + q] = rho[i * p + q];
                b[i * f + p + q] = rho[i * p + q] * rho[i * p + q];
            }
        }
        return b;
    }

    @Override
    public DesignRows designRows(Structure s) {
        NeighborList nl = NeighborList.build(s, cutoff);
        double[] rho = rho(s, nl);
        int n = s.size(), f = size();
        double[] energy = new double[f];
        double[] forces = new double[3 * n * f];
        double[] stress = new double[6 * f];
        for (int i = 0; i < n; i++) {
            for (int q = 0; q < p; q++) {
                energy[q] += rho[i * p + q];
                energy[p + q] += rho[i * p + q] * rho[i * p + q];
            }
        }
        boolean periodic = s.cell().isFullyPeriodic() && s.cell().hasVolume();
        double vol = periodic ? s.cell().volume() : 1;
        for (int i = 0; i < n; i++) {
            for (int k = nl.start(i); k < nl.start(i) + nl.count(i); k++) {
                int j = nl.neighbor(k);
                double r = nl.distance(k);
                double[] d = {nl.dx(k), nl.dy(k), nl.dz(k)};
                double x = r / cutoff;
                for (int q = 0; q < p; q++) {
                    // d f_q / dr
                    double fp = (-2 * (1 - x) * Math.pow(x, q) + (q == 0 ? 0 : (1 - x) * (1 - x) * q * Math.pow(x, q - 1))) / cutoff;
                    for (int t = 0; t < 2; t++) {
                        int col = t * p + q;
                        double g = t == 0 ? 1 : 2 * rho[i * p + q];
                        for (int a = 0; a < 3; a++) {
                            double c = g * fp * d[a] / r;
                            forces[(3 * i + a) * f + col] += c;
                            forces[(3 * j + a) * f + col] -= c;
                        }
                        if (periodic) {
                            double c = g * fp / r / vol;
                            stress[0 * f + col] += c * d[0] * d[0];
                            stress[1 * f + col] += c * d[1] * d[1];
                            stress[2 * f + col] += c * d[2] * d[2];
                            stress[3 * f + col] += c * d[1] * d[2];
                            stress[4 * f + col] += c * d[0] * d[2];
                            stress[5 * f + col] += c * d[0] * d[1];
                        }
                    }
                }
            }
        }
        return new DesignRows(energy, forces, stress);
    }

    @Override
    public CommitteeEvaluation evaluate(Structure s, double[][] coefficients) {
        DesignRows rows = designRows(s);
        int f = size(), k = coefficients.length, n3 = 3 * s.size();
        double[] e = new double[k];
        double[][] fo = new double[k][n3];
        double[][] st = new double[k][6];
        for (int m = 0; m < k; m++) {
            double[] c = coefficients[m];
            for (int j = 0; j < f; j++) e[m] += rows.energy()[j] * c[j];
            for (int r = 0; r < n3; r++) for (int j = 0; j < f; j++) fo[m][r] += rows.forces()[r * f + j] * c[j];
            for (int r = 0; r < 6; r++) for (int j = 0; j < f; j++) st[m][r] += rows.stress()[r * f + j] * c[j];
        }
        return new CommitteeEvaluation(e, fo, st);
    }

    /** Factory registered in the test services file. */
    public static final class Factory implements LinearBasisFactory {
        @Override
        public LinearBasis fromSpec(Map<String, Object> spec) {
            Object degree = spec.get("degree"), cutoff = spec.get("cutoff");
            if (!(degree instanceof Number) || !(cutoff instanceof Number)) throw new IllegalArgumentException("pair-density-test spec needs numeric 'degree' and 'cutoff'");
            return new PairDensityBasis(((Number) degree).intValue(), ((Number) cutoff).doubleValue());
        }

        @Override
        public boolean accepts(Map<String, Object> spec) {
            return "pair-density-test".equals(spec.get("type"));
        }
    }
}
