package org.crucible.executors.calculators;

import org.crucible.executors.descriptors.NearestNeighbourEntropy;

/**
 * The entropy-maximisation effective energy (entropy-maximisation paper, Sec. 1):
 * <pre>
 *   V = E_rep - K S({q}),   E_rep = E_0 sum_{pairs r &lt; r_h} (r_h / r - 1)^3
 * </pre>
 * (eV), with S the Kozachenko-Leonenko nearest-neighbour entropy ({@link NearestNeighbourEntropy}, nats) of the
 * standardised per-atom descriptors q_i ({@link EnvironmentFeatures}) of the configuration, and K (eV) the bias
 * strength. The repulsion is zero with zero first and second derivatives at the hard-core radius r_h (Angstrom),
 * equals E_0 at r = r_h/2 and diverges at r = 0, so atoms cannot pass through each other however large K is.
 * Forces (eV/Angstrom) are exact: dS/dq from the estimator, then the chain rule through the descriptor derivatives;
 * the stress (eV/Angstrom^3, ASE convention) follows from the virial because q depends on interatomic vectors only.
 * The nearest neighbour in descriptor space changes discontinuously, so V is piecewise smooth; within a piece the
 * forces are the exact gradient.
 *
 * <pre>{@code
 * var v = new EntropyEffectiveEnergy(EnvironmentFeatures.tungsten(0.03), 1.0, 2.0, 100.0, "W");
 * Labels l = v.calculate(cell);       // energy V, forces -dV/dx, stress
 * double s = v.entropy(cell);         // S (nats)
 * }</pre>
 *
 * <p>Immutable, serializable and thread-safe; {@link #withK} gives the same terms at another bias strength (the
 * annealing schedule changes K along the run).
 */
public final class EntropyEffectiveEnergy extends ShortRangeCalculator {
    private static final long serialVersionUID = 1L;

    private final EnvironmentFeatures features;
    private final double e0;
    private final double hardCore;
    private final double k;
    private final String[] speciesList;

    /**
     * @param features     the per-atom descriptors
     * @param repulsionEv  E_0 (eV), at least 0
     * @param hardCoreRadius r_h (Angstrom), positive
     * @param kEv          K (eV), at least 0
     * @param species      elements the configurations contain (all treated alike by the descriptors)
     */
    public EntropyEffectiveEnergy(EnvironmentFeatures features, double repulsionEv, double hardCoreRadius, double kEv, String... species) {
        super(species);
        if (features == null) throw new IllegalArgumentException("features are required");
        if (!(repulsionEv >= 0) || Double.isInfinite(repulsionEv)) throw new IllegalArgumentException("repulsion E_0 must be a finite number >= 0 eV, got " + repulsionEv);
        if (!(hardCoreRadius > 0) || hardCoreRadius > 12) throw new IllegalArgumentException("hard-core radius must be in (0, 12] Angstrom, got " + hardCoreRadius);
        if (!(kEv >= 0) || Double.isInfinite(kEv)) throw new IllegalArgumentException("K must be a finite number >= 0 eV, got " + kEv);
        this.features = features;
        this.e0 = repulsionEv;
        this.hardCore = hardCoreRadius;
        this.k = kEv;
        this.speciesList = species.clone();
    }

    /** The same descriptors and repulsion with bias strength {@code kEv}. */
    public EntropyEffectiveEnergy withK(double kEv) {
        return new EntropyEffectiveEnergy(features, e0, hardCore, kEv, speciesList);
    }

    /** K (eV). */
    public double k() {
        return k;
    }

    public EnvironmentFeatures features() {
        return features;
    }

    /** S({q}) of {@code s} (nats). */
    public double entropy(org.crucible.core.Structure s) {
        return NearestNeighbourEntropy.entropy(features.compute(s));
    }

    @Override
    public double cutoff() {
        return Math.max(features.cutoff(), hardCore);
    }

    @Override
    public String name() {
        return String.format("entropy-bias(E0=%g eV, r_h=%g A, K=%g eV)", e0, hardCore, k);
    }

    @Override
    protected void accumulate(PairList nl, int[] type, Accumulator acc) {
        int n = nl.atoms();
        double rep = 0;
        double rh2 = hardCore * hardCore;
        for (int i = 0; i < n; i++) {
            for (int e = nl.start[i], end = nl.start[i + 1]; e < end; e++) {
                int j = nl.nbr[e];
                if (j < i || (j == i && !nl.positiveImage(e))) continue;
                double dx = nl.d[3 * e], dy = nl.d[3 * e + 1], dz = nl.d[3 * e + 2];
                double r2 = dx * dx + dy * dy + dz * dz;
                if (r2 >= rh2 || e0 == 0) continue;
                double r = Math.sqrt(r2);
                double x = hardCore / r - 1;
                double phi = e0 * x * x * x;
                double g = -3 * e0 * x * x * hardCore / (r2 * r); // (dphi/dr) / r
                rep += phi;
                acc.atomEnergy[i] += 0.5 * phi;
                acc.atomEnergy[j] += 0.5 * phi;
                acc.pairGradient(i, j, g * dx, g * dy, g * dz, dx, dy, dz);
            }
        }
        acc.energy += rep;
        if (n < 2) return;
        EnvironmentFeatures.Work w = new EnvironmentFeatures.Work(n, features.dimension());
        features.compute(nl, w);
        double[][] grad = new double[n][features.dimension()];
        double s = NearestNeighbourEntropy.entropyAndGradient(w.q, grad);
        acc.energy -= k * s;
        for (int i = 0; i < n; i++) acc.atomEnergy[i] -= k * s / n;
        if (k == 0) return;
        for (double[] g : grad) for (int c = 0; c < g.length; c++) g[c] *= -k;
        features.backpropagate(nl, w, grad, acc);
    }
}
