package org.crucible.executors.generators;

import java.util.SplittableRandom;

/**
 * Random external pressure for a candidate's relaxation, GAP-RSS eq. 6: P(p/p0) = (1/beta) exp(-p / (beta p0)),
 * an exponential distribution of mean beta p0 (p0 = 1 GPa, beta = 0.2 in the paper), sampled by inversion
 * p = -beta p0 ln(1 - U).
 *
 * @param p0GPa reference pressure p0, GPa
 * @param beta  dimensionless width beta
 */
public record PressureDistribution(double p0GPa, double beta) {
    /** The GAP-RSS values p0 = 1 GPa, beta = 0.2. */
    public static final PressureDistribution GAP_RSS = new PressureDistribution(1.0, 0.2);

    public PressureDistribution {
        if (!(p0GPa > 0) || !Double.isFinite(p0GPa)) throw new IllegalArgumentException("p0 must be > 0 GPa, got " + p0GPa);
        if (!(beta > 0) || !Double.isFinite(beta)) throw new IllegalArgumentException("beta must be > 0, got " + beta);
    }

    /** One pressure in GPa (>= 0). */
    public double sampleGPa(SplittableRandom rng) {
        return -beta * p0GPa * Math.log(1.0 - rng.nextDouble());
    }
}
