package org.crucible.executors.potentials;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import org.crucible.core.Structure;
import org.crucible.executors.calculators.StillingerWeber;
import org.crucible.executors.descriptors.AceBasis;
import org.crucible.executors.descriptors.AceParameters;
import org.junit.jupiter.api.Test;

class SwAceBarTest {
    @Test
    void experiment() {
        long t0 = System.nanoTime();
        StillingerWeber sw = StillingerWeber.silicon();
        List<Structure> train = SiStructures.label(SiStructures.mixed(1, 300), sw);
        List<Structure> test = SiStructures.label(SiStructures.mixed(2, 500), sw);
        long t1 = System.nanoTime();
        System.out.printf("label %.1fs%n", (t1 - t0) / 1e9);
        double[] mf = test.stream().mapToDouble(s -> s.labels().maxForce()).sorted().toArray();
        System.out.printf("test max force quantiles 50%% %.2f 90%% %.2f 99%% %.2f max %.2f%n", mf[250], mf[450], mf[495], mf[499]);
        double[] de = ObservationWeights.energyAboveHull(train.stream().mapToDouble(s -> s.cell().volume() / s.size()).toArray(),
                train.stream().mapToDouble(s -> s.labels().energy() / s.size()).toArray());
        Arrays.sort(de);
        System.out.printf("train dE quantiles 10%% %.3f 50%% %.3f 90%% %.3f%n", de[30], de[150], de[270]);
        for (AceParameters p : new AceParameters[] {
                new AceParameters(new int[] {14}, sw.cutoff(), 0.0, 0.0, Double.NaN, new int[] {16, 16}, 1.0, 2),
                }) {
            AceBasis basis = new AceBasis(p);
            for (FitOptions o : new FitOptions[] {FitOptions.defaults().withActiveSet(false).withOutlierSigmas(Double.POSITIVE_INFINITY)}) {
            long a = System.nanoTime();
            FitResult fit = PotentialFitter.fit(train, basis, o);
            long b = System.nanoTime();
            FitResult.Errors e = PotentialFitter.errors(fit.potential(), test);
            double[] worst = test.stream().mapToDouble(s -> {
                double[] f1 = s.labels().forces(), f2 = fit.potential().calculate(s).forces();
                double m = 0;
                for (int i = 0; i < f1.length; i++) m = Math.max(m, Math.abs(f1[i] - f2[i]));
                return m;
            }).sorted().toArray();
            List<FitResult.Excluded> testOut = PotentialFitter.outliers(test, 3);
            System.out.println("test outliers " + testOut.size() + " first " + (testOut.isEmpty() ? "" : testOut.get(0).reason()));
            java.util.Set<Integer> drop = new java.util.HashSet<>();
            for (var x : testOut) drop.add(x.index());
            List<Structure> clean = new java.util.ArrayList<>();
            for (int i = 0; i < test.size(); i++) if (!drop.contains(i)) clean.add(test.get(i));
            System.out.println("test without outliers " + PotentialFitter.errors(fit.potential(), clean));
            System.out.printf("%s F=%d fit %.1fs train %s test %s hyper %s excluded %d; per-structure max force error 50%% %.3f 90%% %.3f 99%% %.3f max %.3f%n", p, basis.size(), (b - a) / 1e9,
                    fit.trainingErrors(), e, fit.posterior().hyperparameters(), fit.excluded().size(), worst[250], worst[450], worst[495], worst[499]);
        }}
        assertTrue(true);
    }
}
