package org.crucible.executors.potentials;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.crucible.core.Labels;
import org.crucible.core.Structure;
import org.crucible.executors.calculators.CalculationException;
import org.crucible.executors.calculators.Calculator;
import org.crucible.executors.descriptors.LinearBasis;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The potential on the small PairDensityBasis, with labels from a richer "truth" of the same family (a larger
 * basis, so the model is slightly misspecified as a real fit is) plus per-atom reference energy.
 */
class PotentialTest {
    static final double E0 = -4.0;
    static final LinearBasis TRUTH_BASIS = new PairDensityBasis(6, 5.0);
    static final double[] TRUTH = {-1.2, 2.0, -1.5, 0.8, 0.4, -0.3, 0.35, -0.2, 0.1, 0.05, -0.02, 0.01};
    static final Calculator TRUTH_CALC = new Calculator() {
        @Override
        public Set<Property> implementedProperties() {
            return EnumSet.allOf(Property.class);
        }

        @Override
        public Labels calculate(Structure s) {
            var ev = TRUTH_BASIS.evaluate(s, new double[][] {TRUTH});
            return new Labels(ev.energies()[0] + E0 * s.size(), ev.forces()[0], ev.stress()[0]);
        }
    };
    static List<Structure> train;
    static List<Structure> test;
    static FitResult fit;

    @BeforeAll
    static void fitOnce() {
        train = SiStructures.label(SiStructures.mixed(11, 60), TRUTH_CALC);
        test = SiStructures.label(SiStructures.mixed(12, 30), TRUTH_CALC);
        fit = PotentialFitter.fit(train, new PairDensityBasis(5, 5.0), FitOptions.defaults().withSeed(5));
    }

    @Test
    void testBasisForcesAndStressAreDerivativesOfTheEnergy() {
        Structure s = SiStructures.randomCell(new Random(3), 9, 19, 2.1);
        LinearBasis b = new PairDensityBasis(3, 4.5);
        var rows = b.designRows(s);
        int f = b.size();
        double h = 1e-5;
        double[] x = s.positions();
        for (int c : new int[] {0, 4, 26}) {
            double[] xp = x.clone(), xm = x.clone();
            xp[c] += h;
            xm[c] -= h;
            var ep = b.designRows(s.withPositions(xp)).energy();
            var em = b.designRows(s.withPositions(xm)).energy();
            for (int j = 0; j < f; j++) assertEquals(-(ep[j] - em[j]) / (2 * h), rows.forces()[c * f + j], 1e-6, "force row " + c + " feature " + j);
        }
        double[] strain = new double[6];
        strain[5] = h; // tensor shear: eps_xy = eps_yx = h, so dE/dh = 2 V sigma_xy
        double v = s.cell().volume();
        var sp = b.designRows(s.withCell(s.cell().strained(strain), true)).energy();
        strain[5] = -h;
        var sm = b.designRows(s.withCell(s.cell().strained(strain), true)).energy();
        for (int j = 0; j < f; j++) assertEquals((sp[j] - sm[j]) / (2 * h) / v / 2, rows.stress()[5 * f + j], 1e-6, "stress xy feature " + j);
    }

    @Test
    void fitReachesSmallErrorsOnUnseenStructuresAndRecordsProvenance() {
        FitResult.Errors errTest = PotentialFitter.errors(fit.potential(), test);
        assertTrue(fit.trainingErrors().energyMeVPerAtom() < 5, "train energy RMSE " + fit.trainingErrors());
        assertTrue(errTest.energyMeVPerAtom() < 10, "test energy RMSE " + errTest);
        assertTrue(errTest.forcesMeVPerAngstrom() < 100, "test force RMSE " + errTest);
        assertEquals(64, fit.dataHash().length());
        assertEquals(PotentialFitter.dataHash(train), fit.dataHash());
        assertEquals(8, fit.potential().committeeSize());
        assertNotNull(fit.potential().activeSet());
        assertTrue(fit.posterior().alpha() > 0 && fit.posterior().lambdas()[0] > 0);
        // reference energy fitted near the truth's E0 plus the mean many-body energy
        assertTrue(Math.abs(fit.potential().referenceEnergies().get(14) - E0) < 3, "E0 " + fit.potential().referenceEnergies());
    }

    @Test
    void committeeSpreadGrowsOutsideTheTrainingDomainAndGradesFlagIt() {
        double inSpread = 0, outSpread = 0, inGamma = 0;
        int flagged = 0;
        List<Structure> compressed = new ArrayList<>();
        Random rng = new Random(99);
        for (int i = 0; i < 10; i++) compressed.add(SiStructures.randomCell(rng, 10, 11, 1.75));
        for (Structure s : test) {
            Prediction p = fit.potential().predict(s);
            inSpread += p.maxForceSpread() / test.size();
            inGamma = Math.max(inGamma, 0);
        }
        for (Structure s : compressed) {
            Prediction p = fit.potential().predict(s);
            outSpread += p.maxForceSpread() / compressed.size();
            if (p.extrapolationGrade() > ActiveSet.DEFAULT_GAMMA_SELECT) flagged++;
            assertTrue(p.sigmaEnergy() > 0);
            assertEquals(s.size(), p.forceSpread().length);
        }
        assertTrue(outSpread > 3 * inSpread, "spread in-domain " + inSpread + " vs compressed " + outSpread);
        // with E0 fitted jointly, committee members share it: in-domain sigma_E stays at the scale of the error
        for (Structure s : test.subList(0, 10)) {
            Prediction p = fit.potential().predict(s);
            double err = Math.abs(p.energy() - s.labels().energy());
            assertTrue(p.sigmaEnergy() < 10 * err + 0.01 * s.size(), "sigma_E " + p.sigmaEnergy() + " vs error " + err);
        }
        assertTrue(flagged >= 8, "gamma > 2 flagged only " + flagged + " of 10 compressed cells");
        // training structures interpolate
        for (Structure s : train.subList(0, 10)) {
            assertTrue(fit.potential().extrapolationGrade(s) <= 1 + ActiveSet.MAXVOL_TOLERANCE + 1e-9, "training structure graded " + fit.potential().extrapolationGrade(s));
        }
    }

    @Test
    void uncertaintyMeasuresFollowTheirDefinitions() {
        Structure s = test.get(3);
        LinearPotential pot = fit.potential();
        Prediction p = pot.predict(s);
        double[][] all = new double[9][];
        all[0] = pot.coefficients();
        double[][] com = pot.committee();
        System.arraycopy(com, 0, all, 1, 8);
        var ev = pot.basis().evaluate(s, all);
        double var = 0;
        for (int k = 1; k <= 8; k++) var += Math.pow(ev.energies()[k] - ev.energies()[0], 2) / 8;
        assertEquals(Math.sqrt(var), p.sigmaEnergy(), 1e-12);
        double maxF = 0, maxS = 0;
        for (int i = 0; i < s.size(); i++) {
            double sp = 0;
            for (int k = 1; k <= 8; k++) for (int a = 0; a < 3; a++) sp += Math.pow(ev.forces()[k][3 * i + a] - ev.forces()[0][3 * i + a], 2) / 8;
            sp = Math.sqrt(sp);
            assertEquals(sp, p.forceSpread()[i], 1e-12);
            double fn = Math.sqrt(Math.pow(p.forces()[3 * i], 2) + Math.pow(p.forces()[3 * i + 1], 2) + Math.pow(p.forces()[3 * i + 2], 2));
            assertEquals(sp / (fn + pot.epsilon()), p.relativeForceUncertainty()[i], 1e-12);
            maxF = Math.max(maxF, fn);
            maxS = Math.max(maxS, sp);
        }
        assertEquals(maxS / maxF, p.ensembleUncertainty(), 1e-12);
        assertTrue(p.softmaxRelativeForceUncertainty() <= p.maxRelativeForceUncertainty() + 1e-15);
        double mean = 0;
        for (double f : p.relativeForceUncertainty()) mean += f / s.size();
        assertTrue(p.softmaxRelativeForceUncertainty() >= mean - 1e-15);
        assertEquals(E0 * 0 + p.energy(), pot.calculate(s).energy(), 0.0);
    }

    @Test
    void biasedOnePassEqualsTheSumOverCommitteeGradientsAndMeanCalculateEqualsPredict() {
        LinearPotential pot = fit.potential();
        double tau = 0.7;
        for (Structure s : test.subList(0, 5)) {
            LinearBasis.CommitteeEvaluation ev = pot.evaluate(s);
            int k = pot.committeeSize();
            double e = ev.energies()[0], var = 0;
            for (int m = 1; m <= k; m++) var += (ev.energies()[m] - e) * (ev.energies()[m] - e);
            double sigma = Math.sqrt(var / k);
            assertTrue(sigma > 0, "committee spread");
            double[] f = ev.forces()[0].clone(), st = ev.stress()[0].clone();
            for (int m = 1; m <= k; m++) {
                double w = tau / (k * sigma) * (ev.energies()[m] - e);
                for (int j = 0; j < f.length; j++) f[j] -= w * (ev.forces()[m][j] - ev.forces()[0][j]);
                for (int a = 0; a < 6; a++) st[a] -= w * (ev.stress()[m][a] - ev.stress()[0][a]);
            }
            Labels l = pot.biased(tau).calculate(s);
            double scale = 0;
            for (double v : f) scale = Math.max(scale, Math.abs(v));
            for (int j = 0; j < f.length; j++) assertEquals(f[j], l.forces()[j], 1e-10 * (1 + scale), "biased force " + j);
            for (int a = 0; a < 6; a++) assertEquals(st[a], l.stress()[a], 1e-12, "biased stress " + a);
            assertEquals(e + pot.referenceEnergy(s) - tau * sigma, l.energy(), 1e-9 * (1 + Math.abs(l.energy())));
            Labels mean = pot.calculate(s);
            Prediction p = pot.predict(s, false);
            assertEquals(p.energy(), mean.energy(), 0.0);
            assertArrayEquals(p.labels().forces(), mean.forces(), 0.0);
            assertArrayEquals(p.labels().stress(), mean.stress(), 0.0);
        }
    }

    @Test
    void biasedForcesAreMinusTheGradientOfTheBiasedEnergy() {
        Calculator biased = fit.potential().biased(0.5);
        Structure s = test.get(0);
        Labels l = biased.calculate(s);
        Prediction p = fit.potential().predict(s);
        assertEquals(p.energy() - 0.5 * p.sigmaEnergy(), l.energy(), 1e-12);
        double h = 1e-5;
        double[] x = s.positions();
        for (int c : new int[] {0, 5, 13}) {
            double[] xp = x.clone(), xm = x.clone();
            xp[c] += h;
            xm[c] -= h;
            double fd = -(biased.calculate(s.withPositions(xp)).energy() - biased.calculate(s.withPositions(xm)).energy()) / (2 * h);
            assertEquals(fd, l.forces()[c], 1e-5, "biased force component " + c);
        }
        double[] strain = new double[6];
        strain[0] = h;
        double ep = biased.calculate(s.withCell(s.cell().strained(strain), true)).energy();
        strain[0] = -h;
        double em = biased.calculate(s.withCell(s.cell().strained(strain), true)).energy();
        assertEquals((ep - em) / (2 * h) / s.cell().volume(), l.stress()[0], 1e-6, "biased stress xx");
        assertThrows(IllegalArgumentException.class, () -> fit.potential().biased(-1));
    }

    @Test
    void modelFileRoundTripReproducesPredictionsBitForBit(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("model.json");
        ModelFile.write(fit, file);
        PotentialModel loaded = ModelFile.read(file);
        assertEquals(fit.dataHash(), loaded.provenance().get("data_sha256"));
        assertEquals(5, ((Number) loaded.provenance().get("seed")).intValue());
        for (Structure s : test.subList(0, 5)) {
            Prediction a = fit.potential().predict(s), b = loaded.potential().predict(s);
            assertEquals(a.energy(), b.energy(), 0.0);
            assertArrayEquals(a.forces(), b.forces(), 0.0);
            assertArrayEquals(a.stress(), b.stress(), 0.0);
            assertEquals(a.sigmaEnergy(), b.sigmaEnergy(), 0.0);
            assertEquals(a.extrapolationGrade(), b.extrapolationGrade(), 0.0);
        }
        String text = Files.readString(file);
        assertTrue(text.contains("\"format\" : \"crucible-linear-potential\""));
        Files.writeString(file, text.replace("\"version\" : 1", "\"version\" : 99"));
        var e = assertThrows(ModelFile.ModelFileException.class, () -> ModelFile.read(file));
        assertTrue(e.getMessage().contains("version") && e.getMessage().contains(file.toString()), e.getMessage());
        Files.writeString(file, text.replace("\"coefficients\" : [ ", "\"coefficients\" : [ \"x\", "));
        e = assertThrows(ModelFile.ModelFileException.class, () -> ModelFile.read(file));
        assertTrue(e.getMessage().contains("coefficients[0]"), e.getMessage());
    }

    @Test
    void javaSerialisationForSparkBroadcastPreservesPredictions() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(fit.potential());
        }
        LinearPotential copy;
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            copy = (LinearPotential) in.readObject();
        }
        Structure s = test.get(1);
        assertEquals(fit.potential().predict(s).energy(), copy.predict(s).energy(), 0.0);
        assertEquals(fit.potential().predict(s).extrapolationGrade(), copy.predict(s).extrapolationGrade(), 0.0);
    }

    @Test
    void sameDataAndSeedGiveIdenticalCommittees() {
        FitResult again = PotentialFitter.fit(train, new PairDensityBasis(5, 5.0), FitOptions.defaults().withSeed(5));
        FitResult other = PotentialFitter.fit(train, new PairDensityBasis(5, 5.0), FitOptions.defaults().withSeed(6));
        double[][] a = fit.potential().committee(), b = again.potential().committee(), c = other.potential().committee();
        for (int k = 0; k < a.length; k++) assertArrayEquals(a[k], b[k], 0.0, "member " + k);
        assertArrayEquals(fit.potential().coefficients(), other.potential().coefficients(), 0.0);
        assertFalse(a[0][0] == c[0][0], "a different seed draws a different committee");
    }

    @Test
    void ardFitPrunesAndStillFits() {
        FitResult ard = PotentialFitter.fit(train, new PairDensityBasis(5, 5.0), FitOptions.defaults().withSolver("ard").withActiveSet(false));
        assertEquals("ard", ard.posterior().solver());
        assertTrue(ard.trainingErrors().forcesMeVPerAngstrom() < 3 * fit.trainingErrors().forcesMeVPerAngstrom() + 5, "ARD " + ard.trainingErrors() + " BRR " + fit.trainingErrors());
        assertTrue(Double.isNaN(ard.potential().predict(test.get(0)).extrapolationGrade()));
    }

    @Test
    void outliersAreExcludedAndRecorded() {
        List<Structure> data = new ArrayList<>(train);
        Structure bad = train.get(2);
        double[] f = bad.labels().forces();
        f[0] += 200;
        data.add(bad.withLabels(new Labels(bad.labels().energy(), f, bad.labels().stress())));
        FitResult r = PotentialFitter.fit(data, new PairDensityBasis(5, 5.0), FitOptions.defaults().withActiveSet(false));
        assertEquals(1, r.excluded().size());
        assertEquals(data.size() - 1, r.excluded().get(0).index());
        assertTrue(r.excluded().get(0).reason().contains("mean"), r.excluded().get(0).reason());
        assertEquals(train.size(), r.structuresFitted());
        FitResult keepAll = PotentialFitter.fit(data, new PairDensityBasis(5, 5.0), FitOptions.defaults().withActiveSet(false).withOutlierSigmas(Double.POSITIVE_INFINITY));
        assertEquals(0, keepAll.excluded().size());
    }

    /**
     * A DFT code's energies sit about -100 eV/atom below an embedded potential's (its pseudo-atom reference). With an
     * isolated atom in the data the fit starts from that atom's energy (GAP's e0), so shifting every energy by a
     * constant per atom shifts the model by exactly that constant and changes nothing else: the same forces, the same
     * energy differences. Before, the prior shrank the whole offset and the basis took up the rest.
     */
    @Test
    void aConstantEnergyShiftPerAtomMovesOnlyTheReferenceWhenTheDataHoldsAnIsolatedAtom() {
        org.crucible.core.Cell box = new org.crucible.core.Cell(org.crucible.core.Cell.cubic(12).matrix(), new boolean[] {false, false, false});
        Structure atom = Structure.of(box, new int[] {14}, new double[] {6, 6, 6});
        List<Structure> data = new ArrayList<>(train);
        data.add(atom.withLabels(TRUTH_CALC.calculate(atom)));
        double shift = -103.5;
        List<Structure> shifted = new ArrayList<>();
        for (Structure s : data) {
            Labels l = s.labels();
            shifted.add(s.withLabels(new Labels(l.energy() + shift * s.size(), l.forces(), l.stress())));
        }
        assertEquals(E0 + shift, PotentialFitter.isolatedAtomEnergies(shifted).get(14), 1e-12);
        FitOptions o = FitOptions.defaults().withSeed(5).withActiveSet(false);
        LinearPotential a = PotentialFitter.fit(data, new PairDensityBasis(5, 5.0), o).potential();
        LinearPotential b = PotentialFitter.fit(shifted, new PairDensityBasis(5, 5.0), o).potential();
        assertEquals(a.referenceEnergies().get(14) + shift, b.referenceEnergies().get(14), 1e-8);
        for (Structure s : test) {
            var pa = a.predict(s);
            var pb = b.predict(s);
            assertEquals(pa.energy() + shift * s.size(), pb.energy(), 1e-7 * s.size(), "energy shifted by the constant only");
            assertArrayEquals(pa.forces(), pb.forces(), 1e-8, "the same forces");
        }
    }

    @Test
    void missingReferenceEnergyIsACalculationError() {
        Structure carbon = Structure.of(org.crucible.core.Cell.cubic(6), new int[] {6, 14}, new double[] {0, 0, 0, 1.9, 0, 0});
        var e = assertThrows(CalculationException.class, () -> fit.potential().calculate(carbon));
        assertTrue(e.getMessage().contains("C") && e.getMessage().contains("reference energy"), e.getMessage());
        var given = FitOptions.defaults().withReferenceEnergies(Map.of(14, -3.0)).withActiveSet(false);
        assertEquals(-3.0, PotentialFitter.fit(train, new PairDensityBasis(3, 5.0), given).potential().referenceEnergies().get(14), 0.0);
    }
}
