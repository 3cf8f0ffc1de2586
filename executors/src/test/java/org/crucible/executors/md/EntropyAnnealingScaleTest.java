package org.crucible.executors.md;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.crucible.core.Cell;
import org.crucible.core.Structure;
import org.crucible.executors.calculators.Eam;
import org.crucible.executors.calculators.EntropyEffectiveEnergy;
import org.crucible.executors.calculators.EnvironmentFeatures;
import org.crucible.executors.descriptors.NearestNeighbourEntropy;
import org.junit.jupiter.api.Test;

/**
 * The features' element scale ({@link EnvironmentFeatures#forNearestNeighbour}): exact invariance under scaling the
 * structure with d_nn, and a second element (fcc Al, d_nn 2.86 Angstrom, labelled by {@code Al_zhou.eam.alloy}) annealed
 * with the rule's lengths.
 */
class EntropyAnnealingScaleTest {
    private static Structure random(int n, double a, long seed, int z) {
        SplittableRandom r = new SplittableRandom(seed);
        double[] x = new double[3 * n];
        for (int i = 0; i < x.length; i++) x[i] = r.nextDouble() * a;
        int[] zs = new int[n];
        Arrays.fill(zs, z);
        return Structure.of(Cell.periodic(new double[][] {{a, 0, 0}, {0.3, 0.9 * a, 0}, {0, 0, 1.1 * a}}), zs, x);
    }

    @Test
    void scalingTheStructureWithTheNearestNeighbourDistanceLeavesTheFeaturesUnchanged() {
        Structure w = random(14, 7.0, 3, 74);
        double rho = 14 / w.cell().volume();
        double[][] qW = EnvironmentFeatures.tungsten(rho).compute(w);
        for (double s : new double[] {2.86 / EnvironmentFeatures.TUNGSTEN_NEAREST_NEIGHBOUR, 0.8, 1.3}) {
            double[] scaled = w.positions().clone();
            for (int i = 0; i < scaled.length; i++) scaled[i] *= s;
            double[] m = w.cell().matrix();
            double[][] h = new double[3][3];
            for (int r = 0; r < 3; r++) for (int k = 0; k < 3; k++) h[r][k] = s * m[3 * r + k];
            Structure x = Structure.of(Cell.periodic(h), w.atomicNumbers(), scaled);
            double[][] q = EnvironmentFeatures.forNearestNeighbour(s * EnvironmentFeatures.TUNGSTEN_NEAREST_NEIGHBOUR, rho / (s * s * s)).compute(x);
            for (int i = 0; i < q.length; i++) for (int k = 0; k < q[i].length; k++) assertEquals(qW[i][k], q[i][k], 1e-6 * (1 + Math.abs(qW[i][k])), "s=" + s);
        }
        double[][] same = EnvironmentFeatures.forNearestNeighbour(EnvironmentFeatures.TUNGSTEN_NEAREST_NEIGHBOUR, rho).compute(w);
        for (int i = 0; i < same.length; i++) assertArrayEquals(qW[i], same[i], 1e-12, "s = 1 is the tungsten feature set");
    }

    @Test
    void aluminiumAnnealsWithTheScaledFeaturesAndTheEamLabelsIt() {
        int n = 16;
        double dnn = 2.86, s = dnn / EnvironmentFeatures.TUNGSTEN_NEAREST_NEIGHBOUR, a = Math.cbrt(n / 0.03);
        EnvironmentFeatures f = EnvironmentFeatures.forNearestNeighbour(dnn, 0.03);
        EntropyEffectiveEnergy bias = new EntropyEffectiveEnergy(f, 100, 2.2 * s, 0, "Al");
        Structure start = random(n, a, 2, 13);
        start = Structure.of(Cell.cubic(a), start.atomicNumbers(), start.positions());
        List<EntropyAnnealing.Harvest> biased = new EntropyAnnealing(bias, new AnnealingSchedule(10_000, 0, 1_000, 400, 1.0, 50, 40)).chain(start, 5, new SplittableRandom(3));
        List<EntropyAnnealing.Harvest> hot = new EntropyAnnealing(bias, new AnnealingSchedule(10_000, 10_000, 0, 400, 1.0, 50, 40)).chain(start, 5, new SplittableRandom(3));
        double sBiased = pooled(f, biased), sHot = pooled(f, hot);
        // measured 6.05 vs 4.61 nats (W16 in EntropyAnnealingTest: a gap above 2)
        assertTrue(sBiased > sHot + 1, "Al: pooled entropy of the harvest " + sBiased + " vs 10,000 K MD " + sHot);
        Eam eam = Eam.fromFile(Path.of("/usr/share/lammps/potentials/Al_zhou.eam.alloy"));
        double closest = Double.POSITIVE_INFINITY;
        for (var h : biased) {
            Structure x = h.structure();
            var labels = eam.calculate(x);
            assertTrue(Double.isFinite(labels.energy()) && Arrays.stream(labels.forces()).allMatch(Double::isFinite), "EAM labels of a harvested Al cell");
            for (int i = 0; i < n; i++) for (int j = 0; j < i; j++) closest = Math.min(closest, x.cell().minimumImageDistance(x.position(i), x.position(j)));
        }
        System.out.printf("Al16: S harvest %.3f vs hot MD %.3f nats; closest pair %.3f Angstrom (d_nn %.2f)%n", sBiased, sHot, closest, dnn);
        assertTrue(closest > 0.5, "the scaled hard core keeps Al atoms apart (measured 0.58 Angstrom; W16 in EntropyAnnealingTest: > 0.5): " + closest);
    }

    private static double pooled(EnvironmentFeatures f, List<EntropyAnnealing.Harvest> h) {
        return NearestNeighbourEntropy.entropy(h.stream().flatMap(v -> Arrays.stream(f.compute(v.structure()))).toArray(double[][]::new));
    }
}
