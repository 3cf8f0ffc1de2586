package org.crucible.driver.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;
import org.crucible.core.Structure;
import org.crucible.core.io.ExtendedXyz;
import org.crucible.driver.cli.CrucibleCommand;
import org.crucible.executors.md.MdFrame;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The pieces of {@code crucible bench hal-stability} that need no campaign: the pair check and bad input. */
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
