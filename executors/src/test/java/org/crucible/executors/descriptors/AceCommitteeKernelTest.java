package org.crucible.executors.descriptors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.Random;
import org.crucible.core.Structure;
import org.crucible.executors.potentials.LinearPotential;
import org.crucible.executors.potentials.Prediction;
import org.junit.jupiter.api.Test;

/**
 * The K-column committee kernel against the straightforward reference: every model evaluated on its own (the
 * one-model pass of {@link AceBasis#evaluate}) and the committee measures formed from those K + 1 results.
 */
class AceCommitteeKernelTest {
    private static final int SI = 14, C = 6;

    private static double[][] coefficients(Random rnd, int k, int f, double zeroFraction) {
        double[] mean = new double[f];
        for (int q = 0; q < f; q++) mean[q] = rnd.nextDouble() < zeroFraction ? 0.0 : rnd.nextGaussian() * 0.02;
        double[][] c = new double[k][];
        c[0] = mean;
        for (int m = 1; m < k; m++) {
            c[m] = new double[f];
            // pruned rows (zero in the mean) stay zero in every member, as in an ARD fit
            for (int q = 0; q < f; q++) c[m][q] = mean[q] == 0 ? 0.0 : mean[q] + rnd.nextGaussian() * 0.005;
        }
        return c;
    }

    private static void assertBitForBitPerModel(AceBasis basis, Structure s, double[][] c) {
        LinearBasis.CommitteeEvaluation all = basis.evaluate(s, c);
        LinearBasis.CommitteeEvaluation reference = basis.evaluateModelByModel(s, c);
        for (int k = 0; k < c.length; k++) {
            assertTrue(java.util.Arrays.equals(reference.forces()[k], all.forces()[k]), "forces of model " + k + " against the model-by-model pass");
            assertTrue(java.util.Arrays.equals(reference.stress()[k], all.stress()[k]), "stress of model " + k + " against the model-by-model pass");
            LinearBasis.CommitteeEvaluation one = basis.evaluate(s, new double[][] {c[k]});
            assertEquals(Double.doubleToRawLongBits(one.energies()[0]), Double.doubleToRawLongBits(all.energies()[k]), "energy of model " + k);
            assertTrue(java.util.Arrays.equals(one.forces()[0], all.forces()[k]), "forces of model " + k);
            assertTrue(java.util.Arrays.equals(one.stress()[0], all.stress()[k]), "stress of model " + k);
        }
    }

    @Test
    void defaultSiliconBasisUsesTheKernelAndEveryModelIsItsOwnOnePassBitForBit() {
        AceBasis basis = new AceBasis(AceParameters.defaults(SI));
        assertTrue(AceCommitteeKernel.handles(basis), "the default basis is evaluated by the kernel");
        Random rnd = new Random(3);
        for (int trial = 0; trial < 3; trial++) {
            Structure s = TestStructures.randomCell(rnd, 16, new int[] {SI}, 20.0, 2.0);
            // K + 1 = 9 (three register blocks of three), 5 (a block and a remainder of two), 2 (remainder only)
            for (int k : new int[] {9, 5, 2}) assertBitForBitPerModel(basis, s, coefficients(rnd, k, basis.size(), trial == 1 ? 0.4 : 0.0));
        }
    }

    @Test
    void twoElementBasisAndFourBodyFallbackAreBitForBitToo() {
        AceBasis binary = new AceBasis(new AceParameters(new int[] {C, SI}, 4.0, 0.0, 1.0, Double.NaN, new int[] {8, 6, 6}, 1.5, 3));
        AceBasis fourBody = new AceBasis(new AceParameters(new int[] {C, SI}, 4.0, 0.0, 1.0, Double.NaN, new int[] {5, 5, 5, 5}, 1.0, 2));
        assertTrue(AceCommitteeKernel.handles(binary));
        assertFalse(AceCommitteeKernel.handles(fourBody), "nu = 4 bases go model by model");
        Random rnd = new Random(11);
        for (AceBasis basis : new AceBasis[] {binary, fourBody}) {
            Structure s = TestStructures.randomCell(rnd, 12, new int[] {SI, C, SI}, 14.0, 1.6);
            assertBitForBitPerModel(basis, s, coefficients(rnd, 9, basis.size(), 0.2));
        }
    }

    @Test
    void predictionMatchesTheKPassReferenceToTenDigits() {
        AceBasis basis = new AceBasis(AceParameters.defaults(SI));
        Random rnd = new Random(5);
        double[][] c = coefficients(rnd, 9, basis.size(), 0.0);
        double[][] members = java.util.Arrays.copyOfRange(c, 1, 9);
        LinearPotential pot = new LinearPotential(basis, c[0], members, Map.of(SI, -4.0), null, LinearPotential.DEFAULT_EPSILON);
        for (int trial = 0; trial < 2; trial++) {
            Structure s = TestStructures.randomCell(rnd, 16, new int[] {SI}, 20.0, 2.0);
            Prediction p = pot.predict(s, false);
            // reference: K + 1 separate one-model passes
            LinearBasis.CommitteeEvaluation[] one = new LinearBasis.CommitteeEvaluation[9];
            for (int k = 0; k < 9; k++) one[k] = basis.evaluate(s, new double[][] {c[k]});
            double[] f0 = one[0].forces()[0];
            assertEquals(one[0].energies()[0] - 4.0 * s.size(), p.energy(), 1e-10 * Math.abs(p.energy()));
            double var = 0;
            for (int k = 1; k < 9; k++) var += Math.pow(one[k].energies()[0] - one[0].energies()[0], 2) / 8;
            assertEquals(Math.sqrt(var), p.sigmaEnergy(), 1e-10 * Math.sqrt(var));
            double maxF = 0, maxS = 0;
            for (int i = 0; i < s.size(); i++) {
                double sp = 0;
                for (int k = 1; k < 9; k++) for (int a = 0; a < 3; a++) sp += Math.pow(one[k].forces()[0][3 * i + a] - f0[3 * i + a], 2) / 8;
                sp = Math.sqrt(sp);
                assertTrue(sp > 0);
                assertEquals(sp, p.forceSpread()[i], 1e-10 * sp, "force spread of atom " + i);
                double fn = Math.sqrt(f0[3 * i] * f0[3 * i] + f0[3 * i + 1] * f0[3 * i + 1] + f0[3 * i + 2] * f0[3 * i + 2]);
                assertEquals(sp / (fn + pot.epsilon()), p.relativeForceUncertainty()[i], 1e-10 * sp / (fn + pot.epsilon()));
                for (int a = 0; a < 3; a++) assertEquals(f0[3 * i + a], p.forces()[3 * i + a], 1e-10 * (1 + fn));
                maxF = Math.max(maxF, fn);
                maxS = Math.max(maxS, sp);
            }
            assertEquals(maxS / maxF, p.ensembleUncertainty(), 1e-10 * maxS / maxF);
            for (int a = 0; a < 6; a++) assertEquals(one[0].stress()[0][a], p.stress()[a], 1e-10 * (1 + Math.abs(one[0].stress()[0][a])));
        }
    }
}
