package org.crucible.executors.potentials;

import java.util.Arrays;

/**
 * Streaming (tall-skinny) QR factorisation of a weighted least-squares problem min |y - X c|^2 whose rows arrive
 * one block at a time, so a design matrix of hundreds of thousands of rows never has to exist in memory.
 *
 * <p>The augmented matrix [X | y] (columns F + 1) is reduced to an upper-triangular (F+1) x (F+1) factor
 * R~ = [[R, z], [0, rho]]: then X^T X = R^T R, X^T y = R^T z and the residual of any c is
 * |y - X c|^2 = |z - R c|^2 + rho^2. Rows are buffered; every {@code blockRows} rows the stack [R~; block] is
 * re-factorised with a structured Householder QR, which works on the conditioning of X itself instead of squaring it
 * as normal equations would. Two accumulators over disjoint rows {@link #merge} exactly (the TSQR reduction), so
 * per-partition factors computed on Spark executors combine on the driver.
 *
 * <p>Not thread-safe: one accumulator per thread or partition, then merge.
 */
public final class StreamingQr {
    private static final double TINY = 0x1p-450; // about 3e-136: squares of a few 10^4 such values stay normal
    private static final double HUGE = 0x1p450;
    private final int columns;      // F + 1 (the target is the last column)
    private final int blockRows;
    private final double[] buffer;  // (blockRows + columns) x columns, row-major; first rows hold R~
    private int pending;            // buffered observation rows below R~
    private long observations;

    /**
     * @param features  F, the number of unknowns
     * @param blockRows rows buffered before each re-factorisation (a few times F keeps the overhead of
     *                  re-factorising R~ small)
     */
    public StreamingQr(int features, int blockRows) {
        if (features < 1) throw new IllegalArgumentException("features must be >= 1, got " + features);
        if (blockRows < 1) throw new IllegalArgumentException("blockRows must be >= 1, got " + blockRows);
        this.columns = features + 1;
        this.blockRows = blockRows;
        this.buffer = new double[(blockRows + columns) * columns];
    }

    /** An accumulator with blocks of 128 rows (measured fastest in CPU time: the block stays in cache while each reflector sweeps it twice). */
    public StreamingQr(int features) {
        this(features, 128);
    }

    public int features() {
        return columns - 1;
    }

    /** Number of observation rows added so far (including merged accumulators). */
    public long observations() {
        return observations;
    }

    /**
     * Adds one observation: {@code weight * (row . c - target)} enters the squared residual, i.e. the row and the
     * target are both multiplied by {@code weight} (= 1/sigma).
     */
    public void add(double[] row, int offset, double target, double weight) {
        if (!Double.isFinite(target) || !Double.isFinite(weight)) {
            throw new IllegalArgumentException("observation target " + target + " or weight " + weight + " is not finite");
        }
        int base = (columns + pending) * columns;
        int f = columns - 1;
        for (int j = 0; j < f; j++) {
            double v = row[offset + j];
            if (!Double.isFinite(v)) throw new IllegalArgumentException("design value " + j + " is not finite: " + v);
            buffer[base + j] = weight * v;
        }
        buffer[base + f] = weight * target;
        pending++;
        observations++;
        if (pending == blockRows) reduce();
    }

    /** Adds every row of {@code other} (an accumulator over different observations) to this one. */
    public void merge(StreamingQr other) {
        if (other.columns != columns) {
            throw new IllegalArgumentException("cannot merge accumulators of " + (other.columns - 1) + " and " + (columns - 1) + " features");
        }
        long count = other.observations;
        double[] r = other.triangularFactor();
        for (int i = 0; i < columns; i++) {
            // R~ rows of the other accumulator are pseudo-observations with unit weight
            System.arraycopy(r, i * columns, buffer, (columns + pending) * columns, columns);
            pending++;
            if (pending == blockRows) reduce();
        }
        observations += count;
    }

    /**
     * The (F+1) x (F+1) upper-triangular factor R~ of [X | y] (row-major copy). Signs of rows are those of the
     * Householder reduction; only R~^T R~ is unique.
     */
    public double[] triangularFactor() {
        if (pending > 0) reduce();
        return Arrays.copyOf(buffer, columns * columns);
    }

    /** The reduced problem (R, z, rho^2, number of observations) for the solvers. */
    public LeastSquaresProblem problem() {
        double[] rt = triangularFactor();
        int f = columns - 1;
        double[] r = new double[f * f];
        double[] z = new double[f];
        for (int i = 0; i < f; i++) {
            System.arraycopy(rt, i * columns, r, i * f, f);
            z[i] = rt[i * columns + f];
        }
        double rho = rt[f * columns + f];
        return new LeastSquaresProblem(f, r, z, rho * rho, observations);
    }

    /**
     * Householder reduction of [R~; block] exploiting that R~ is already upper triangular: for column j only
     * R~[j][j] and the block's column j are non-zero, so a block of b rows costs about 2 b (F+1)^2 flops.
     */
    private void reduce() {
        int c = columns;
        int b = pending;
        int base = c * c;                 // block rows start after the c rows of R~
        double[] v = new double[b];
        double[] s = new double[c];
        for (int j = 0; j < c; j++) {
            double x0 = buffer[j * c + j];
            double tail = 0;
            double m = Math.abs(x0);
            for (int r = 0; r < b; r++) {
                v[r] = buffer[base + r * c + j];
                tail += v[r] * v[r];
                m = Math.max(m, Math.abs(v[r]));
            }
            if (m == 0 || (tail == 0 && m >= TINY)) continue; // column already reduced
            if (m < TINY || m > HUGE) {
                // The squares below would underflow (or overflow): 2 / |v|^2 then becomes infinite and R~ fills
                // with NaN. The reflector I - 2 v v^T / |v|^2 does not change when v is scaled, so build it from
                // v / m (LAPACK's dlarfg scales for the same reason). Columns of ordinary magnitude keep the
                // unscaled arithmetic, so their factors stay bit for bit what they were.
                x0 /= m;
                tail = 0;
                for (int r = 0; r < b; r++) {
                    v[r] /= m;
                    tail += v[r] * v[r];
                }
                if (tail == 0) {
                    // the block's entries are negligible next to R~[j][j] (below m * 2^-1074): drop them
                    for (int r = 0; r < b; r++) buffer[base + r * c + j] = 0.0;
                    continue;
                }
                double norm = Math.sqrt(x0 * x0 + tail);
                double alpha = x0 >= 0 ? -norm : norm;
                double v0 = x0 - alpha;
                reflect(j, b, base, v, v0, v0 * v0 + tail, s);
                continue;
            }
            double norm = Math.sqrt(x0 * x0 + tail);
            double alpha = x0 >= 0 ? -norm : norm;
            double v0 = x0 - alpha;
            double vnorm2 = v0 * v0 + tail;
            reflect(j, b, base, v, v0, vnorm2, s);
        }
        Arrays.fill(buffer, base, base + b * c, 0.0);
        pending = 0;
    }

    /**
     * Applies the Householder reflector I - 2 u u^T / |u|^2, u = (v0 at row j of R~, v over the block rows), to columns
     * j..c-1 of [R~; block], and zeroes the block's column j.
     */
    private void reflect(int j, int b, int base, double[] v, double v0, double vnorm2, double[] s) {
        int c = columns;
        // s_k = v . column k over the rows involved (row j of R~ and the block)
        for (int k = j; k < c; k++) s[k] = v0 * buffer[j * c + k];
        for (int r = 0; r < b; r++) {
            double vr = v[r];
            if (vr == 0) continue;
            int row = base + r * c;
            for (int k = j; k < c; k++) s[k] += vr * buffer[row + k];
        }
        double scale = 2.0 / vnorm2;
        for (int k = j; k < c; k++) {
            s[k] *= scale;
            buffer[j * c + k] -= s[k] * v0;
        }
        for (int r = 0; r < b; r++) {
            double vr = v[r];
            if (vr == 0) continue;
            int row = base + r * c;
            for (int k = j; k < c; k++) buffer[row + k] -= s[k] * vr;
            buffer[row + j] = 0.0;    // exact zero below the diagonal
        }
    }
}
