package org.crucible.executors.descriptors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.Random;
import org.crucible.core.Cell;
import org.crucible.core.Structure;
import org.crucible.core.testing.Lattices;
import org.junit.jupiter.api.Test;

class AceBasisTest {
    @org.junit.jupiter.api.AfterAll
    static void reportInvarianceTolerance() {
        System.out.printf("%s: largest relative invariance deviation %.2e%n", "AceBasisTest", TestStructures.worstSeen);
    }

    private static final int SI = 14;
    private static final int C = 6;

    private static AceBasis smallBinary() {
        return new AceBasis(new AceParameters(new int[] {C, SI}, 4.0, 0.0, 1.0, Double.NaN, new int[] {6, 6, 6}, 1.5, 3));
    }

    /** Includes nu = 4 (two-pair couplings through an intermediate L). */
    private static AceBasis fourBodyBinary() {
        return new AceBasis(new AceParameters(new int[] {C, SI}, 4.0, 0.0, 1.0, Double.NaN, new int[] {5, 5, 5, 5}, 1.0, 2));
    }

    private static Structure randomBinary(long seed) {
        return TestStructures.randomCell(new Random(seed), 10, new int[] {SI, C, SI}, 14.0, 1.6);
    }

    private static double[][] randomCoefficients(Random rnd, int k, int f) {
        double[][] c = new double[k][f];
        for (double[] row : c) for (int i = 0; i < f; i++) row[i] = rnd.nextGaussian() * 0.05;
        return c;
    }

    @Test
    void fourBodyFunctionsArePresentAndNonZero() {
        AceBasis basis = fourBodyBinary();
        assertTrue(basis.countOfOrder(4) > 0, "nu=4 count");
        double[] b = basis.atomicFeatures(randomBinary(17));
        int first4 = basis.countOfOrder(1) + basis.countOfOrder(2) + basis.countOfOrder(3);
        double max = 0;
        for (int f = first4; f < basis.blockSize(); f++) max = Math.max(max, Math.abs(b[f]) + Math.abs(b[basis.blockSize() + f]));
        assertTrue(max > 0, "nu=4 features vanish");
    }

    @Test
    void defaultSiliconBasisHasAboutThreeHundredFunctionsOfAllOrders() {
        AceBasis b = new AceBasis(AceParameters.defaults(SI));
        assertTrue(b.size() >= 250 && b.size() <= 350, "size " + b.size());
        assertTrue(b.countOfOrder(1) > 0 && b.countOfOrder(2) > 0 && b.countOfOrder(3) > 0);
        assertEquals(b.size(), b.countOfOrder(1) + b.countOfOrder(2) + b.countOfOrder(3));
    }

    @Test
    void featuresInvariantUnderRotationReflectionTranslationPermutation() {
        for (AceBasis basis : new AceBasis[] {smallBinary(), fourBodyBinary()}) invariance(basis);
    }

    private static void invariance(AceBasis basis) {
        assertTrue(basis.countOfOrder(3) > 0);
        Structure s = randomBinary(11);
        double[] b0 = basis.atomicFeatures(s);
        Random rnd = new Random(3);
        for (boolean reflect : new boolean[] {false, true}) {
            Structure r = TestStructures.rotate(s, TestStructures.randomRotation(rnd, reflect));
            assertTrue(TestStructures.relativeDifference(b0, basis.atomicFeatures(r)) < 1e-10, "rotation, reflect=" + reflect);
        }
        Structure t = TestStructures.translate(s, 0.37, -1.91, 12.3);
        assertTrue(TestStructures.relativeDifference(b0, basis.atomicFeatures(t)) < 1e-10, "translation");
        int n = s.size();
        int[] perm = new int[n];
        for (int i = 0; i < n; i++) perm[i] = (i * 7 + 3) % n;
        double[] bp = basis.atomicFeatures(TestStructures.permute(s, perm));
        double[] back = new double[bp.length];
        int f = basis.size();
        for (int k = 0; k < n; k++) System.arraycopy(bp, k * f, back, perm[k] * f, f);
        assertTrue(TestStructures.relativeDifference(b0, back) < 1e-10, "permutation");
    }

    @Test
    void featuresIndependentOfCellChoiceAndIdenticalInSupercell() {
        for (AceBasis basis : new AceBasis[] {smallBinary(), fourBodyBinary()}) cellChoice(basis);
    }

    private static void cellChoice(AceBasis basis) {
        Structure s = randomBinary(12);
        double[] b0 = basis.atomicFeatures(s);
        Structure u = Lattices.changeBasis(s, new int[] {1, 1, 0, 0, 1, 0, -1, 2, 1});
        assertTrue(TestStructures.relativeDifference(b0, basis.atomicFeatures(u)) < 1e-10, "unimodular cell");
        // a skewed basis of the same lattice and its Niggli reduction
        Structure skewed = Lattices.changeBasis(s, new int[] {1, 2, 0, 0, 1, 0, 1, 1, 1});
        assertTrue(TestStructures.relativeDifference(b0, basis.atomicFeatures(skewed)) < 1e-10, "skewed cell");
        assertTrue(TestStructures.relativeDifference(b0, basis.atomicFeatures(skewed.niggliReduced())) < 1e-10, "Niggli-reduced cell");
        double[] big = basis.atomicFeatures(TestStructures.supercell2(s));
        int f = basis.size(), n = s.size();
        for (int copy = 0; copy < 8; copy++) {
            double[] part = java.util.Arrays.copyOfRange(big, copy * n * f, (copy + 1) * n * f);
            assertTrue(TestStructures.relativeDifference(b0, part) < 1e-10, "supercell copy " + copy);
        }
    }

    @Test
    void forcesAndStressMatchFiniteDifferencesOnTriclinicCells() {
        for (AceBasis basis : new AceBasis[] {smallBinary(), fourBodyBinary(),
                new AceBasis(new AceParameters(new int[] {C, SI}, 4.2, 1.2, 1.5, Double.NaN, new int[] {5, 6, 6}, 1.0, 3))}) {
            Random rnd = new Random(7);
            Structure s = randomBinary(13);
            double[][] c = randomCoefficients(rnd, 2, basis.size());
            LinearBasis.CommitteeEvaluation ev = basis.evaluate(s, c);
            double h = 1e-5;
            double[] p = s.positions();
            for (int q = 0; q < p.length; q++) {
                double[] a = p.clone(), b = p.clone();
                a[q] += h;
                b[q] -= h;
                double[] ea = basis.evaluate(s.withPositions(a), c).energies();
                double[] eb = basis.evaluate(s.withPositions(b), c).energies();
                for (int k = 0; k < 2; k++) {
                    double fd = -(ea[k] - eb[k]) / (2 * h);
                    assertEquals(fd, ev.forces()[k][q], 1e-6 * (1 + Math.abs(fd)), "model " + k + " coordinate " + q);
                }
            }
            double vol = s.cell().volume();
            for (int v = 0; v < 6; v++) {
                double[] e = new double[6];
                e[v] = h;
                double[] ea = basis.evaluate(s.withCell(s.cell().strained(e), true), c).energies();
                e[v] = -h;
                double[] eb = basis.evaluate(s.withCell(s.cell().strained(e), true), c).energies();
                for (int k = 0; k < 2; k++) {
                    // a tensor shear component enters the strain tensor twice
                    double fd = (ea[k] - eb[k]) / (2 * h) / vol / (v < 3 ? 1 : 2);
                    assertEquals(fd, ev.stress()[k][v], 1e-7 * (1 + Math.abs(fd)), "stress component " + v);
                }
            }
        }
    }

    @Test
    void everyCommitteeMemberIsBitForBitItsOwnOneModelEvaluation() {
        for (AceBasis basis : new AceBasis[] {smallBinary(), fourBodyBinary()}) {
            Structure s = randomBinary(21);
            double[][] c = randomCoefficients(new Random(5), 9, basis.size());
            LinearBasis.CommitteeEvaluation all = basis.evaluate(s, c);
            for (int k = 0; k < c.length; k++) {
                LinearBasis.CommitteeEvaluation one = basis.evaluate(s, new double[][] {c[k]});
                assertEquals(Double.doubleToRawLongBits(one.energies()[0]), Double.doubleToRawLongBits(all.energies()[k]), "energy of model " + k);
                assertTrue(java.util.Arrays.equals(one.forces()[0], all.forces()[k]), "forces of model " + k);
                assertTrue(java.util.Arrays.equals(one.stress()[0], all.stress()[k]), "stress of model " + k);
            }
        }
    }

    /**
     * The two-pass evaluation that keeps every atom's expansion (HAL's biased energy) hands {@code choose} exactly
     * {@link AceBasis#summedFeatures} and returns exactly {@code evaluate} of the chosen vector, bit for bit, with
     * 3- and 4-body couplings; a non-finite chosen coefficient is refused by name.
     */
    @Test
    void evaluationFromSummedFeaturesIsBitForBitTheTwoCalls() {
        for (AceBasis basis : new AceBasis[] {smallBinary(), fourBodyBinary()}) {
            Structure s = randomBinary(29);
            double[][] c = randomCoefficients(new Random(7), 2, basis.size());
            double[][] seen = new double[1][];
            java.util.function.Function<double[], double[]> choose = sum -> {
                seen[0] = sum.clone();
                double[] out = c[0].clone();
                double e = 0;
                for (int q = 0; q < sum.length; q++) e += (c[1][q] - c[0][q]) * sum[q];
                for (int q = 0; q < out.length; q++) out[q] -= 0.1 * e * (c[1][q] - c[0][q]);
                return out;
            };
            LinearBasis.CommitteeEvaluation fused = basis.evaluateFromSummedFeatures(s, choose);
            assertTrue(java.util.Arrays.equals(basis.summedFeatures(s), seen[0]), "choose gets the summed features");
            LinearBasis.CommitteeEvaluation ref = basis.evaluate(s, new double[][] {choose.apply(basis.summedFeatures(s))});
            assertEquals(Double.doubleToRawLongBits(ref.energies()[0]), Double.doubleToRawLongBits(fused.energies()[0]));
            assertTrue(java.util.Arrays.equals(ref.forces()[0], fused.forces()[0]), "forces");
            assertTrue(java.util.Arrays.equals(ref.stress()[0], fused.stress()[0]), "stress");
            IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                    () -> basis.evaluateFromSummedFeatures(s, sum -> {
                        double[] bad = c[0].clone();
                        bad[3] = Double.NaN;
                        return bad;
                    }));
            assertTrue(e.getMessage().contains("coefficient 3"), e.getMessage());
        }
    }

    @Test
    void summedFeaturesAreTheSumOfTheAtomicRowsAndTheEnergyRow() {
        AceBasis basis = fourBodyBinary();
        Structure s = randomBinary(23);
        double[] sum = basis.summedFeatures(s), rows = basis.atomicFeatures(s), energyRow = basis.designRows(s).energy();
        int f = basis.size();
        for (int q = 0; q < f; q++) {
            double ref = 0;
            for (int i = 0; i < s.size(); i++) ref += rows[i * f + q];
            assertEquals(ref, sum[q], 1e-12 * (1 + Math.abs(ref)), "feature " + q);
            assertEquals(energyRow[q], sum[q], 1e-12 * (1 + Math.abs(ref)), "energy row " + q);
        }
    }

    @Test
    void specWithAnUnknownKeyIsRejectedNamingTheKey() {
        Map<String, Object> spec = new java.util.LinkedHashMap<>(new AceParameters(new int[] {SI}, 4.0, 0.0, 1.0, Double.NaN, new int[] {6, 6}, 1.5, 3).toMap());
        assertEquals(new AceParameters(new int[] {SI}, 4.0, 0.0, 1.0, Double.NaN, new int[] {6, 6}, 1.5, 3), AceParameters.fromMap(spec));
        for (String bad : new String[] {"bogus", "cutoff"}) {
            Map<String, Object> m = new java.util.LinkedHashMap<>(spec);
            m.put(bad, "4");
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> AceParameters.fromMap(m));
            assertTrue(e.getMessage().contains("'" + bad + "'") && e.getMessage().contains("rCut"), e.getMessage());
        }
    }

    @Test
    void designRowsReproduceCommitteeEvaluation() {
        for (AceBasis basis : new AceBasis[] {smallBinary(), fourBodyBinary()}) designRows(basis);
    }

    private static void designRows(AceBasis basis) {
        Structure s = randomBinary(14);
        double[][] c = randomCoefficients(new Random(9), 3, basis.size());
        LinearBasis.DesignRows rows = basis.designRows(s);
        LinearBasis.CommitteeEvaluation ev = basis.evaluate(s, c);
        int f = basis.size();
        double[] features = basis.atomicFeatures(s);
        for (int k = 0; k < 3; k++) {
            assertEquals(ev.energies()[k], dot(rows.energy(), 0, c[k]), 1e-10 * (1 + Math.abs(ev.energies()[k])));
            double sumSites = 0;
            for (int i = 0; i < s.size(); i++) sumSites += dot(features, i * f, c[k]);
            assertEquals(ev.energies()[k], sumSites, 1e-10 * (1 + Math.abs(sumSites)));
            for (int q = 0; q < 3 * s.size(); q++) assertEquals(ev.forces()[k][q], dot(rows.forces(), q * f, c[k]), 1e-10, "force row " + q);
            for (int v = 0; v < 6; v++) assertEquals(ev.stress()[k][v], dot(rows.stress(), v * f, c[k]), 1e-11, "stress row " + v);
        }
    }

    @Test
    void energyAndForcesGoSmoothlyToZeroAsANeighbourCrossesTheCutoff() {
        AceBasis basis = new AceBasis(new AceParameters(new int[] {SI}, 4.0, 0.0, 1.0, Double.NaN, new int[] {8, 8}, 1.5, 2));
        double[][] c = randomCoefficients(new Random(2), 1, basis.size());
        Cell box = new Cell(new double[9], new boolean[] {false, false, false});
        double prevE = Double.NaN, prevF = Double.NaN;
        for (double r = 3.95; r <= 4.05; r += 0.001) {
            Structure dimer = Structure.of(box, new int[] {SI, SI}, new double[] {0, 0, 0, r, 0, 0});
            LinearBasis.CommitteeEvaluation ev = basis.evaluate(dimer, c);
            double e = ev.energies()[0], f = ev.forces()[0][3];
            if (r >= 4.0) {
                assertEquals(0.0, e, 0.0);
                assertEquals(0.0, f, 0.0);
            }
            if (!Double.isNaN(prevE)) {
                // envelope (1-x)^2: energy is O(d^2) and force O(d) near the cutoff, so steps shrink to zero
                double d = Math.max(0, 4.0 - r);
                assertTrue(Math.abs(e - prevE) < 1e-4, "energy jump at r=" + r);
                assertTrue(Math.abs(f - prevF) < 5e-3, "force jump at r=" + r);
                assertTrue(Math.abs(e) < 5 * (d + 0.001) * (d + 0.001) * 1e2, "energy " + e + " not quadratic at r=" + r);
            }
            prevE = e;
            prevF = f;
        }
    }

    @Test
    void specRebuildsAnIdenticalBasis() {
        AceBasis basis = smallBinary();
        Map<String, Object> spec = basis.spec();
        LinearBasis again = new AceBasisFactory().fromSpec(spec);
        Structure s = randomBinary(15);
        assertEquals(basis.size(), again.size());
        assertEquals(0.0, TestStructures.relativeDifference(basis.atomicFeatures(s), again.atomicFeatures(s)), 0.0);
        assertThrows(IllegalArgumentException.class, () -> new AceBasisFactory().fromSpec(Map.of("type", "ace", "elements", java.util.List.of("Si"), "rCut", "five")));
        assertThrows(IllegalArgumentException.class, () -> new AceBasis(AceParameters.defaults(SI)).atomicFeatures(s), "carbon is not in a Si basis");
        double[][] nan = new double[1][basis.size()];
        nan[0][3] = Double.NaN;
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> basis.evaluate(s, nan));
        assertTrue(e.getMessage().contains("coefficient 3"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> basis.evaluate(s, new double[1][basis.size() - 1]));
    }

    @Test
    void twoBodyAndThreeBodyInvariantsMatchTheirPairAndLegendreForms() {
        // nu = 1: B = Y_00 sum_j R_n(r_j); nu = 2: B = sum_{j,k} R_n1(r_j) R_n2(r_k) (2l+1)/(4 pi) P_l(cos theta_jk)
        AceBasis basis = new AceBasis(new AceParameters(new int[] {SI}, 4.0, 0.0, 0.0, Double.NaN, new int[] {2, 4}, 1.0, 2));
        Cell none = new Cell(new double[9], new boolean[] {false, false, false});
        double[] xyz = {0, 0, 0, 1.9, 0.3, -0.2, -0.4, 2.2, 0.5, 0.3, -0.6, -2.5};
        double[] b = basis.atomicFeatures(Structure.of(none, new int[] {SI, SI, SI, SI}, xyz));
        double[][] rv = {{1.9, 0.3, -0.2}, {-0.4, 2.2, 0.5}, {0.3, -0.6, -2.5}};
        for (int f = 0; f < basis.blockSize(); f++) {
            String name = basis.describeFunction(f);
            int[] ns = java.util.regex.Pattern.compile("n=(\\d+)").matcher(name).results().mapToInt(m -> Integer.parseInt(m.group(1))).toArray();
            int[] ls = java.util.regex.Pattern.compile("l=(\\d+)").matcher(name).results().mapToInt(m -> Integer.parseInt(m.group(1))).toArray();
            double expected = 0;
            if (ns.length == 1) {
                for (double[] r : rv) expected += radial(ns[0], norm(r), 4.0) / Math.sqrt(4 * Math.PI);
            } else {
                int l = ls[0];
                for (double[] r1 : rv) {
                    for (double[] r2 : rv) {
                        double cos = (r1[0] * r2[0] + r1[1] * r2[1] + r1[2] * r2[2]) / (norm(r1) * norm(r2));
                        double p = l == 0 ? 1 : l == 1 ? cos : 0.5 * (3 * cos * cos - 1);
                        expected += radial(ns[0], norm(r1), 4.0) * radial(ns[1], norm(r2), 4.0) * (2 * l + 1) / (4 * Math.PI) * p;
                    }
                }
            }
            assertEquals(expected, b[f], 1e-12 * (1 + Math.abs(expected)), name);
        }
    }

    /** Chebyshev radial function of the linear transform (lambda = 0, rIn = 0): T_n(x) (1 - x)^2, x = 2 r / rCut - 1. */
    private static double radial(int n, double r, double rCut) {
        double x = 2 * r / rCut - 1;
        return Math.cos(n * Math.acos(x)) * (1 - x) * (1 - x);
    }

    private static double norm(double[] r) {
        return Math.sqrt(r[0] * r[0] + r[1] * r[1] + r[2] * r[2]);
    }

    @Test
    void survivesJavaSerialisationAsSparkBroadcastsIt() throws Exception {
        AceBasis basis = fourBodyBinary();
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        try (java.io.ObjectOutputStream out = new java.io.ObjectOutputStream(bytes)) {
            out.writeObject(basis);
            out.writeObject(new AveragedSoap(new SoapParameters(4, 3, 0.5, 4.0, 0.5, 1.0, 4, new int[] {C, SI})));
        }
        try (java.io.ObjectInputStream in = new java.io.ObjectInputStream(new java.io.ByteArrayInputStream(bytes.toByteArray()))) {
            LinearBasis back = (LinearBasis) in.readObject();
            AveragedSoap soap = (AveragedSoap) in.readObject();
            Structure s = randomBinary(16);
            assertEquals(0.0, TestStructures.relativeDifference(basis.atomicFeatures(s), back.atomicFeatures(s)), 0.0);
            double[] p = soap.describe(s);
            assertEquals(1.0, AveragedSoap.kernel(p, new AveragedSoap(soap.parameters()).describe(s), 4), 1e-15);
        }
    }

    @Test
    void concurrentEvaluationEqualsSerialEvaluation() throws Exception {
        AceBasis basis = smallBinary();
        AveragedSoap soap = new AveragedSoap(new SoapParameters(4, 3, 0.5, 4.0, 0.5, 1.0, 4, new int[] {C, SI}));
        double[][] c = randomCoefficients(new Random(12), 2, basis.size());
        java.util.List<Structure> structures = new java.util.ArrayList<>();
        for (int k = 0; k < 8; k++) structures.add(randomBinary(100 + k));
        java.util.List<double[]> serial = new java.util.ArrayList<>();
        for (Structure s : structures) serial.add(concat(basis.evaluate(s, c).forces()[1], soap.describe(s)));
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(4);
        try {
            java.util.List<java.util.concurrent.Future<double[]>> futures = new java.util.ArrayList<>();
            for (Structure s : structures) futures.add(pool.submit(() -> concat(basis.evaluate(s, c).forces()[1], soap.describe(s))));
            for (int k = 0; k < structures.size(); k++) assertEquals(0.0, TestStructures.relativeDifference(serial.get(k), futures.get(k).get()), 0.0);
        } finally {
            pool.shutdownNow();
        }
    }

    private static double[] concat(double[] a, double[] b) {
        double[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    private static double dot(double[] rows, int off, double[] c) {
        double s = 0;
        for (int i = 0; i < c.length; i++) s += rows[off + i] * c[i];
        return s;
    }
}
