package org.crucible.executors.md;

/**
 * The adaptive bias strength of hyperactive learning (HAL paper, Eq. 12). With F the model force and
 * g = grad sigma_E the bias force per unit tau (so the bias force is tau g), tau is 0 during the first
 * {@code burnIn} steps after the start (the start and {@code burnIn} more observations) and afterwards
 * <pre>
 *   tau = tau_r * mean_{last w steps} |F| / mean_{last w steps} |g|
 * </pre>
 * so that the mean norm of the bias force tau g is tau_r times the mean norm of the model force; |.| is the mean over
 * atoms of the per-atom norm (eV/Angstrom). g, not tau g, is averaged, so tau does not feed back on itself.
 *
 * <p>Mutable, one per trajectory (a ring buffer of w steps); deterministic. Usage:
 * <pre>{@code
 * AdaptiveTau tau = new AdaptiveTau(0.1, 100, 100);
 * tau.observe(meanForceNorm, meanBiasGradientNorm);   // every step
 * double t = tau.tau();                               // tau for the next step
 * }</pre>
 */
public final class AdaptiveTau {
    private final double tauRelative;
    private final int burnIn;
    private final double[] force;
    private final double[] bias;
    private long observed;
    private double tau;

    /**
     * @param tauRelative tau_r in [0, 1]
     * @param burnIn      steps at tau = 0, at least 1
     * @param window      steps averaged, at least 1
     */
    public AdaptiveTau(double tauRelative, int burnIn, int window) {
        if (!(tauRelative >= 0 && tauRelative <= 1)) throw new IllegalArgumentException("tau_r must be in [0, 1], got " + tauRelative);
        if (burnIn < 1 || window < 1) throw new IllegalArgumentException("burn-in and window must be >= 1 step, got " + burnIn + " and " + window);
        this.tauRelative = tauRelative;
        this.burnIn = burnIn;
        this.force = new double[window];
        this.bias = new double[window];
    }

    /**
     * Records one step's mean model-force norm and mean bias-gradient norm (eV/Angstrom) and updates tau: still 0
     * until more than {@code burnIn} steps have been observed, then Eq. 12 over the last min(observed, w) steps.
     */
    public void observe(double meanForceNorm, double meanBiasGradientNorm) {
        if (!(meanForceNorm >= 0) || !(meanBiasGradientNorm >= 0) || Double.isInfinite(meanForceNorm) || Double.isInfinite(meanBiasGradientNorm)) {
            throw new IllegalArgumentException("force norms must be finite and >= 0, got " + meanForceNorm + " and " + meanBiasGradientNorm);
        }
        int slot = (int) (observed % force.length);
        force[slot] = meanForceNorm;
        bias[slot] = meanBiasGradientNorm;
        observed++;
        if (observed <= burnIn || tauRelative == 0) {
            tau = 0;
            return;
        }
        int n = (int) Math.min(observed, force.length);
        double f = 0, g = 0;
        for (int i = 0; i < n; i++) {
            f += force[i];
            g += bias[i];
        }
        tau = g > 0 ? tauRelative * f / g : 0;
    }

    /** The current tau (dimensionless, eV of bias per eV of sigma_E). */
    public double tau() {
        return tau;
    }

    /** Steps observed so far. */
    public long observed() {
        return observed;
    }

    /** Whether the burn-in is over. */
    public boolean burnedIn() {
        return observed > burnIn;
    }
}
