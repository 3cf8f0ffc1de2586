package org.crucible.executors.potentials;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.crucible.core.Structure;
import org.crucible.executors.calculators.StillingerWeber;
import org.crucible.executors.descriptors.AceBasis;
import org.crucible.executors.descriptors.AceParameters;
import org.junit.jupiter.api.Test;

/**
 * The bars with the real ACE basis and real Stillinger-Weber labels: 300 training structures (random cells
 * and rattled diamond, 8-16 atoms), 500 different test structures, and structures unlike the training data
 * (compressed and very open cells) for the uncertainty measures. Figures are printed for the report.
 */
class SwAceBarTest {
    /** ACE for Stillinger-Weber: cutoff = SW cutoff, correlation order <= 2 (SW is 2+3-body), l <= 2. */
    static AceParameters swAce(StillingerWeber sw) {
        return new AceParameters(new int[] {14}, sw.cutoff(), 0.0, 0.0, Double.NaN, new int[] {16, 16}, 1.0, 2);
    }

    @Test
    void accuracyUncertaintyAndDeterminismOnStillingerWeberSilicon() {
        StillingerWeber sw = StillingerWeber.silicon();
        List<Structure> train = SiStructures.label(SiStructures.mixed(1, 300), sw);
        List<Structure> test = SiStructures.label(SiStructures.mixed(2, 500), sw);
        AceBasis basis = new AceBasis(swAce(sw));
        FitResult fit = PotentialFitter.fit(train, basis, FitOptions.defaults().withSeed(7));
        FitResult.Errors errTest = PotentialFitter.errors(fit.potential(), test);
        System.out.printf("SW/ACE bar: F=%d, %d training structures fitted (%d excluded as outliers), hyperparameters %s%n",
                basis.size(), fit.structuresFitted(), fit.excluded().size(), fit.posterior().hyperparameters());
        System.out.printf("SW/ACE bar: train %s%nSW/ACE bar: test  %s%n", fit.trainingErrors(), errTest);
        assertTrue(errTest.energyMeVPerAtom() <= 2.0, "test energy RMSE " + errTest.energyMeVPerAtom() + " meV/atom");
        assertTrue(errTest.forcesMeVPerAngstrom() <= 50.0, "test force RMSE " + errTest.forcesMeVPerAngstrom() + " meV/A");

        // uncertainty on structures unlike the training data
        List<Structure> unlike = SiStructures.label(SiStructures.unlike(3, 40), sw);
        List<Double> spread = new ArrayList<>(), error = new ArrayList<>();
        List<Double> sSpread = new ArrayList<>(), sError = new ArrayList<>();
        List<Double> cSpread = new ArrayList<>(), cError = new ArrayList<>();
        int flagged = 0, flaggedCompressed = 0, unflaggedOpenBad = 0;
        double[] grades = new double[unlike.size()];
        for (int k = 0; k < unlike.size(); k++) {
            Structure s = unlike.get(k);
            Prediction p = fit.potential().predict(s);
            double[] ref = s.labels().forces();
            double se = 0;
            for (int i = 0; i < s.size(); i++) {
                double e2 = 0;
                for (int a = 0; a < 3; a++) e2 += Math.pow(p.forces()[3 * i + a] - ref[3 * i + a], 2);
                spread.add(p.forceSpread()[i]);
                error.add(Math.sqrt(e2));
                if (k % 2 == 0) {
                    cSpread.add(p.forceSpread()[i]);
                    cError.add(Math.sqrt(e2));
                }
                se += e2;
            }
            sSpread.add(p.maxForceSpread());
            sError.add(Math.sqrt(se / (3 * s.size())));
            grades[k] = p.extrapolationGrade();
            boolean flag = p.extrapolationGrade() > ActiveSet.DEFAULT_GAMMA_SELECT;
            if (flag) flagged++;
            if (flag && k % 2 == 0) flaggedCompressed++;
            if (!flag && sError.get(k) > 0.05) unflaggedOpenBad++;
        }
        double rhoAtoms = spearman(spread, error), rhoStructures = spearman(sSpread, sError), rhoCompressed = spearman(cSpread, cError);
        double[] inGrades = test.stream().limit(100).mapToDouble(s -> fit.potential().extrapolationGrade(s)).sorted().toArray();
        Arrays.sort(grades);
        System.out.printf("SW/ACE bar: unlike-training set of %d structures (%d atoms): Spearman(spread, error) per atom %.3f (compressed only %.3f),"
                        + " per structure %.3f; gamma > 2 flags %d/%d (compressed %d/%d; unflagged with force RMSE > 50 meV/A: %d); in-domain test median gamma %.2f, %d/100 above 2%n",
                unlike.size(), spread.size(), rhoAtoms, rhoCompressed, rhoStructures, flagged, unlike.size(), flaggedCompressed, unlike.size() / 2,
                unflaggedOpenBad, inGrades[50], Arrays.stream(inGrades).filter(g -> g > 2).count());
        assertTrue(rhoAtoms >= 0.5, "per-atom rank correlation " + rhoAtoms);
        assertTrue(rhoCompressed >= 0.5, "per-atom rank correlation on compressed cells " + rhoCompressed);
        // compressed cells are extrapolation and must be flagged; the open cells' environments are (linear)
        // interpolations of training environments with a short cutoff, and gamma rightly leaves them unflagged
        // only because the model is accurate there: no unflagged structure may be badly predicted
        assertTrue(flaggedCompressed >= 0.9 * unlike.size() / 2, "gamma > 2 flagged only " + flaggedCompressed + " compressed cells");
        assertTrue(unflaggedOpenBad == 0, unflaggedOpenBad + " structures with force RMSE > 50 meV/A were not flagged");

        // determinism: same data and seed, identical committee
        FitResult again = PotentialFitter.fit(train, basis, FitOptions.defaults().withSeed(7).withActiveSet(false));
        double[][] a = fit.potential().committee(), b = again.potential().committee();
        for (int k = 0; k < a.length; k++) assertArrayEquals(a[k], b[k], 0.0, "committee member " + k);
    }

    /** Spearman rank correlation (average ranks for ties). */
    static double spearman(List<Double> x, List<Double> y) {
        double[] rx = ranks(x), ry = ranks(y);
        int n = rx.length;
        double mx = 0, my = 0;
        for (int i = 0; i < n; i++) {
            mx += rx[i] / n;
            my += ry[i] / n;
        }
        double sxy = 0, sxx = 0, syy = 0;
        for (int i = 0; i < n; i++) {
            sxy += (rx[i] - mx) * (ry[i] - my);
            sxx += (rx[i] - mx) * (rx[i] - mx);
            syy += (ry[i] - my) * (ry[i] - my);
        }
        return sxy / Math.sqrt(sxx * syy);
    }

    private static double[] ranks(List<Double> v) {
        int n = v.size();
        Integer[] idx = new Integer[n];
        for (int i = 0; i < n; i++) idx[i] = i;
        Arrays.sort(idx, (a, b) -> Double.compare(v.get(a), v.get(b)));
        double[] r = new double[n];
        for (int i = 0; i < n; ) {
            int j = i;
            while (j + 1 < n && v.get(idx[j + 1]).equals(v.get(idx[i]))) j++;
            for (int k = i; k <= j; k++) r[idx[k]] = (i + j) / 2.0 + 1;
            i = j + 1;
        }
        return r;
    }
}
