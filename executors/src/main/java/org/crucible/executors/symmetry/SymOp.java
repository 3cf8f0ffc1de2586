package org.crucible.executors.symmetry;

import java.util.Arrays;

/**
 * A space-group operation in fractional coordinates, x' = R x + t, with R an integer 3x3 matrix (row-major)
 * and t a translation (fractional, usually reduced to [0, 1)). Seitz notation {R|t} of the International
 * Tables, vol. A, section 1.2.
 *
 * <pre>{@code
 * SymOp inversion = new SymOp(new int[] {-1, 0, 0, 0, -1, 0, 0, 0, -1}, new double[3]);
 * double[] y = inversion.apply(new double[] {0.1, 0.2, 0.3});   // {-0.1, -0.2, -0.3}
 * }</pre>
 *
 * @param rotation    row-major integer matrix R (9 values), acting on fractional column vectors
 * @param translation fractional translation t (3 values)
 */
public record SymOp(int[] rotation, double[] translation) {
    /** The identity {I|0}. */
    public static final SymOp IDENTITY = new SymOp(new int[] {1, 0, 0, 0, 1, 0, 0, 0, 1}, new double[3]);

    public SymOp {
        if (rotation == null || rotation.length != 9) throw new IllegalArgumentException("rotation needs 9 integers");
        if (translation == null || translation.length != 3) throw new IllegalArgumentException("translation needs 3 values");
        for (double v : translation) {
            if (!Double.isFinite(v)) throw new IllegalArgumentException("translation is not finite: " + Arrays.toString(translation));
        }
        rotation = rotation.clone();
        translation = translation.clone();
    }

    @Override
    public int[] rotation() {
        return rotation.clone();
    }

    @Override
    public double[] translation() {
        return translation.clone();
    }

    /** R[row][col]. */
    public int r(int row, int col) {
        return rotation[3 * row + col];
    }

    /** t[k]. */
    public double t(int k) {
        return translation[k];
    }

    /** R x + t (fractional; not wrapped). */
    public double[] apply(double[] x) {
        double[] y = new double[3];
        apply(x, 0, y, 0);
        return y;
    }

    /** Writes R x + t for x = in[inOff..inOff+2] into out[outOff..outOff+2]. */
    public void apply(double[] in, int inOff, double[] out, int outOff) {
        double a = in[inOff], b = in[inOff + 1], c = in[inOff + 2];
        out[outOff] = rotation[0] * a + rotation[1] * b + rotation[2] * c + translation[0];
        out[outOff + 1] = rotation[3] * a + rotation[4] * b + rotation[5] * c + translation[1];
        out[outOff + 2] = rotation[6] * a + rotation[7] * b + rotation[8] * c + translation[2];
    }

    /** Determinant of R: +1 proper, -1 improper. */
    public int determinant() {
        return rotation[0] * (rotation[4] * rotation[8] - rotation[5] * rotation[7])
                - rotation[1] * (rotation[3] * rotation[8] - rotation[5] * rotation[6])
                + rotation[2] * (rotation[3] * rotation[7] - rotation[4] * rotation[6]);
    }

    /** Trace of R. */
    public int trace() {
        return rotation[0] + rotation[4] + rotation[8];
    }

    /** True when R is the identity (a pure translation). */
    public boolean isTranslation() {
        return Arrays.equals(rotation, IDENTITY.rotation);
    }

    /** this * other: x -> R1 (R2 x + t2) + t1. */
    public SymOp compose(SymOp other) {
        int[] r = IntMatrix.multiply(rotation, other.rotation);
        double[] t = new double[3];
        for (int i = 0; i < 3; i++) {
            t[i] = translation[i];
            for (int k = 0; k < 3; k++) t[i] += rotation[3 * i + k] * other.translation[k];
        }
        return new SymOp(r, t);
    }

    /** The same operation with its translation reduced to [0, 1). */
    public SymOp reduced() {
        double[] t = new double[3];
        for (int k = 0; k < 3; k++) t[k] = wrap(translation[k]);
        return new SymOp(rotation, t);
    }

    static double wrap(double x) {
        double w = x - Math.floor(x);
        return (w >= 1.0 - 1e-12) ? 0.0 : w;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SymOp s && Arrays.equals(rotation, s.rotation) && Arrays.equals(translation, s.translation);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(rotation) + Arrays.hashCode(translation);
    }

    @Override
    public String toString() {
        return "{" + Arrays.toString(rotation) + "|" + Arrays.toString(translation) + "}";
    }
}
