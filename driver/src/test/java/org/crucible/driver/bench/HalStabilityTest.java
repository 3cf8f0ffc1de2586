package org.crucible.driver.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.crucible.core.Labels;
import org.crucible.core.Structure;
import org.crucible.core.io.ExtendedXyz;
import org.crucible.driver.cli.CrucibleCommand;
import org.crucible.executors.calculators.Calculator;
import org.crucible.executors.calculators.StillingerWeber;
import org.crucible.executors.md.MdFrame;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The pieces of {@code crucible bench hal-stability} that need no campaign: the pair check, the runs of one model, the stable tail, bad input. */
class HalStabilityTest {
    @TempDir
    Path dir;

    private static MdFrame frame(Structure s) {
        return new MdFrame(0, 0, s, new double[3 * s.size()], 0, 0, 0, Double.NaN, 0, 0, 0);
    }

    @Test
    void shortestPairIsTheDiamondBondAndSeesPeriodicImages() {
        Structure si = ExtendedXyz.read(Path.of("..", "examples", "si8-diamond.extxyz")).get(0);
        assertEquals(5.431 * Math.sqrt(3) / 4, HalStability.minPair(frame(si)), 1e-9);
        // move atom 0 across the boundary, 0.3 Angstrom from the image of atom 1's position shifted by a lattice vector
        double[] x = si.positions();
        x[0] = x[3] - 5.431 + 0.3;
        x[1] = x[4];
        x[2] = x[5];
        assertEquals(0.3, HalStability.minPair(frame(si.withPositions(x))), 1e-9);
    }

    /** E = k/2 sum |x_i - centroid|^2 (k = 50 eV/A^2): every atom passes through the centroid within a quarter period (~12 fs for Si). */
    private static final Calculator COLLAPSE = new Calculator() {
        @Override
        public Set<Property> implementedProperties() {
            return EnumSet.of(Property.ENERGY, Property.FORCES);
        }

        @Override
        public Labels calculate(Structure s) {
            double k = 50;
            double[] x = s.positions(), c = new double[3], f = new double[x.length];
            for (int i = 0; i < x.length; i++) c[i % 3] += x[i] / s.size();
            double e = 0;
            for (int i = 0; i < x.length; i++) {
                double d = x[i] - c[i % 3];
                e += 0.5 * k * d * d;
                f[i] = -k * d;
            }
            return Labels.of(e, f, null);
        }
    };

    private static List<Structure> si8() {
        return List.of(ExtendedXyz.read(Path.of("..", "examples", "si8-diamond.extxyz")).get(0));
    }

    @Test
    void rowsDoNotDependOnTheThreadCount() {
        var one = new HalStability.Settings(4, 200, 1.0, 800, 1.8, 0.05, 0, 1, false, false);
        var three = new HalStability.Settings(4, 200, 1.0, 800, 1.8, 0.05, 0, 3, false, false);
        HalStability.Row a = HalStability.stability(StillingerWeber.silicon(), 0, 2, si8(), one);
        HalStability.Row b = HalStability.stability(StillingerWeber.silicon(), 0, 2, si8(), three);
        assertEquals(a, b);
        assertTrue(a.allStable() && a.completedRuns() == 4 && a.firstUnstable() == -1, a.toString());
        assertTrue(a.worstMinDistance() > 2.0 && a.worstMinDistance() < 2.35 && a.worstDriftEvPerAtom() > 0 && a.worstDriftEvPerAtom() < 0.01, a.toString());
    }

    @Test
    void aCollapsingPotentialEndsEachRunAtItsFirstUnphysicalFrameAndFailFastStopsTheModel() {
        var all = new HalStability.Settings(5, 10_000, 1.0, 800, 1.8, 0.05, 0, 2, false, false);
        HalStability.Row r = HalStability.stability(COLLAPSE, 1, 10, si8(), all);
        assertEquals(0, r.stableRuns());
        assertEquals(5, r.completedRuns());
        assertEquals(0, r.firstUnstable());
        assertTrue(r.firstUnstableStep() > 0 && r.firstUnstableStep() <= 30, "collapses within a quarter period: " + r);
        assertTrue(r.worstMinDistance() < 1.8, r.toString());
        var fast = new HalStability.Settings(5, 10_000, 1.0, 800, 1.8, 0.05, 0, 1, true, false);
        HalStability.Row f = HalStability.stability(COLLAPSE, 1, 10, si8(), fast);
        assertEquals(1, f.completedRuns(), "fail-fast on one thread stops after run 0: " + f);
        assertEquals(r.firstUnstableStep(), f.firstUnstableStep());
        assertFalse(f.allStable());
    }

    @Test
    void stableFromIsTheFirstModelOfTheAllStableTail() {
        var ok = new HalStability.Row(0, 2, 3, 3, 3, 2.2, 0.001, -1, -1);
        var bad = new HalStability.Row(1, 10, 0, 3, 3, 0.1, 9, 0, 40);
        var ok2 = new HalStability.Row(2, 18, 3, 3, 3, 2.2, 0.001, -1, -1);
        var ok3 = new HalStability.Row(3, 26, 3, 3, 3, 2.2, 0.001, -1, -1);
        assertEquals(18, HalStability.stableFrom(List.of(ok, bad, ok2, ok3)));
        assertEquals(2, HalStability.stableFrom(List.of(ok, ok2)));
        assertNull(HalStability.stableFrom(List.of(ok, bad)));
    }

    @Test
    void aDirectoryWithoutACampaignIsAUsageError() {
        StringWriter out = new StringWriter(), err = new StringWriter();
        CommandLine cl = CrucibleCommand.commandLine();
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        int code = cl.execute(List.of("bench", "hal-stability", dir.toString(), "--runs", "2").toArray(String[]::new));
        assertEquals(2, code);
        assertTrue(err.toString().contains(dir.toString()) && err.toString().contains("not a campaign directory"), err.toString());
        assertTrue(!err.toString().contains("Exception"), "no stack trace: " + err);
    }
}
