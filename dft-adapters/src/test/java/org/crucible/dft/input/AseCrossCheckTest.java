package org.crucible.dft.input;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.crucible.core.Cell;
import org.crucible.core.Structure;
import org.crucible.core.testing.TestEnvironment;
import org.crucible.dft.castep.CastepInputGenerator;
import org.crucible.dft.qe.QeInputGenerator;
import org.crucible.dft.vasp.VaspInputGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The written pw.x, POSCAR and CASTEP .cell files read back by ASE 3.22 (an independent reader) give the same
 * cell, positions and species, in the same atom order; the k-point grid equals ASE's
 * {@code kptdensity2monkhorstpack(atoms, 1/spacing, even=False)}, the 2*pi-included rule.
 */
class AseCrossCheckTest {
    @Test
    void aseReadsWhatWeWrite(@TempDir Path tmp) throws Exception {
        Path py = TestEnvironment.assumeDebianPython("ase");
        Cell cell = Cell.fromParameters(4.1, 5.3, 6.2, 81.0, 97.0, 112.0);
        Structure s = Structure.of(cell, List.of("Si", "C", "Si", "O"),
                new double[][] {{0.1, 0.2, 0.3}, {1.7, -0.4, 2.2}, {3.3, 2.9, 1.1}, {-0.5, 1.5, 4.4}});
        Files.writeString(tmp.resolve("Si.UPF"), "   4.00000000000      Z valence\n");
        Files.writeString(tmp.resolve("C.UPF"), "   4.00000000000      Z valence\n");
        Files.writeString(tmp.resolve("O.UPF"), "   6.00000000000      Z valence\n");
        for (String sp : List.of("Si", "C", "O")) {
            Files.createDirectories(tmp.resolve("potcars/" + sp));
            Files.writeString(tmp.resolve("potcars/" + sp + "/POTCAR"), "x\n");
        }
        new QeInputGenerator(QeSettings(tmp)).inputSet(s).writeInput(tmp.resolve("qe"));
        VaspInputGenerator.fromSettings(Settings.parse("potcar_dir: " + tmp.resolve("potcars") + "\nencut: 400\n", "v")).inputSet(s).writeInput(tmp.resolve("vasp"));
        CastepInputGenerator.fromSettings(Settings.parse("cut_off_energy: 300\n", "c")).inputSet(s).writeInput(tmp.resolve("castep"));
        String script = String.join("\n",
                "import json, sys, warnings",
                "warnings.simplefilter('ignore')",
                "import ase.io",
                "from ase.calculators.calculator import kptdensity2monkhorstpack",
                "d = sys.argv[1]",
                "out = {}",
                "for key, path, fmt in [('qe', d + '/qe/pw.in', 'espresso-in'), ('vasp', d + '/vasp/POSCAR', 'vasp'),",
                "                       ('castep', d + '/castep/castep.cell', 'castep-cell')]:",
                "    a = ase.io.read(path, format=fmt)",
                "    out[key] = {'cell': a.cell.array.flatten().tolist(), 'pos': a.positions.flatten().tolist(),",
                "                'sym': a.get_chemical_symbols()}",
                "out['kpts'] = [int(k) for k in kptdensity2monkhorstpack(a, 1 / 0.2, even=False)]",
                "print(json.dumps(out))", "");
        Path scriptFile = Files.writeString(tmp.resolve("check.py"), script);
        Process p = new ProcessBuilder(py.toString(), scriptFile.toString(), tmp.toString()).redirectErrorStream(false).start();
        String stdout = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String stderr = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor(60, TimeUnit.SECONDS);
        assertEquals(0, p.exitValue(), stderr);
        JsonNode j = new ObjectMapper().readTree(stdout);
        for (String key : List.of("qe", "vasp", "castep")) {
            JsonNode c = j.get(key);
            for (int k = 0; k < 9; k++) assertEquals(cell.matrix()[k], c.get("cell").get(k).asDouble(), 1e-9, key + " cell");
            double[] x = s.positions();
            for (int k = 0; k < x.length; k++) assertEquals(x[k], c.get("pos").get(k).asDouble(), 1e-9, key + " position " + k);
            for (int i = 0; i < s.size(); i++) assertEquals(s.symbol(i), c.get("sym").get(i).asText(), key + " species order");
        }
        int[] ours = KpointMesh.ofSpacing(0.2).gridFor(cell);
        for (int a = 0; a < 3; a++) assertEquals(ours[a], j.get("kpts").get(a).asInt(), "k-points axis " + a);
        String pwIn = Files.readString(tmp.resolve("qe/pw.in"));
        assertEquals(true, pwIn.contains("K_POINTS automatic\n  " + ours[0] + " " + ours[1] + " " + ours[2] + " 0 0 0\n"), pwIn);
    }

    private static org.crucible.dft.qe.QeSettings QeSettings(Path dir) {
        return org.crucible.dft.qe.QeSettings.from(Settings.parse("pseudo_dir: " + dir + "\npseudopotentials: {Si: Si.UPF, C: C.UPF, O: O.UPF}\n"
                + "ecutwfc: 30\nkpoint_spacing: 0.2\n", "q"));
    }
}
