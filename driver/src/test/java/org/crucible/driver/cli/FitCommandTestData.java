package org.crucible.driver.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.crucible.core.Cell;
import org.crucible.core.Structure;
import org.crucible.executors.calculators.StillingerWeber;

/** Seeded Stillinger-Weber-labelled rattled and strained diamond Si8 cells for the potential's driver tests. */
public final class FitCommandTestData {
    private FitCommandTestData() {
    }

    public static List<Structure> rattledSi8(long seed, int count) {
        Random rng = new Random(seed);
        StillingerWeber sw = StillingerWeber.silicon();
        double a = 5.431;
        double[][] f = {{0, 0, 0}, {0, 0.5, 0.5}, {0.5, 0, 0.5}, {0.5, 0.5, 0}, {0.25, 0.25, 0.25}, {0.25, 0.75, 0.75}, {0.75, 0.25, 0.75}, {0.75, 0.75, 0.25}};
        List<Structure> out = new ArrayList<>();
        for (int k = 0; k < count; k++) {
            double[] strain = new double[6];
            for (int j = 0; j < 6; j++) strain[j] = 0.04 * (2 * rng.nextDouble() - 1);
            Cell cell = Cell.cubic(a).strained(strain);
            double[] frac = new double[24];
            for (int i = 0; i < 8; i++) for (int j = 0; j < 3; j++) frac[3 * i + j] = f[i][j];
            double[] xyz = cell.toCartesianAll(frac);
            for (int i = 0; i < 24; i++) xyz[i] += 0.1 * rng.nextGaussian();
            int[] z = new int[8];
            java.util.Arrays.fill(z, 14);
            Structure s = Structure.of(cell, z, xyz);
            out.add(s.withLabels(sw.calculate(s)));
        }
        return out;
    }

}
