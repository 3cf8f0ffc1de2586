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
    void rejectsBadInput() {
        assertThrows(IllegalArgumentException.class, () -> new Dbscan(0, 2));
        assertThrows(IllegalArgumentException.class, () -> new Dbscan(0.5, 0));
        assertThrows(IllegalArgumentException.class, () -> new Dbscan(0.5, 2).fit(new double[][] {{0, Double.NaN}}));
    }

    @Test
    void labelsEqualScikitLearn() throws Exception {
        Path python = TestEnvironment.assumeDebianPython("sklearn", "numpy");
        for (long seed = 1; seed <= 4; seed++) {
            double[][] rows = blobs(seed, 25, 20, 4);
            double eps = 0.5 + 0.2 * seed;
            int minSamples = (int) (2 + seed % 3);
            StringBuilder data = new StringBuilder();
            for (double[] row : rows) {
                for (int d = 0; d < row.length; d++) data.append(d == 0 ? "" : " ").append(row[d]);
                data.append('\n');
            }
            Process p = new ProcessBuilder(python.toString(), "-c", String.join("\n",
                    "import sys, numpy as np",
                    "from sklearn.cluster import DBSCAN",
                    "X = np.loadtxt(sys.stdin)",
                    "print(' '.join(str(x) for x in DBSCAN(eps=float(sys.argv[1]), min_samples=int(sys.argv[2])).fit(X).labels_))"),
                    Double.toString(eps), Integer.toString(minSamples)).start();
            p.getOutputStream().write(data.toString().getBytes(StandardCharsets.UTF_8));
            p.getOutputStream().close();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
            assertEquals(0, p.waitFor(), err);
            int[] expected = Arrays.stream(out.split("\\s+")).mapToInt(Integer::parseInt).toArray();
            int[] got = new Dbscan(eps, minSamples).fit(rows);
            assertArrayEquals(expected, got, "seed " + seed + " eps " + eps + " min_samples " + minSamples);
            assertTrue(Arrays.stream(got).anyMatch(x -> x == -1), "the test data has noise");
        }
    }
}
