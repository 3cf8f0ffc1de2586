package org.crucible.executors.descriptors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.crucible.core.Cell;
import org.crucible.core.Labels;
import org.crucible.core.Structure;
import org.junit.jupiter.api.Test;

class ZblRepulsionTest {
    private static final int SI = 14;

    @Test
    void forcesAndStressMatchFiniteDifferences() {
        ZblRepulsion zbl = new ZblRepulsion(0.5, 1.0);
        Structure s = TestStructures.randomCell(new Random(8), 6, new int[] {SI, 6}, 9.0, 1.0);
        Labels l = zbl.calculate(s);
        assertTrue(l.energy() > 0, "repulsive");
        double h = 1e-6;
        double[] p = s.positions();
        for (int q = 0; q < p.length; q++) {
            double[] a = p.clone(), b = p.clone();
            a[q] += h;
            b[q] -= h;
            double fd = -(zbl.calculate(s.withPositions(a)).energy() - zbl.calculate(s.withPositions(b)).energy()) / (2 * h);
            assertEquals(fd, l.forces()[q], 1e-5 * (1 + Math.abs(fd)), "coordinate " + q);
        }
        for (int v = 0; v < 6; v++) {
            double[] e = new double[6];
            e[v] = h;
            double ea = zbl.calculate(s.withCell(s.cell().strained(e), true)).energy();
            e[v] = -h;
            double eb = zbl.calculate(s.withCell(s.cell().strained(e), true)).energy();
            double fd = (ea - eb) / (2 * h) / s.cell().volume() / (v < 3 ? 1 : 2);
            assertEquals(fd, l.stress()[v], 1e-5 * (1 + Math.abs(fd)), "stress " + v);
        }
    }

    @Test
    void matchesTheBareScreenedCoulombInsideAndVanishesSmoothlyOutside() {
        ZblRepulsion zbl = new ZblRepulsion();
        Cell none = new Cell(new double[9], new boolean[] {false, false, false});
        double r = 0.8;
        double e = zbl.calculate(Structure.of(none, new int[] {SI, SI}, new double[] {0, 0, 0, r, 0, 0})).energy();
        double a = 0.46850 / (2 * Math.pow(14, 0.23));
        double expected = 14.399645 * 196 / r * (0.18175 * Math.exp(-3.19980 * r / a) + 0.50986 * Math.exp(-0.94229 * r / a)
                + 0.28022 * Math.exp(-0.40290 * r / a) + 0.02817 * Math.exp(-0.20162 * r / a));
        assertEquals(expected, e, 1e-10 * expected);
        double r2 = 0.85 * 2 * org.crucible.core.Elements.byZ(SI).covalentRadius();
        double near = zbl.calculate(Structure.of(none, new int[] {SI, SI}, new double[] {0, 0, 0, r2 - 1e-3, 0, 0})).energy();
        double beyond = zbl.calculate(Structure.of(none, new int[] {SI, SI}, new double[] {0, 0, 0, r2 + 1e-3, 0, 0})).energy();
        assertEquals(0.0, beyond, 0.0);
        assertTrue(near > 0 && near < 1e-6, "C2 switch leaves only O(d^3) just inside r2: " + near);
    }
}
