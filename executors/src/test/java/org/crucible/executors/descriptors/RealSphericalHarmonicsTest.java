package org.crucible.executors.descriptors;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import org.junit.jupiter.api.Test;

class RealSphericalHarmonicsTest {

    @Test
    void orthonormalOnTheSphere() {
        int lmax = 8;
        RealSphericalHarmonics sh = new RealSphericalHarmonics(lmax);
        int n = sh.size();
        double[][] gl = GauntCoefficients.gaussLegendre(lmax + 2);
        int nphi = 2 * lmax + 3;
        double[] overlap = new double[n * n];
        double[] y = new double[n];
        for (int a = 0; a < gl[0].length; a++) {
            double z = gl[0][a], st = Math.sqrt(1 - z * z);
            for (int b = 0; b < nphi; b++) {
                double phi = 2 * Math.PI * b / nphi;
                sh.evaluate(st * Math.cos(phi), st * Math.sin(phi), z, y, null);
                double w = gl[1][a] * 2 * Math.PI / nphi;
                for (int i = 0; i < n; i++) for (int j = 0; j < n; j++) overlap[i * n + j] += w * y[i] * y[j];
            }
        }
        for (int i = 0; i < n; i++) for (int j = 0; j < n; j++) assertEquals(i == j ? 1.0 : 0.0, overlap[i * n + j], 1e-12, "<Y_" + i + "|Y_" + j + ">");
    }

    @Test
    void knownLowOrderValues() {
        RealSphericalHarmonics sh = new RealSphericalHarmonics(1);
        double[] y = new double[4];
        sh.evaluate(0.3, -0.4, 1.2, y, null);
        double r = Math.sqrt(0.09 + 0.16 + 1.44);
        double c1 = Math.sqrt(3 / (4 * Math.PI));
        assertEquals(1 / Math.sqrt(4 * Math.PI), y[0], 1e-15);
        assertEquals(c1 * -0.4 / r, y[1], 1e-15);
        assertEquals(c1 * 1.2 / r, y[2], 1e-15);
        assertEquals(c1 * 0.3 / r, y[3], 1e-15);
    }

    @Test
    void gradientsMatchFiniteDifferencesIncludingNearThePoles() {
        int lmax = 12;
        RealSphericalHarmonics sh = new RealSphericalHarmonics(lmax);
        int n = sh.size();
        Random rnd = new Random(5);
        double[][] points = {{0, 0, 1.7}, {1e-9, 0, -2}, {0.3, -0.2, 0.9}, {rnd.nextGaussian(), rnd.nextGaussian(), rnd.nextGaussian()}};
        double[] y = new double[n], g = new double[3 * n], yp = new double[n], ym = new double[n];
        double h = 1e-6;
        for (double[] p : points) {
            sh.evaluate(p[0], p[1], p[2], y, g);
            for (int k = 0; k < 3; k++) {
                double[] a = p.clone(), b = p.clone();
                a[k] += h;
                b[k] -= h;
                sh.evaluate(a[0], a[1], a[2], yp, null);
                sh.evaluate(b[0], b[1], b[2], ym, null);
                for (int i = 0; i < n; i++) assertEquals((yp[i] - ym[i]) / (2 * h), g[3 * i + k], 2e-6 * (1 + Math.abs(g[3 * i + k])), "lm " + i + " axis " + k);
            }
        }
    }
}
