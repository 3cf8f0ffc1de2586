package org.crucible.driver.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.List;
import org.crucible.core.Structure;
import org.crucible.core.io.ExtendedXyz;
import org.crucible.executors.potentials.ModelFile;
import org.crucible.executors.potentials.Prediction;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** calc and relax with --potential MODEL.json (a model fitted by crucible fit on SW-labelled Si8). */
class PotentialCliTest {
    @TempDir
    static Path dir;
    static Path model;
    static Path frames;

    @BeforeAll
    static void fitModel() {
        Path train = dir.resolve("train.extxyz");
        ExtendedXyz.write(train, FitCommandTest.rattledSi8(1, 40));
        model = dir.resolve("model.json");
        String[] r = FitCommandTest.run("fit", train.toString(), "--basis", FitCommandTest.BASIS, "-o", model.toString());
        assertEquals("0", r[0], r[2]);
        frames = dir.resolve("frames.extxyz");
        ExtendedXyz.write(frames, FitCommandTest.rattledSi8(9, 3));
    }

    @Test
    void calcJsonLinesCarryTheUncertaintyFields() throws Exception {
        String[] r = FitCommandTest.run("calc", frames.toString(), "--potential", model.toString(), "--json");
        assertEquals("0", r[0], r[2]);
        String[] lines = r[1].strip().split("\n");
        assertEquals(3, lines.length);
        List<Structure> in = ExtendedXyz.read(frames);
        var pot = ModelFile.read(model).potential();
        for (int k = 0; k < 3; k++) {
            JsonNode j = new ObjectMapper().readTree(lines[k]);
            Prediction p = pot.predict(in.get(k));
            assertEquals(p.energy(), j.get("energy_eV").asDouble(), 0.0);
            assertEquals(p.sigmaEnergy(), j.get("sigma_energy_eV").asDouble(), 0.0);
            assertEquals(p.maxRelativeForceUncertainty(), j.get("max_rel_force_uncertainty").asDouble(), 0.0);
            assertEquals(p.extrapolationGrade(), j.get("extrapolation_grade").asDouble(), 0.0);
            assertTrue(j.get("sigma_energy_eV").asDouble() > 0);
            assertEquals(8, j.get("forces_eV_per_A").size());
        }
        String[] human = FitCommandTest.run("calc", frames.toString(), "--potential", model.toString());
        assertEquals("0", human[0], human[2]);
        assertTrue(human[1].contains("sigma_E"), human[1]);
    }

    @Test
    void relaxStopsWhenTheEnsembleUncertaintyExceedsTheBound() throws Exception {
        Path out = dir.resolve("relaxed.extxyz");
        // U = max sigma_F / max |F| grows as forces vanish, so a tiny bound stops at once and a huge one never
        String[] r = FitCommandTest.run("relax", frames.toString(), out.toString(), "--potential", model.toString(), "--max-uncertainty", "1e-9");
        assertEquals("0", r[0], r[2]);
        for (Structure s : ExtendedXyz.read(out)) assertEquals("EARLY_STOP", s.info().get("relax_reason"));
        r = FitCommandTest.run("relax", frames.toString(), out.toString(), "--potential", model.toString(), "--max-uncertainty", "1e9",
                "--fixed-cell", "--fmax", "0.05");
        assertEquals("0", r[0], r[2]);
        for (Structure s : ExtendedXyz.read(out)) assertEquals("CONVERGED", s.info().get("relax_reason"), s.info().toString());
    }

    @Test
    void potentialOptionsRejectBadCombinationsAndFiles() throws Exception {
        String[] r = FitCommandTest.run("calc", frames.toString(), "--potential", model.toString(), "--calculator", "sw");
        assertEquals("2", r[0]);
        assertTrue(r[2].contains("exactly one"), r[2]);
        r = FitCommandTest.run("calc", frames.toString());
        assertEquals("2", r[0]);
        r = FitCommandTest.run("relax", frames.toString(), dir.resolve("x.extxyz").toString(), "--calculator", "sw", "--max-uncertainty", "0.5");
        assertEquals("2", r[0]);
        assertTrue(r[2].contains("--max-uncertainty needs --potential"), r[2]);
        r = FitCommandTest.run("calc", frames.toString(), "--potential", dir.resolve("none.json").toString());
        assertEquals("2", r[0]);
        assertTrue(r[2].contains("none.json"), r[2]);
        Path broken = dir.resolve("broken.json");
        java.nio.file.Files.writeString(broken, "{\"format\": \"something-else\"}");
        r = FitCommandTest.run("calc", frames.toString(), "--potential", broken.toString());
        assertEquals("2", r[0]);
        assertTrue(r[2].contains("broken.json") && r[2].contains("format"), r[2]);
    }
}
