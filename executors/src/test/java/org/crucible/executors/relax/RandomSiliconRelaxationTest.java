package org.crucible.executors.relax;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.stream.IntStream;
import org.crucible.core.Structure;
import org.crucible.core.units.Units;
import org.crucible.executors.calculators.RandomStructures;
import org.crucible.executors.calculators.StillingerWeber;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * 100 random Si8 cells (about 20 Angstrom^3/atom, atoms at least 2.0 Angstrom apart) relaxed in cell and
 * positions with Stillinger-Weber: at least 95 converge within 1000 steps to fmax &lt; 0.01 eV/Angstrom and
 * |stress| &lt; 0.01 GPa, and no final enthalpy is above its start.
 */
class RandomSiliconRelaxationTest {
    @ParameterizedTest
    @ValueSource(strings = {"lbfgs", "fire", "precon-lbfgs"})
    void randomSi8CellsRelaxWithStillingerWeber(String optimizer) {
        Relaxer relaxer = switch (optimizer) {
            case "fire" -> new Fire();
            case "precon-lbfgs" -> Lbfgs.exp();
            default -> new Lbfgs();
        };
        StillingerWeber sw = StillingerWeber.silicon();
        Random rng = new Random(2024);
        List<Structure> cells = new ArrayList<>();
        for (int i = 0; i < 100; i++) cells.add(RandomStructures.random(rng, new String[] {"Si"}, 8, 20.0, 2.0, false));
        RelaxSettings settings = RelaxSettings.DEFAULT.withFmax(0.01).withSmaxGPa(0.01).withMaxSteps(1000).withPatience(0);
        List<RelaxResult> results = IntStream.range(0, cells.size()).parallel()
                .mapToObj(i -> relaxer.relax(cells.get(i), sw, settings)).toList();
        int converged = 0, totalSteps = 0;
        for (int i = 0; i < results.size(); i++) {
            RelaxResult r = results.get(i);
            assertTrue(r.lastEnthalpy() <= r.startEnthalpy(), optimizer + " cell " + i + ": enthalpy rose from " + r.startEnthalpy() + " to " + r.lastEnthalpy());
            if (r.converged()) {
                converged++;
                totalSteps += r.steps();
                assertTrue(r.last().labels().maxForce() < 0.01);
                for (double s : Units.stressToGPa(r.last().labels().stress())) assertTrue(Math.abs(s) < 0.01, "stress " + s + " GPa");
            }
        }
        System.out.printf(Locale.ROOT, "%s: %d of 100 random Si8 cells converged, mean %.1f steps%n", optimizer, converged, (double) totalSteps / Math.max(1, converged));
        assertTrue(converged >= 95, optimizer + ": only " + converged + " of 100 converged within 1000 steps");
    }

    @org.junit.jupiter.api.Test
    void expPreconditioningNeedsFewerStepsOnRandomSi16Cells() {
        StillingerWeber sw = StillingerWeber.silicon();
        Random rng = new Random(77);
        List<Structure> cells = new ArrayList<>();
        for (int i = 0; i < 30; i++) cells.add(RandomStructures.random(rng, new String[] {"Si"}, 16, 20.0, 2.0, false));
        RelaxSettings settings = RelaxSettings.DEFAULT.withPatience(0);
        int[] plain = cells.parallelStream().mapToInt(c -> new Lbfgs().relax(c, sw, settings).steps()).toArray();
        List<RelaxResult> pre = cells.parallelStream().map(c -> Lbfgs.exp().relax(c, sw, settings)).toList();
        int sumPlain = java.util.Arrays.stream(plain).sum();
        int sumPre = pre.stream().mapToInt(RelaxResult::steps).sum();
        for (RelaxResult r : pre) assertTrue(r.converged(), r.reason() + " after " + r.steps());
        System.out.printf(Locale.ROOT, "30 random Si16 cells: L-BFGS %.1f steps on average, Exp-preconditioned L-BFGS %.1f%n",
                sumPlain / 30.0, sumPre / 30.0);
        assertTrue(sumPre < 0.8 * sumPlain, "preconditioned " + sumPre + " steps vs plain " + sumPlain);
    }
}
