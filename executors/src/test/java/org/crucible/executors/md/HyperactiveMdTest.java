package org.crucible.executors.md;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.crucible.core.Labels;
import org.crucible.core.Structure;
import org.crucible.executors.calculators.StillingerWeber;
import org.crucible.executors.descriptors.AceBasis;
import org.crucible.executors.descriptors.AceParameters;
import org.crucible.executors.potentials.FitOptions;
import org.crucible.executors.potentials.LinearPotential;
import org.crucible.executors.potentials.PotentialFitter;
import org.crucible.executors.potentials.SiStructures;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * HAL MD on Si8 with a small ACE committee (K = 8, correlation order 2 with 16 radial functions, l &lt;= 2) fitted by Bayesian ridge to
 * Stillinger-Weber labels of 10 rattled and strained diamond cells: Eq. 12's adaptive tau, tau_r = 0, the Eq. 6-8
 * stop, determinism, and agreement of {@link HalEvaluation} with {@code LinearPotential.biased}.
 */
class HyperactiveMdTest {
    static LinearPotential committee;
    static List<Structure> training;

    @BeforeAll
    static synchronized void fit() {
        if (committee != null) return;
        StillingerWeber sw = StillingerWeber.silicon();
        Random rng = new Random(11);
        List<Structure> raw = new ArrayList<>();
        for (int k = 0; k < 10; k++) raw.add(SiStructures.rattledDiamond(rng, false, 0.02 + 0.1 * rng.nextDouble(), 0.02));
        training = SiStructures.label(raw, sw);
        AceBasis basis = new AceBasis(new AceParameters(new int[] {14}, sw.cutoff(), 0.0, 0.0, Double.NaN, new int[] {16, 16}, 1.0, 2));
        committee = PotentialFitter.fit(training, basis, FitOptions.defaults().withSeed(3)).potential();
    }

    static Structure diamond() {
        return SiStructures.rattledDiamond(new Random(5), false, 0.0, 0.0);
    }

    @Test
    void evaluationAtTauEqualsTheBiasedCalculator() {
        Structure s = training.get(3).withLabels(null);
        HalEvaluation ev = HalEvaluation.of(committee, s);
        Labels mine = ev.labels(0.37);
        Labels ref = committee.biased(0.37).calculate(s);
        assertEquals(ref.energy(), mine.energy(), 1e-9);
        assertArrayEquals(ref.forces(), mine.forces(), 1e-9);
        assertArrayEquals(ref.stress(), mine.stress(), 1e-10);
        assertEquals(committee.predict(s, false).energy(), ev.labels(0).energy(), 1e-12);
    }

    @Test
    void adaptiveTauDrivesTheBiasToModelForceRatioToTauR() {
        double tauR = 0.1;
        HalSettings set = HalSettings.nvt(600, 1.0, 400, tauR).withTolerance(0.999);
        List<Double> taus = new ArrayList<>();
        HalTrajectory t = new HyperactiveMd(committee, set).run(diamond(), 7, st -> taus.add(st.tau()));
        assertFalse(t.triggered(), "the stop criterion must not fire at s_tol 0.999 near the training data: " + t.describe());
        assertEquals(400, t.step());
        for (int k = 0; k <= 100; k++) assertEquals(0.0, taus.get(k), "tau during the burn-in at step " + k);
        assertTrue(taus.get(101) > 0, "tau after the burn-in");
        // over the last 100 steps, mean |tau g| / mean |F| must equal tau_r within 15 %
        System.out.printf("HAL adaptive tau: tau_r %.3f, measured ratio %.4f, final tau %.4f%n", tauR, t.meanBiasRatio(), t.tau());
        assertEquals(tauR, t.meanBiasRatio(), 0.15 * tauR, "bias/model force ratio " + t.meanBiasRatio());
    }

    @Test
    void tauRZeroNeverBiases() {
        HalSettings set = HalSettings.nvt(600, 1.0, 150, 0.0).withTolerance(0.999).withAveraging(10, 10);
        List<double[]> check = new ArrayList<>();
        new HyperactiveMd(committee, set).run(diamond(), 8, st -> check.add(new double[] {st.tau(), st.evaluation().meanBiasForceNorm()}));
        assertEquals(151, check.size());
        for (double[] c : check) assertEquals(0.0, c[0]);
        assertTrue(check.get(50)[1] > 0, "the bias gradient exists, tau_r = 0 just does not use it");
    }

    @Test
    void softmaxStopsOnAnExtrapolatingConfigurationAndNotOnATrainingOne() {
        HalSettings set = HalSettings.nvt(300, 1.0, 60, 0.1).withTolerance(0.5);
        for (int k = 0; k < 5; k++) {
            HalTrajectory t = new HyperactiveMd(committee, set).run(training.get(k).withLabels(null), 20 + k, null);
            assertFalse(t.triggered(), "training configuration " + k + " triggered: " + t.describe());
            assertTrue(t.softmax() < 0.5);
        }
        // diamond compressed 10 % in length and rattled by 0.4 Angstrom: far outside the training data
        Structure far = SiStructures.rattledDiamond(new Random(2), false, 0.4, 0.0);
        far = far.withCell(far.cell().withMatrix(java.util.Arrays.stream(far.cell().matrix()).map(x -> 0.9 * x).toArray()), true);
        HalTrajectory t = new HyperactiveMd(committee, set).run(far, 3, null);
        System.out.println("HAL stop on compressed rattled diamond: " + t.describe());
        assertTrue(t.triggered(), t.describe());
        assertTrue(t.softmax() > 0.5 && t.maxRelative() >= t.softmax() - 1e-12, t.describe());
        assertEquals(t.step() * 1.0, t.timeFs(), 1e-12);
        assertEquals(Boolean.TRUE, t.provenance().get("hal_triggered"));
    }

    @Test
    void sameSeedSameTrajectoryBitForBit() {
        HalSettings set = HalSettings.nvt(900, 1.0, 150, 0.2).withTolerance(0.999).withAveraging(20, 20);
        HalTrajectory a = new HyperactiveMd(committee, set).run(diamond(), 42, null);
        HalTrajectory b = new HyperactiveMd(committee, set).run(diamond(), 42, null);
        HalTrajectory c = new HyperactiveMd(committee, set).run(diamond(), 43, null);
        assertArrayEquals(a.structure().positions(), b.structure().positions());
        assertEquals(a.tau(), b.tau());
        assertEquals(a.softmax(), b.softmax());
        assertNotEquals(a.structure().positions()[0], c.structure().positions()[0]);
    }
}
