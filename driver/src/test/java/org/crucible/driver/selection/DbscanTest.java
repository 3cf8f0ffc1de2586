package org.crucible.driver.selection;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.crucible.core.testing.TestEnvironment;
import org.junit.jupiter.api.Test;

class DbscanTest {
    static double[][] blobs(long seed, int perBlob, int noise, int dim) {
        SplittableRandom r = new SplittableRandom(seed);
        double[][] centres = {{0, 0, 0, 0}, {3, 3, 0, 1}, {-3, 2, 2, -2}};
        double[][] rows = new double[3 * perBlob + noise][dim];
        int k = 0;
        for (double[] c : centres) {
            for (int i = 0; i < perBlob; i++, k++) for (int d = 0; d < dim; d++) rows[k][d] = c[d] + 0.35 * (r.nextDouble() * 2 - 1) * 1.2;
        }
        for (int i = 0; i < noise; i++, k++) for (int d = 0; d < dim; d++) rows[k][d] = (r.nextDouble() * 2 - 1) * 6;
        // Shuffle so cluster order is not index order.
        for (int i = rows.length - 1; i > 0; i--) {
            int j = r.nextInt(i + 1);
            double[] t = rows[i];
            rows[i] = rows[j];
            rows[j] = t;
        }
        return rows;
    }

    @Test
    void separatedBlobsAreThreeClustersAndFarPointsNoise() {
        double[][] rows = blobs(1, 30, 0, 4);
        int[] l = new Dbscan(0.8, 3).fit(rows);
        assertEquals(3, Arrays.stream(l).max().getAsInt() + 1);
        assertTrue(Arrays.stream(l).allMatch(x -> x >= 0));
        double[][] one = {{0, 0}, {100, 100}};
        assertArrayEquals(new int[] {-1, -1}, new Dbscan(1, 2).fit(one));
        assertArrayEquals(new int[] {0, 1}, new Dbscan(1, 1).fit(one), "min_samples 1: every point is core");
    }

    @Test
    void epsIsInclusiveLikeScikitLearn() {
        double[][] rows = {{0}, {0.5}, {5}};
        assertArrayEquals(new int[] {0, 0, -1}, new Dbscan(0.5, 2).fit(rows));
    }

    @Test
    void float32FeaturesCanFlipADecisionAtEps() {
        // Why summaries keep double features: 0.1 apart with eps 0.1 is a neighbour (inclusive); rounded to float the
        // same rows are 0.1000000015 apart and are not.
        double[][] rows = {{0.0}, {0.1}};
        assertArrayEquals(new int[] {0, 0}, new Dbscan(0.1, 2).fit(rows));
        double[][] rounded = {{(float) 0.0}, {(float) 0.1}};
        assertArrayEquals(new int[] {-1, -1}, new Dbscan(0.1, 2).fit(rounded));
    }

    @Test
    void rejectsBadInput() {
        assertThrows(IllegalArgumentException.class, () -> new Dbscan(0, 2));
        assertThrows(IllegalArgumentException.class, () -> new Dbscan(0.5, 0));
        assertThrows(IllegalArgumentException.class, () -> new Dbscan(0.5, 2).fit(new double[][] {{0, Double.NaN}}));
    }

    @Test
    void labelsEqualScikitLearn() throws Exception {
        Path python = TestEnvironment.assumeDebianPython("sklearn", "numpy");
        // Four data sets in one Python process (importing scikit-learn takes seconds): each block is a header line
        // "eps min_samples n" followed by n rows.
        StringBuilder data = new StringBuilder();
        double[][][] sets = new double[4][][];
        double[] eps = new double[4];
        int[] minSamples = new int[4];
        for (int k = 0; k < 4; k++) {
            long seed = k + 1;
            sets[k] = blobs(seed, 25, 20, 4);
            eps[k] = 0.5 + 0.2 * seed;
            minSamples[k] = (int) (2 + seed % 3);
            data.append(eps[k]).append(' ').append(minSamples[k]).append(' ').append(sets[k].length).append('\n');
            for (double[] row : sets[k]) {
                for (int d = 0; d < row.length; d++) data.append(d == 0 ? "" : " ").append(row[d]);
                data.append('\n');
            }
        }
        Process p = new ProcessBuilder(python.toString(), "-c", String.join("\n",
                "import sys, numpy as np",
                "from sklearn.cluster import DBSCAN",
                "lines = sys.stdin.read().split('\\n')",
                "i = 0",
                "while i < len(lines) and lines[i].strip():",
                "    eps, ms, n = lines[i].split(); n = int(n)",
                "    X = np.array([[float(v) for v in l.split()] for l in lines[i + 1:i + 1 + n]])",
                "    print(' '.join(str(x) for x in DBSCAN(eps=float(eps), min_samples=int(ms)).fit(X).labels_))",
                "    i += 1 + n")).start();
        p.getOutputStream().write(data.toString().getBytes(StandardCharsets.UTF_8));
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), err);
        String[] lines = out.split("\n");
        assertEquals(4, lines.length, out);
        for (int k = 0; k < 4; k++) {
            int[] expected = Arrays.stream(lines[k].trim().split("\\s+")).mapToInt(Integer::parseInt).toArray();
            int[] got = new Dbscan(eps[k], minSamples[k]).fit(sets[k]);
            assertArrayEquals(expected, got, "data set " + k + " eps " + eps[k] + " min_samples " + minSamples[k]);
            assertTrue(Arrays.stream(got).anyMatch(x -> x == -1), "the test data has noise");
            assertTrue(Arrays.stream(got).max().getAsInt() >= 2, "the test data has clusters");
        }
    }
}
