package org.crucible.driver.protocol;

import java.util.Arrays;
import java.util.Comparator;
import java.util.SplittableRandom;
import java.util.stream.IntStream;

/**
 * Boltzmann-biased flat-histogram sampling of the GAP-RSS paper (Bernstein, Csanyi and Deringer, npj Comput. Mater.
 * 5, 99 (2019), Methods): the values h_i (enthalpy per atom, eV/atom) are binned in {@code bins} equal bins over
 * [min h, max h] (numpy's default {@code np.histogram} rule: 10 bins, the last bin closed), and each value is drawn with
 * probability
 *
 * <pre>  p_i  proportional to  exp(-(h_i - h_min) / kT) / n_bin(i)</pre>
 *
 * with n_bin(i) the number of values in h_i's bin and kT in eV/atom. The expected share of a bin is thus independent
 * of how crowded it is (flat) and falls off with its Boltzmann factor. {@code m} values are drawn without replacement
 * with the Efraimidis-Spirakis keys u_i^(1/w_i) (the m largest keys), which equals drawing one at a time with
 * probabilities proportional to the remaining weights; u_i comes from a seeded {@link SplittableRandom}, so the draw is
 * a pure function of (values, kT, m, seed).
 *
 * <pre>{@code
 * int[] picked = new FlatHistogram(10).draw(h, 0.3, 100, seed);
 * }</pre>
 *
 * @param bins number of equal-width bins (numpy default 10)
 */
public record FlatHistogram(int bins) {
    /** numpy's default bin count. */
    public static final int NUMPY_DEFAULT_BINS = 10;

    public FlatHistogram {
        if (bins < 1) throw new IllegalArgumentException("flat histogram needs >= 1 bin, got " + bins);
    }

    /** Bin index of every value: floor((h - min) / width), the maximum in the last bin (all in bin 0 when max = min). */
    public int[] binOf(double[] h) {
        double min = Arrays.stream(h).min().orElse(0), max = Arrays.stream(h).max().orElse(0);
        int[] out = new int[h.length];
        double width = (max - min) / bins;
        for (int i = 0; i < h.length; i++) {
            if (!Double.isFinite(h[i])) throw new IllegalArgumentException("value " + i + " is not finite: " + h[i]);
            out[i] = width > 0 ? Math.min(bins - 1, (int) Math.floor((h[i] - min) / width)) : 0;
        }
        return out;
    }

    /** Normalised draw probabilities p_i (sum 1) for one draw. */
    public double[] probabilities(double[] h, double kT) {
        if (!(kT > 0)) throw new IllegalArgumentException("kT must be > 0 eV/atom, got " + kT);
        int[] bin = binOf(h);
        int[] count = new int[bins];
        for (int b : bin) count[b]++;
        double min = Arrays.stream(h).min().orElse(0);
        double[] w = new double[h.length];
        double sum = 0;
        for (int i = 0; i < h.length; i++) {
            w[i] = Math.exp(-(h[i] - min) / kT) / count[bin[i]];
            sum += w[i];
        }
        for (int i = 0; i < h.length; i++) w[i] /= sum;
        return w;
    }

    /** {@code m} distinct indices drawn without replacement (all when m >= n), in the order of decreasing key. */
    public int[] draw(double[] h, double kT, int m, long seed) {
        double[] p = probabilities(h, kT);
        SplittableRandom rng = new SplittableRandom(seed);
        double[] key = new double[h.length];
        // log(u) / w: the same order as u^(1/w), without underflow for tiny w; w = 0 sorts last
        for (int i = 0; i < h.length; i++) {
            double u = rng.nextDouble();
            key[i] = p[i] > 0 ? Math.log(u) / p[i] : Double.NEGATIVE_INFINITY;
        }
        return IntStream.range(0, h.length).boxed()
                .sorted(Comparator.<Integer>comparingDouble(i -> -key[i]).thenComparingInt(i -> i))
                .limit(Math.max(0, m)).mapToInt(Integer::intValue).toArray();
    }
}
