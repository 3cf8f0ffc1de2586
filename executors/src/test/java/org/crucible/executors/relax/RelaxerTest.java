package org.crucible.executors.relax;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.crucible.core.Cell;
import org.crucible.core.Labels;
import org.crucible.core.Structure;
import org.crucible.core.units.Units;
import org.crucible.executors.calculators.Calculator;
import org.crucible.executors.calculators.NonFiniteResultException;
import org.crucible.executors.calculators.RandomStructures;
import org.crucible.executors.calculators.StillingerWeber;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RelaxerTest {
    static final StillingerWeber SW = StillingerWeber.silicon();

    static Relaxer relaxer(String name) {
        return switch (name) {
            case "fire" -> new Fire();
            case "lbfgs" -> new Lbfgs();
            default -> throw new IllegalArgumentException(name);
        };
    }

    static Structure diamond(double a) {
        double[][] frac = {{0, 0, 0}, {0.25, 0.25, 0.25}, {0, 0.5, 0.5}, {0.25, 0.75, 0.75}, {0.5, 0, 0.5}, {0.75, 0.25, 0.75},
            {0.5, 0.5, 0}, {0.75, 0.75, 0.25}};
        double[] xyz = new double[24];
        for (int i = 0; i < 8; i++) for (int k = 0; k < 3; k++) xyz[3 * i + k] = frac[i][k] * a;
        return Structure.of(Cell.cubic(a), new int[] {14, 14, 14, 14, 14, 14, 14, 14}, xyz);
    }

    static Structure strainedRattled(long seed) {
        Random rng = new Random(seed);
        Structure d = diamond(5.431);
        Structure s = d.withCell(d.cell().strained(new double[] {0.04, -0.03, 0.02, 0.03, -0.02, 0.01}), true);
        double[] p = s.positions();
        for (int i = 0; i < p.length; i++) p[i] += 0.1 * (rng.nextDouble() - 0.5);
        return s.withPositions(p);
    }

    @ParameterizedTest
    @ValueSource(strings = {"fire", "lbfgs"})
    void strainedRattledDiamondRelaxesToTheStillingerWeberGroundState(String name) {
        RelaxResult r = relaxer(name).relax(strainedRattled(1), SW, RelaxSettings.DEFAULT.withFmax(1e-4).withSmaxGPa(1e-4).withPatience(0));
        assertTrue(r.converged(), r.reason() + " after " + r.steps());
        Structure s = r.last();
        assertEquals(-4.3366, s.labels().energy() / 8, 5e-5);
        // the 8-atom conventional cell: lengths a, angles 90 (the cell may come back rotated, not reshaped)
        for (double len : s.cell().lengths()) assertEquals(5.431, len, 1e-3);
        for (double ang : s.cell().angles()) assertEquals(90, ang, 0.02);
        assertEquals(5.431 * 5.431 * 5.431, s.cell().volume(), 0.05);
        assertTrue(r.lowestEnthalpy() <= r.lastEnthalpy() && r.lastEnthalpy() < r.startEnthalpy());
    }

    @Test
    void generalisedForcesAreMinusTheEnthalpyGradient() {
        Structure s = RandomStructures.random(new Random(3), new String[] {"Si"}, 6, 18, 2.0, true);
        UnitCellFilter f = new UnitCellFilter(s, true, 3.0);
        double[] x = f.initial();
        // move off F = I so the F^-T terms matter
        for (int i = 0; i < x.length; i++) x[i] += 0.05 * Math.sin(i);
        double[] g = new double[x.length];
        Structure at = f.structureAt(x);
        at = at.withLabels(SW.calculate(at));
        f.generalisedForces(at, g);
        double h = 1e-6;
        for (int i = 0; i < x.length; i++) {
            double[] xp = x.clone();
            xp[i] += h;
            Structure sp = f.structureAt(xp);
            double hp = f.enthalpy(sp.withLabels(SW.calculate(sp)));
            xp[i] -= 2 * h;
            Structure sm = f.structureAt(xp);
            double hm = f.enthalpy(sm.withLabels(SW.calculate(sm)));
            assertEquals(-(hp - hm) / (2 * h), g[i], 2e-6, "component " + i);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"fire", "lbfgs"})
    void underPressureTheStressBalancesThePressure(String name) {
        double p = 10.0;
        RelaxResult r = relaxer(name).relax(strainedRattled(2), SW, RelaxSettings.DEFAULT.withPressureGPa(p).withFmax(1e-3).withSmaxGPa(1e-3).withPatience(0));
        assertTrue(r.converged(), r.reason().toString());
        double[] st = Units.stressToGPa(r.last().labels().stress());
        for (int a = 0; a < 3; a++) assertEquals(-p, st[a], 1e-3);
        assertEquals(p, Units.pressureGPa(r.last().labels().stress()), 1e-3);
        assertTrue(r.last().cell().volume() < 0.97 * 5.431 * 5.431 * 5.431, "compressed");
        // H = E + pV, reported consistently
        double pv = p * Units.GPA_TO_EV_PER_A3 * r.last().cell().volume();
        assertEquals(r.last().labels().energy() + pv, r.lastEnthalpy(), 1e-9);
    }

    @Test
    void fixedCellMovesOnlyAtoms() {
        Structure start = strainedRattled(3);
        RelaxResult r = new Lbfgs().relax(start, SW, RelaxSettings.DEFAULT.withRelaxCell(false).withFmax(1e-3));
        assertTrue(r.converged());
        assertEquals(start.cell(), r.last().cell());
        assertTrue(r.last().labels().maxForce() < 1e-3);
    }

    @Test
    void maxStepsAndTrajectory() {
        RelaxResult r = new Fire().relax(strainedRattled(4), SW, RelaxSettings.DEFAULT.withMaxSteps(12).withTrajectoryEvery(5).withPatience(0));
        assertEquals(StopReason.MAX_STEPS, r.reason());
        assertFalse(r.converged());
        assertEquals(12, r.steps());
        assertEquals(13, r.evaluations());
        // frames at steps 0, 5, 10 and the last (12)
        assertEquals(4, r.trajectory().size());
        assertEquals(r.last(), r.trajectory().get(3));
        for (Structure s : r.trajectory()) assertTrue(s.labels().hasForces() && s.labels().hasStress());
        double lowest = Double.POSITIVE_INFINITY;
        for (Structure s : r.trajectory()) lowest = Math.min(lowest, s.labels().energy() + 0.0);
        assertTrue(r.lowestEnthalpy() <= lowest + 1e-12);
    }

    @Test
    void earlyStopPredicateSeesEveryFrame() {
        AtomicInteger calls = new AtomicInteger();
        EarlyStop stop = (s, step) -> {
            calls.incrementAndGet();
            assertTrue(s.labels().hasEnergy());
            return step == 7;
        };
        RelaxResult r = new Lbfgs().relax(strainedRattled(5), SW, RelaxSettings.DEFAULT.withEarlyStop(stop));
        assertEquals(StopReason.EARLY_STOP, r.reason());
        assertEquals(7, r.steps());
        assertEquals(8, calls.get());
    }

    /** A real calculator whose energy is raised on every call, so no frame is ever a new lowest enthalpy. */
    static final class RisingEnergy implements Calculator {
        final AtomicInteger calls = new AtomicInteger();

        @Override
        public Set<Property> implementedProperties() {
            return SW.implementedProperties();
        }

        @Override
        public Labels calculate(Structure s) {
            Labels l = SW.calculate(s);
            return new Labels(l.energy() + 10.0 * calls.incrementAndGet(), l.forces(), l.stress());
        }
    }

    @Test
    void patienceStopsWithoutANewLowestEnthalpy() {
        RelaxResult r = new Fire().relax(strainedRattled(6), new RisingEnergy(), RelaxSettings.DEFAULT.withPatience(20));
        assertEquals(StopReason.PATIENCE, r.reason());
        assertEquals(20, r.steps());
        assertEquals(r.startEnthalpy(), r.lowestEnthalpy());
    }

    @Test
    void nonFiniteAndFailedCalculationsKeepWhatWasComputed() {
        AtomicInteger calls = new AtomicInteger();
        Calculator breaksAt5 = new Calculator() {
            @Override
            public Set<Property> implementedProperties() {
                return SW.implementedProperties();
            }

            @Override
            public Labels calculate(Structure s) {
                if (calls.incrementAndGet() == 5) throw new NonFiniteResultException("energy is NaN");
                return SW.calculate(s);
            }
        };
        RelaxResult r = new Lbfgs().relax(strainedRattled(7), breaksAt5, RelaxSettings.DEFAULT);
        assertEquals(StopReason.NON_FINITE, r.reason());
        assertEquals(4, r.steps());
        assertTrue(r.message().contains("NaN"));
        assertTrue(Double.isNaN(r.lastEnthalpy()));
        assertTrue(r.lowest().labels().hasEnergy() && r.lowestEnthalpy() < r.startEnthalpy());

        Structure coincident = Structure.of(Cell.cubic(6), new int[] {14, 14}, new double[] {1, 1, 1, 1, 1, 1});
        RelaxResult failed = new Fire().relax(coincident, SW, RelaxSettings.DEFAULT);
        assertEquals(StopReason.CALCULATION_FAILED, failed.reason());
        assertTrue(failed.message().contains("coincide"), failed.message());
    }

    @Test
    void sameInputSameResult() {
        Structure s = strainedRattled(8);
        for (Relaxer x : List.of(new Fire(), new Lbfgs())) {
            RelaxResult a = x.relax(s, SW, RelaxSettings.DEFAULT);
            RelaxResult b = x.relax(s, SW, RelaxSettings.DEFAULT);
            assertEquals(a.last(), b.last());
            assertEquals(a.steps(), b.steps());
        }
    }

    @Test
    void settingsRejectBadValues() {
        assertThrows(IllegalArgumentException.class, () -> RelaxSettings.DEFAULT.withFmax(0));
        assertThrows(IllegalArgumentException.class, () -> RelaxSettings.DEFAULT.withSmaxGPa(Double.NaN));
        assertThrows(IllegalArgumentException.class, () -> RelaxSettings.DEFAULT.withMaxSteps(-1));
        assertThrows(IllegalArgumentException.class, () -> RelaxSettings.DEFAULT.withPressureGPa(Double.POSITIVE_INFINITY));
        assertThrows(IllegalArgumentException.class, () -> RelaxSettings.DEFAULT.withPatience(-1));
        assertThrows(IllegalArgumentException.class, () -> new Fire(0.1, -1, 1, 5, 1.1, 0.5, 0.1, 0.99));
        assertThrows(IllegalArgumentException.class, () -> new Lbfgs(0.2, 0, 70));
        Structure molecule = Structure.of(Cell.NONE, new int[] {14, 14}, new double[] {0, 0, 0, 2.3, 0, 0});
        assertThrows(IllegalArgumentException.class, () -> new Fire().relax(molecule, SW, RelaxSettings.DEFAULT));
        assertEquals(StopReason.CONVERGED, new Fire().relax(molecule, SW, RelaxSettings.DEFAULT.withRelaxCell(false).withFmax(1e-3)).reason());
    }
}
