package org.crucible.executors.md;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.crucible.core.Cell;
import org.crucible.core.Labels;
import org.crucible.core.Structure;
import org.crucible.core.units.Units;
import org.junit.jupiter.api.Test;

/**
 * The cell moves of HAL MD ({@link HyperactiveMd}): the isotropic Berendsen barostat and the Metropolis volume moves,
 * on the Si8 committee of {@link HyperactiveMdTest}. At tau_r = 0, E_HAL is the committee mean, so both must hold
 * the target pressure on average, and the two independent routes (a deterministic cell rescaling driven by the virial,
 * and an exact NPT Monte Carlo in ln V) must agree on the mean volume. With tau_r &gt; 0 the moves act on the biased
 * energy; that run must stay bit-identical for a seed and its reported labels must belong to its moved cell.
 */
class HalCellMovesTest {
    private static final double TARGET_GPA = 2.0;
    private static final int STEPS = 4000;
    /** Monte Carlo in ln V decorrelates the volume more slowly than the barostat: longer runs for the same error bar. */
    private static final int MC_STEPS = 16000;
    private static final int EQUILIBRATION = 1000;

    /** Per-step instantaneous pressure (GPa) and volume (Angstrom^3) after equilibration. */
    private record Series(double[] pressure, double[] volume) {
    }

    private static Series run(HalSettings set, long seed) {
        HyperactiveMdTest.fit();
        List<double[]> rows = new ArrayList<>();
        HalTrajectory t = new HyperactiveMd(HyperactiveMdTest.committee, set).run(HyperactiveMdTest.diamond(), seed, st -> {
            if (st.step() < EQUILIBRATION) return;
            Structure s = st.structure();
            double vol = s.cell().volume();
            double[] sigma = st.evaluation().labels(st.tau()).stress();
            double virial = -(sigma[0] + sigma[1] + sigma[2]) / 3 * Units.EV_PER_A3_TO_GPA;
            double kinetic = s.size() * MdUnits.BOLTZMANN * st.temperatureK() / vol * Units.EV_PER_A3_TO_GPA;
            rows.add(new double[] {virial + kinetic, vol});
        });
        assertEquals(set.maxSteps(), t.step(), "the run must not stop early: " + t.describe());
        double[] p = rows.stream().mapToDouble(r -> r[0]).toArray();
        double[] v = rows.stream().mapToDouble(r -> r[1]).toArray();
        return new Series(p, v);
    }

    private static HalSettings base(double tauR, int steps) {
        return HalSettings.nvt(300, 1.0, steps, tauR).withTolerance(0.999);
    }

    @Test
    void barostatAndVolumeMovesHoldTheTargetPressureAndAgreeOnTheVolume() {
        Series baro = run(base(0, STEPS).withPressure(TARGET_GPA, 200, 100), 31);
        // Monte Carlo volume moves read their pressure from the same setting as the barostat; a barostat time constant
        // of 1e9 fs scales the cell by about 1e-11 per step, so there the cell changes through the moves alone.
        Series mc = run(base(0, MC_STEPS).withPressure(TARGET_GPA, 1e9, 100).withVolumeMoves(5, 2, 0.01), 32);
        Series mcZero = run(base(0, MC_STEPS).withVolumeMoves(5, 2, 0.01), 33);
        double[] pb = MolecularDynamicsTest.blockStats(baro.pressure(), 20), vb = MolecularDynamicsTest.blockStats(baro.volume(), 20);
        double[] pm = MolecularDynamicsTest.blockStats(mc.pressure(), 20), vm = MolecularDynamicsTest.blockStats(mc.volume(), 20);
        double[] v0 = MolecularDynamicsTest.blockStats(mcZero.volume(), 20);
        System.out.printf(Locale.ROOT, "HAL cell moves, Si8 committee, 300 K: barostat <P> %.3f +- %.3f GPa <V> %.3f +- %.3f A^3;"
                        + " volume moves at %.1f GPa <P> %.3f +- %.3f <V> %.3f +- %.3f; at 0 GPa <V> %.3f +- %.3f (start %.3f)%n",
                pb[0], pb[1], vb[0], vb[1], TARGET_GPA, pm[0], pm[1], vm[0], vm[1], v0[0], v0[1], HyperactiveMdTest.diamond().cell().volume());
        assertTrue(Math.abs(pb[0] - TARGET_GPA) < 4 * pb[1] + 0.15, "barostat mean pressure " + pb[0] + " +- " + pb[1]);
        assertTrue(Math.abs(pm[0] - TARGET_GPA) < 4 * pm[1] + 0.15, "volume-move mean pressure " + pm[0] + " +- " + pm[1]);
        assertTrue(Math.abs(vb[0] - vm[0]) < 4 * Math.hypot(vb[1], vm[1]) + 0.002 * vm[0], "barostat <V> " + vb[0] + " vs volume moves " + vm[0]);
        assertTrue(v0[0] - vm[0] > 4 * Math.hypot(v0[1], vm[1]), TARGET_GPA + " GPa must compress the cell: " + vm[0] + " vs " + v0[0] + " at 0 GPa");
    }

    @Test
    void biasedCellMovesAreReproducibleAndTheirLabelsBelongToTheMovedCell() {
        HyperactiveMdTest.fit();
        HalSettings set = HalSettings.nvt(900, 1.0, 600, 0.2).withTolerance(0.999).withAveraging(50, 50)
                .withPressure(1.0, 200, 100).withVolumeMoves(10, 3, 0.02);
        Structure start = HyperactiveMdTest.diamond();
        HalTrajectory a = new HyperactiveMd(HyperactiveMdTest.committee, set).run(start, 5, null);
        HalTrajectory b = new HyperactiveMd(HyperactiveMdTest.committee, set).run(start, 5, null);
        assertArrayEquals(a.structure().cell().matrix(), b.structure().cell().matrix());
        assertArrayEquals(a.structure().positions(), b.structure().positions());
        assertTrue(a.tau() > 0, "tau adapts after the burn-in: " + a.describe());
        double[] h = a.structure().cell().matrix(), h0 = start.cell().matrix();
        assertTrue(Math.abs(h[0] / h0[0] - 1) > 1e-6, "the cell moved");
        assertEquals(h[0], h[4], 1e-12, "isotropic moves keep the cubic cell");
        assertEquals(h[0], h[8], 1e-12);
        Labels mean = HyperactiveMdTest.committee.predict(a.structure(), false).labels();
        assertEquals(mean.energy(), a.energy(), 1e-9 * Math.abs(mean.energy()), "reported energy is the committee mean at the final cell");
    }

    @Test
    void cellMovesNeedAPeriodicCell() {
        HyperactiveMdTest.fit();
        Structure d = HyperactiveMdTest.diamond();
        Structure open = Structure.of(Cell.NONE, d.atomicNumbers(), d.positions());
        HalSettings set = base(0, 10).withVolumeMoves(5, 1, 0.01);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new HyperactiveMd(HyperactiveMdTest.committee, set).run(open, 1, null));
        assertTrue(e.getMessage().contains("periodic"), e.getMessage());
    }
}
