package org.crucible.driver.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.crucible.core.Cell;
import org.crucible.core.Structure;
import org.crucible.core.io.ExtendedXyz;
import org.crucible.executors.calculators.Eam;
import org.crucible.executors.potentials.FitOptions;
import org.crucible.executors.potentials.FitResult;
import org.crucible.executors.potentials.PotentialFitter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code crucible bench entropy-curve} on small W sets labelled by the EAM ({@code W_zhou.eam.alloy}): every point equals
 * a fit done here directly on the same nested seeded subset, and bad input exits 2 naming the option.
 */
class EntropyCurveCommandTest {
    private static final Path EAM = Path.of("/usr/share/lammps/potentials/W_zhou.eam.alloy");
    private static final String BASIS = "ace:rCut=5.0,maxDegree=6/4,lMax=2";

    @TempDir
    Path dir;

    private static List<Structure> rattled(int count, double sigma, long seed) {
        Eam eam = Eam.fromFile(EAM);
        SplittableRandom r = new SplittableRandom(seed);
        double a = 3.165;
        List<Structure> out = new ArrayList<>();
        for (int c = 0; c < count; c++) {
            double[] x = new double[3 * 16];
            int k = 0;
            for (int i = 0; i < 2; i++) for (int j = 0; j < 2; j++) for (int l = 0; l < 2; l++) for (int b = 0; b < 2; b++) {
                x[k++] = (i + 0.5 * b) * a + sigma * (2 * r.nextDouble() - 1);
                x[k++] = (j + 0.5 * b) * a + sigma * (2 * r.nextDouble() - 1);
                x[k++] = (l + 0.5 * b) * a + sigma * (2 * r.nextDouble() - 1);
            }
            int[] z = new int[16];
            java.util.Arrays.fill(z, 74);
            Structure s = Structure.of(Cell.cubic(2 * a), z, x);
            out.add(s.withLabels(eam.calculate(s)));
        }
        return out;
    }

    @Test
    void everyPointIsAFitOnTheNestedSeededSubset() throws Exception {
        List<Structure> small = rattled(8, 0.05, 1), large = rattled(8, 0.3, 2), test = rattled(3, 0.15, 3);
        Path a = dir.resolve("small.extxyz"), b = dir.resolve("large.extxyz"), t = dir.resolve("test.extxyz");
        ExtendedXyz.write(a, small);
        ExtendedXyz.write(b, large);
        ExtendedXyz.write(t, test);
        CliHelpTreeTest.Result r = CliHelpTreeTest.cli("bench", "entropy-curve", "--train", "small=" + a, "--train", "large=" + b, "--test", "held=" + t,
                "--sizes", "3,8", "--basis", BASIS, "--committee", "2", "--seed", "5", "--json");
        assertEquals(0, r.code(), r.err());
        JsonNode points = new ObjectMapper().readTree(r.out()).path("points");
        assertEquals(2 * 2 * 2, points.size(), r.out());
        FitOptions options = FitOptions.defaults().withCommitteeSize(2).withSeed(5).withFitVirials(false).withOutlierSigmas(Double.POSITIVE_INFINITY);
        int p = 0;
        for (List<Structure> set : List.of(ExtendedXyz.read(a), ExtendedXyz.read(b))) {
            List<Structure> perm = EntropyCurveCommand.permuted(set, 5);
            for (int n : new int[] {3, 8}) {
                FitResult fit = PotentialFitter.fit(perm.subList(0, n), FitCommand.basis(BASIS, set), options);
                FitResult.Errors held = PotentialFitter.errors(fit.potential(), ExtendedXyz.read(t));
                assertEquals(n, points.get(p).path("size").asInt());
                assertEquals("(training)", points.get(p).path("test").asText());
                assertEquals(fit.trainingErrors().energyMeVPerAtom(), points.get(p).path("rmse_energy_meV_per_atom").asDouble(), 1e-9);
                assertEquals("held", points.get(p + 1).path("test").asText());
                assertEquals(held.energyMeVPerAtom(), points.get(p + 1).path("rmse_energy_meV_per_atom").asDouble(), 1e-9);
                assertEquals(held.forcesMeVPerAngstrom(), points.get(p + 1).path("rmse_forces_meV_per_A").asDouble(), 1e-9);
                assertTrue(held.forcesMeVPerAngstrom() > 0);
                p += 2;
            }
        }
        CliHelpTreeTest.Result table = CliHelpTreeTest.cli("bench", "entropy-curve", "--train", "small=" + a, "--test", "held=" + t, "--sizes", "3",
                "--basis", BASIS, "--committee", "2");
        assertEquals(0, table.code(), table.err());
        assertTrue(table.out().contains("small") && table.out().contains("held") && table.out().contains("(training)"), table.out());
    }

    @Test
    void badInputExitsTwoNamingTheOption() throws Exception {
        Path a = dir.resolve("a.extxyz");
        ExtendedXyz.write(a, rattled(3, 0.05, 1));
        CliHelpTreeTest.Result big = CliHelpTreeTest.cli("bench", "entropy-curve", "--train", "a=" + a, "--test", "t=" + a, "--sizes", "10");
        assertEquals(2, big.code(), big.err());
        assertTrue(big.err().contains("--train a") && big.err().contains("10"), big.err());
        CliHelpTreeTest.Result noName = CliHelpTreeTest.cli("bench", "entropy-curve", "--train", a.toString(), "--test", "t=" + a);
        assertEquals(2, noName.code(), noName.err());
        assertTrue(noName.err().contains("NAME=FILE") && !noName.err().contains("Exception"), noName.err());
        assertTrue(Files.list(dir).count() == 1, "nothing created");
    }
}
