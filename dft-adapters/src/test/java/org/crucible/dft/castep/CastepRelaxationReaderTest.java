package org.crucible.dft.castep;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.crucible.core.Cell;
import org.crucible.core.Structure;
import org.crucible.core.units.Units;
import org.crucible.dft.DftCode;
import org.crucible.dft.DftParseException;
import org.crucible.dft.DftParsers;
import org.crucible.dft.RelaxationOutcome;
import org.crucible.dft.input.InputSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * CASTEP lists ions grouped by species whatever the input order. A hand-made two-step .castep in CASTEP's
 * layout (boxes as in the shared 17.2 and 19.1 outputs) for an input ordered Si C Si, which CASTEP prints as
 * Si 1, Si 2, C 1: positions and forces must come back in the input order.
 */
class CastepRelaxationReaderTest {
    static Structure sicInput() {
        Cell cell = Cell.periodic(new double[][] {{4, 0, 0}, {0, 4, 0}, {0, 0, 4}});
        return Structure.of(cell, List.of("Si", "C", "Si"), new double[][] {{0, 0, 0}, {1.1, 1.0, 1.0}, {2, 2, 2}});
    }

    static String unitCell(double a) {
        return "                           -------------------------------\n"
                + "                                      Unit Cell\n"
                + "                           -------------------------------\n"
                + "        Real Lattice(A)              Reciprocal Lattice(1/A)\n"
                + String.format(java.util.Locale.ROOT, "   %.7f   0.0000000   0.0000000        1.0000000   0.0000000   0.0000000%n", a)
                + String.format(java.util.Locale.ROOT, "   0.0000000   %.7f   0.0000000        0.0000000   1.0000000   0.0000000%n", a)
                + String.format(java.util.Locale.ROOT, "   0.0000000   0.0000000   %.7f        0.0000000   0.0000000   1.0000000%n", a)
                + "\n";
    }

    static String contents(String... rows) {
        StringBuilder sb = new StringBuilder("                           -------------------------------\n"
                + "                                     Cell Contents\n"
                + "                           -------------------------------\n"
                + "                         Total number of ions in cell =    3\n"
                + "                      Total number of species in cell =    2\n\n"
                + "            xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\n"
                + "            x  Element    Atom        Fractional coordinates of atoms  x\n"
                + "            x            Number           u          v          w      x\n"
                + "            x----------------------------------------------------------x\n");
        for (String r : rows) sb.append("            x  ").append(r).append("   x\n");
        return sb.append("            xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\n\n").toString();
    }

    static String step(double energy, String... forceRows) {
        StringBuilder sb = new StringBuilder(String.format(java.util.Locale.ROOT,
                "Final energy, E             =  %.10f     eV%nFinal free energy (E-TS)    =  %.10f     eV%n%n", energy, energy - 0.001));
        sb.append(" ******************* Forces *******************\n *                                            *\n"
                + " *               Cartesian components (eV/A)  *\n *                                            *\n");
        for (String r : forceRows) sb.append(" * ").append(r).append(" *\n");
        sb.append(" *                                            *\n **********************************************\n\n");
        sb.append(" *********** Stress Tensor ***********\n *                                   *\n"
                + " *  x     -0.500000      0.000000      0.000000  *\n"
                + " *  y      0.000000     -0.500000      0.000000  *\n"
                + " *  z      0.000000      0.000000     -0.500000  *\n"
                + " *                                   *\n *************************************\n\n");
        return sb.toString();
    }

    static String output(String secondForces) {
        return " CASTEP version: 19.1\n"
                + unitCell(4.0)
                + contents("Si           1         0.000000   0.000000   0.000000", "Si           2         0.500000   0.500000   0.500000",
                        "C            1         0.275000   0.250000   0.250000")
                + " BFGS: starting iteration         0\n"
                + step(-100.0, "Si              1      0.10000      0.00000      0.00000", "Si              2      0.20000      0.00000      0.00000",
                        "C               1      0.30000      0.00000      0.00000")
                + " BFGS: starting iteration         1 with trial guess (lambda=  1.000000)\n"
                + unitCell(4.1)
                + contents("Si           1         0.010000   0.000000   0.000000", "Si           2         0.500000   0.520000   0.500000",
                        "C            1         0.250000   0.250000   0.230000")
                + step(-100.5, secondForces.split("\\|"))
                + " BFGS: Geometry optimization completed successfully.\n\n"
                + "Total time          =      1.23 s\n";
    }

    static InputSet set() {
        return new InputSet(DftCode.CASTEP, Map.of("castep.cell", ""), List.of("castep"), "castep.stdout", "castep.castep");
    }

    @Test
    void positionsAndForcesComeBackInTheInputOrder(@TempDir Path tmp) throws Exception {
        Files.writeString(tmp.resolve("castep.castep"), output("Si              1      0.01000      0.00000      0.00000"
                + "|Si              2      0.02000      0.00000      0.00000|C               1      0.03000      0.00000      0.00000"));
        RelaxationOutcome o = DftParsers.relaxation(DftCode.CASTEP, tmp, set(), sicInput());
        assertTrue(o.converged());
        assertEquals(2, o.ionicSteps());
        assertEquals(List.of("Si", "C", "Si"), List.of(o.relaxed().symbol(0), o.relaxed().symbol(1), o.relaxed().symbol(2)));
        // input atom 0 = Si 1, atom 1 = C 1, atom 2 = Si 2; cell 4.1 Angstrom of the second step
        assertArrayEquals(new double[] {0.041, 0, 0, 1.025, 1.025, 0.943, 2.05, 2.132, 2.05}, o.relaxed().positions(), 1e-12);
        assertArrayEquals(new double[] {0.01, 0, 0, 0.03, 0, 0, 0.02, 0, 0}, o.relaxed().labels().forces(), 1e-12);
        assertArrayEquals(new double[] {0.1, 0, 0, 0.3, 0, 0, 0.2, 0, 0}, o.result().steps().get(0).forces(), 1e-12,
                "every step's forces are in the input order");
        assertEquals(-100.501, o.relaxed().labels().energy(), 1e-9);
        assertEquals(-0.5 * Units.GPA_TO_EV_PER_A3, o.relaxed().labels().stress()[0], 1e-12);
    }

    @Test
    void forceBoxInAnotherOrderThanTheCellContentsIsRefused(@TempDir Path tmp) throws Exception {
        String text = output("Si              1      0.01000      0.00000      0.00000"
                + "|Si              2      0.02000      0.00000      0.00000|C               1      0.03000      0.00000      0.00000");
        // swap the rows of the first force box only
        text = text.replaceFirst("Si              2      0.20000      0.00000      0.00000", "TMP")
                .replaceFirst("C               1      0.30000      0.00000      0.00000", "Si              2      0.20000      0.00000      0.00000")
                .replaceFirst("TMP", "C               1      0.30000      0.00000      0.00000");
        Files.writeString(tmp.resolve("castep.castep"), text);
        DftParseException e = assertThrows(DftParseException.class, () -> DftParsers.relaxation(DftCode.CASTEP, tmp, set(), sicInput()));
        assertTrue(e.getMessage().contains("castep.castep:") && e.getMessage().contains("force row 2 is ion C 1"), e.getMessage());
    }

    @Test
    void anIonWithoutCounterpartInTheInputIsRefused(@TempDir Path tmp) throws Exception {
        Files.writeString(tmp.resolve("castep.castep"), output("Si              1      0.01000      0.00000      0.00000"
                + "|Si              2      0.02000      0.00000      0.00000|C               1      0.03000      0.00000      0.00000"));
        Structure noCarbon = Structure.of(sicInput().cell(), List.of("Si", "Si", "Si"), new double[][] {{0, 0, 0}, {1, 1, 1}, {2, 2, 2}});
        DftParseException e = assertThrows(DftParseException.class, () -> DftParsers.relaxation(DftCode.CASTEP, tmp, set(), noCarbon));
        assertTrue(e.getMessage().contains("ion C 1 has no counterpart"), e.getMessage());
    }

    @Test
    void singlePointForcesFollowTheCellFileBesideTheOutput(@TempDir Path tmp) throws Exception {
        Path out = tmp.resolve("castep.castep");
        Files.writeString(out, output("Si              1      0.01000      0.00000      0.00000"
                + "|Si              2      0.02000      0.00000      0.00000|C               1      0.03000      0.00000      0.00000"));
        // Without the .cell the parser cannot know the input order: CASTEP's printed order (Si 1, Si 2, C 1).
        assertArrayEquals(new double[] {0.01, 0, 0, 0.02, 0, 0, 0.03, 0, 0},
                DftParsers.forCode(DftCode.CASTEP).parse(out, false).forces(), 1e-12);
        // With the .cell our writer produces for the Si C Si input, forces come back in the input order.
        String cell = CastepInputGenerator.fromSettings(org.crucible.dft.input.Settings.of(Map.of("pseudopotentials", Map.of("Si", "Si.usp", "C", "C.usp"), "cut_off_energy", 300), "test")).inputSet(sicInput()).file("castep.cell");
        Files.writeString(tmp.resolve("castep.cell"), cell);
        var r = DftParsers.forCode(DftCode.CASTEP).parse(out, true);
        assertArrayEquals(new double[] {0.01, 0, 0, 0.03, 0, 0, 0.02, 0, 0}, r.forces(), 1e-12);
        assertArrayEquals(new double[] {0.1, 0, 0, 0.3, 0, 0, 0.2, 0, 0}, r.steps().get(0).forces(), 1e-12);
        // The farm brings the .cell back beside the output.
        assertTrue(CastepInputGenerator.fromSettings(org.crucible.dft.input.Settings.of(Map.of("pseudopotentials", Map.of("Si", "Si.usp", "C", "C.usp"), "cut_off_energy", 300), "test")).inputSet(sicInput()).extraOutputs()
                .contains("castep.cell"));
    }
}
