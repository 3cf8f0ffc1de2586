package org.crucible.executors.calculators;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import java.util.concurrent.atomic.AtomicReference;
import org.crucible.core.Labels;
import org.crucible.core.Structure;
import org.junit.jupiter.api.Test;

/**
 * The per-thread Verlet list is reused across calls while valid: along a random walk of positions and cell,
 * results equal those of a fresh list built on another thread.
 */
class PairListReuseTest {
    private static Labels fresh(Calculator c, Structure s) throws InterruptedException {
        AtomicReference<Labels> out = new AtomicReference<>();
        Thread t = new Thread(() -> out.set(c.calculate(s)));
        t.start();
        t.join();
        return out.get();
    }

    @Test
    void reusedListGivesTheSameResultsAsAFreshOne() throws Exception {
        Random rng = new Random(9);
        for (ShortRangeCalculator c : new ShortRangeCalculator[] {StillingerWeber.silicon(),
            new Tersoff(TersoffParameters.parse(CalculatorGradientTest.SIC_TERSOFF, "SiC")),
            LennardJones.parse("Si:eps=0.3,sigma=2.0,rc=5/C:eps=0.2,sigma=1.6")}) {
            Structure s = RandomStructures.random(rng, c.species(), 12, 12, 1.7, true);
            for (int step = 0; step < 60; step++) {
                double[] p = s.positions();
                for (int i = 0; i < p.length; i++) p[i] += 0.06 * (rng.nextDouble() - 0.5);
                s = s.withPositions(p);
                if (step % 3 == 0) {
                    double[] e = new double[6];
                    for (int a = 0; a < 6; a++) e[a] = 0.01 * (rng.nextDouble() - 0.5);
                    s = s.withCell(s.cell().strained(e), true);
                }
                if (step == 40) s = RandomStructures.random(rng, c.species(), 12, 12, 1.7, true); // a jump forces a rebuild
                Labels reused = c.calculate(s);
                Labels ref = fresh(c, s);
                assertEquals(ref.energy(), reused.energy(), 1e-10, c.name() + " step " + step);
                double[] f1 = reused.forces(), f0 = ref.forces();
                for (int i = 0; i < f0.length; i++) assertEquals(f0[i], f1[i], 1e-9);
                double[] s1 = reused.stress(), s0 = ref.stress();
                for (int i = 0; i < 6; i++) assertEquals(s0[i], s1[i], 1e-11);
                assertTrue(reused.energy() != 0);
            }
        }
    }
}
