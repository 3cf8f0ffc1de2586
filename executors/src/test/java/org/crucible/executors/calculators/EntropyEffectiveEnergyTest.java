package org.crucible.executors.calculators;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.crucible.core.Labels;
import org.crucible.core.Structure;
import org.crucible.executors.descriptors.NearestNeighbourEntropy;
import org.junit.jupiter.api.Test;

/** The entropy-maximisation effective energy: forces and stress against central finite differences, invariances. */
class EntropyEffectiveEnergyTest {
    private static final EnvironmentFeatures FEATURES = EnvironmentFeatures.tungsten(0.03);
    private static final EntropyEffectiveEnergy V = new EntropyEffectiveEnergy(FEATURES, 1.0, 2.3, 40.0, "W");

    private static Structure cell(long seed, int n, boolean skew) {
        return RandomStructures.random(new Random(seed), new String[] {"W"}, n, 1 / 0.03, 1.9, skew);
    }

    @Test
    void forcesAreMinusTheGradientOfTheEffectiveEnergy() {
        double h = 1e-5;
        for (int t = 0; t < 3; t++) {
            Structure st = cell(11 + t, 12 + 3 * t, t == 1);
            Labels l = V.calculate(st);
            double[] f = l.forces();
            double[] x = st.positions();
            double worst = 0;
            for (int c = 0; c < x.length; c++) {
                double[] p = x.clone();
                p[c] += h;
                double ep = V.calculate(st.withPositions(p)).energy();
                p[c] -= 2 * h;
                double em = V.calculate(st.withPositions(p)).energy();
                worst = Math.max(worst, Math.abs(-(ep - em) / (2 * h) - f[c]));
            }
            assertTrue(l.maxForce() > 1, "the bias gives sizeable forces: " + l.maxForce());
            assertTrue(worst < 1e-6 * Math.max(1, l.maxForce()), "structure " + t + ": force differs from -dV/dx by " + worst + " (max |F| " + l.maxForce() + ")");
        }
    }

    @Test
    void stressIsTheStrainDerivativeOverVolume() {
        double h = 1e-6;
        for (int t = 0; t < 2; t++) {
            Structure st = cell(21 + t, 14 + 4 * t, t == 0);
            double[] stress = V.calculate(st).stress();
            double v = st.cell().volume();
            double worst = 0, scale = 0;
            for (int c = 0; c < 6; c++) {
                double[] e = new double[6];
                e[c] = h;
                double ep = V.calculate(st.withCell(st.cell().strained(e), true)).energy();
                e[c] = -h;
                double em = V.calculate(st.withCell(st.cell().strained(e), true)).energy();
                double fd = (ep - em) / (2 * h) / v / (c < 3 ? 1 : 2);
                worst = Math.max(worst, Math.abs(fd - stress[c]));
                scale = Math.max(scale, Math.abs(stress[c]));
            }
            assertTrue(scale > 1e-3, "non-trivial stress " + scale);
            assertTrue(worst < 1e-6 * Math.max(1, scale), "structure " + t + ": stress differs from dV/de / V by " + worst);
        }
    }

    @Test
    void theEnergyIsRepulsionMinusKTimesTheEntropy() {
        Structure st = cell(31, 16, false);
        double s = V.entropy(st);
        double e = V.calculate(st).energy();
        double rep = V.withK(0).calculate(st).energy();
        assertEquals(rep - 40.0 * s, e, 1e-9 * Math.abs(e));
        assertEquals(s, NearestNeighbourEntropy.entropy(FEATURES.compute(st)), 1e-12);
    }

    @Test
    void featuresAreInvariantUnderTranslationRotationAndPermutation() {
        Structure st = cell(41, 15, true);
        double[][] q = FEATURES.compute(st);
        double[] p = st.positions();
        for (int i = 0; i < p.length; i++) p[i] += 0.31 * (i % 3 + 1);
        double[][] moved = FEATURES.compute(st.withPositions(p).wrapped());
        double[] rot = RandomStructures.randomRotation(new Random(5));
        double[] h = st.cell().matrix();
        double[] hr = new double[9];
        double[] x = st.positions();
        double[] xr = new double[x.length];
        for (int r = 0; r < 3; r++) {
            for (int c = 0; c < 3; c++) {
                for (int k = 0; k < 3; k++) hr[3 * r + c] += h[3 * r + k] * rot[3 * c + k];
            }
        }
        for (int i = 0; i < x.length / 3; i++) {
            for (int c = 0; c < 3; c++) {
                for (int k = 0; k < 3; k++) xr[3 * i + c] += x[3 * i + k] * rot[3 * c + k];
            }
        }
        double[][] rotated = FEATURES.compute(Structure.of(st.cell().withMatrix(hr), st.atomicNumbers(), xr));
        int n = st.size();
        int[] perm = new int[n];
        double[] xp = new double[x.length];
        for (int i = 0; i < n; i++) {
            perm[i] = (7 * i + 3) % n;
            System.arraycopy(x, 3 * perm[i], xp, 3 * i, 3);
        }
        double[][] permuted = FEATURES.compute(Structure.of(st.cell(), st.atomicNumbers(), xp));
        for (int i = 0; i < n; i++) {
            for (int c = 0; c < q[i].length; c++) {
                assertEquals(q[i][c], moved[i][c], 1e-10);
                assertEquals(q[i][c], rotated[i][c], 1e-9);
                assertEquals(q[perm[i]][c], permuted[i][c], 1e-10);
            }
        }
        assertEquals(NearestNeighbourEntropy.entropy(q), NearestNeighbourEntropy.entropy(permuted), 1e-10);
    }

    @Test
    void theEstimatorMatchesTheEntropyOfAUniformDistribution() {
        // the KL estimator is consistent: n uniform points in the unit square have S near ln 1 = 0 (the edge bias is
        // about +0.06 at n = 4000; a missing Euler constant or ball volume would be off by 0.58 or 1.14)
        Random r = new Random(3);
        double[][] q = new double[4000][2];
        for (double[] row : q) {
            row[0] = r.nextDouble();
            row[1] = r.nextDouble();
        }
        assertEquals(0, NearestNeighbourEntropy.entropy(q), 0.1);
        // scaling every point by a multiplies the volume by a^m: S grows by m ln a
        double[][] q2 = new double[q.length][2];
        for (int i = 0; i < q.length; i++) q2[i] = new double[] {3 * q[i][0], 3 * q[i][1]};
        assertEquals(NearestNeighbourEntropy.entropy(q) + 2 * Math.log(3), NearestNeighbourEntropy.entropy(q2), 1e-6); // up to the eps regularisation
    }
}
