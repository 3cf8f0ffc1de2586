package org.crucible.driver.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.crucible.core.Structure;
import org.crucible.core.io.ExtendedXyz;
import org.crucible.executors.potentials.ModelFile;
import org.crucible.executors.potentials.PotentialModel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class FitCommandTest {
    /** A small ACE basis suited to Stillinger-Weber (nu <= 2, l <= 2) so the test stays fast. */
    static final String BASIS = "ace:rCut=3.77118,lambda=0,maxDegree=10/10,wL=1,lMax=2";

    static List<Structure> rattledSi8(long seed, int count) {
        return FitCommandTestData.rattledSi8(seed, count);
    }

    static String[] run(String... args) {
        StringWriter out = new StringWriter(), err = new StringWriter();
        CommandLine cl = CrucibleCommand.commandLine();
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        int code = cl.execute(args);
        return new String[] {Integer.toString(code), out.toString(), err.toString()};
    }

    @Test
    void fitsWritesAModelAndPrintsTrainAndTestErrors(@TempDir Path dir) throws Exception {
        Path train = dir.resolve("train.extxyz"), test = dir.resolve("test.extxyz"), model = dir.resolve("out/model.json");
        ExtendedXyz.write(train, rattledSi8(1, 40));
        ExtendedXyz.write(test, rattledSi8(2, 10));
        String[] r = run("fit", train.toString(), "--test", test.toString(), "--basis", BASIS, "--seed", "3", "-o", model.toString());
        assertEquals("0", r[0], r[2]);
        JsonNode j = new ObjectMapper().readTree(r[1]);
        assertEquals(40, j.get("structures_train").asInt());
        assertTrue(j.get("train").get("rmse_energy_meV_per_atom").asDouble() < 5, r[1]);
        assertTrue(j.get("test").get("rmse_forces_meV_per_A").asDouble() < 100, r[1]);
        assertTrue(j.get("hyperparameters").get("alpha").asDouble() > 0);
        assertTrue(j.get("hyperparameters").has("lambda"));
        // errors per window of energy above the lowest Si energy: every test structure in exactly one window, and the
        // windows' energy errors add up to the whole set's (RMSE over structures)
        JsonNode windows = j.get("test_by_energy_window");
        assertEquals(4, windows.size(), r[1]);
        assertEquals("0-0.1", windows.get(0).get("window_eV_per_atom").asText());
        assertEquals("above 2", windows.get(3).get("window_eV_per_atom").asText());
        int counted = 0;
        double sum2 = 0;
        for (JsonNode w : windows) {
            counted += w.get("structures").asInt();
            if (w.get("structures").asInt() > 0) sum2 += w.get("structures").asInt() * Math.pow(w.get("rmse_energy_meV_per_atom").asDouble(), 2);
        }
        assertEquals(10, counted, r[1]);
        assertEquals(j.get("test").get("rmse_energy_meV_per_atom").asDouble(), Math.sqrt(sum2 / 10), 1e-9, r[1]);
        assertEquals(4, j.get("train_by_energy_window").size());
        assertEquals("Si", FitCommand.reducedComposition(ExtendedXyz.read(train).get(0)));
        assertEquals("brr", j.get("solver").asText());
        PotentialModel m = ModelFile.read(model);
        assertEquals(j.get("data_sha256").asText(), m.provenance().get("data_sha256"));
        assertEquals(8, m.potential().committeeSize());
        Structure s = ExtendedXyz.read(test).get(0);
        assertEquals(s.labels().energy(), m.potential().calculate(s).energy(), 0.1);
    }

    @Test
    void ardSolverIsSelectable(@TempDir Path dir) throws Exception {
        Path train = dir.resolve("train.extxyz"), model = dir.resolve("m.json");
        ExtendedXyz.write(train, rattledSi8(4, 30));
        String[] r = run("fit", train.toString(), "--basis", BASIS, "--solver", "ard", "-o", model.toString());
        assertEquals("0", r[0], r[2]);
        assertEquals("ard", new ObjectMapper().readTree(r[1]).get("hyperparameters").get("solver").asText());
    }

    @Test
    void badInputNamesFileOptionAndValue(@TempDir Path dir) throws Exception {
        Path train = dir.resolve("train.extxyz");
        ExtendedXyz.write(train, rattledSi8(5, 5));
        String[] r = run("fit", dir.resolve("missing.extxyz").toString(), "-o", dir.resolve("m.json").toString());
        assertEquals("2", r[0]);
        assertTrue(r[2].contains("missing.extxyz"), r[2]);
        r = run("fit", train.toString(), "--solver", "svd", "-o", dir.resolve("m.json").toString());
        assertEquals("2", r[0]);
        assertTrue(r[2].contains("solver") && r[2].contains("svd"), r[2]);
        r = run("fit", train.toString(), "--basis", "ace:rCut=abc", "-o", dir.resolve("m.json").toString());
        assertEquals("2", r[0]);
        assertTrue(r[2].contains("rCut"), r[2]);
        r = run("fit", train.toString(), "--basis", "ace:cutoff=4", "-o", dir.resolve("m.json").toString());
        assertEquals("2", r[0]);
        assertTrue(r[2].contains("unknown basis spec key 'cutoff'") && r[2].contains("rCut"), r[2]);
        Files.writeString(dir.resolve("bad.extxyz"), "2\nLattice=\"5 0 0 0 5 0 0 0 5\" Properties=species:S:1:pos:R:3 energy=1.0\nSi 0 0 0\n");
        r = run("fit", dir.resolve("bad.extxyz").toString(), "-o", dir.resolve("m.json").toString());
        assertEquals("2", r[0]);
        assertTrue(r[2].contains("bad.extxyz"), r[2]);
        Structure unlabelled = rattledSi8(6, 1).get(0).withLabels(org.crucible.core.Labels.NONE);
        ExtendedXyz.write(dir.resolve("nolabels.extxyz"), List.of(unlabelled));
        r = run("fit", dir.resolve("nolabels.extxyz").toString(), "-o", dir.resolve("m.json").toString());
        assertEquals("2", r[0]);
        assertTrue(r[2].contains("frame 1") && r[2].contains("no energy or forces"), r[2]);
    }
}
