package org.crucible.executors.calculators;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.crucible.core.Cell;
import org.crucible.core.Labels;
import org.crucible.core.Structure;
import org.junit.jupiter.api.Test;

/** Parameter files, specifications and bad structures. */
class CalculatorInputTest {
    static Structure diamond(double a, String e1, String e2) {
        double[][] frac = {{0, 0, 0}, {0.25, 0.25, 0.25}, {0, 0.5, 0.5}, {0.25, 0.75, 0.75}, {0.5, 0, 0.5}, {0.75, 0.25, 0.75},
            {0.5, 0.5, 0}, {0.75, 0.75, 0.25}};
        double[][] pos = new double[8][];
        String[] sym = new String[8];
        for (int i = 0; i < 8; i++) {
            pos[i] = new double[] {frac[i][0] * a, frac[i][1] * a, frac[i][2] * a};
            sym[i] = i % 2 == 0 ? e1 : e2;
        }
        return Structure.of(Cell.cubic(a), List.of(sym), pos);
    }

    @Test
    void diamondSiliconWithStillingerWeber1985() {
        Labels l = StillingerWeber.silicon().calculate(diamond(5.431, "Si", "Si"));
        assertEquals(-4.3366, l.energy() / 8, 5e-5);
        assertEquals(0, l.maxForce(), 1e-12);
    }

    @Test
    void diamondSiliconWithTersoff1988() {
        // Tersoff's Si(C) parametrisation: -4.63 eV/atom at a = 5.432 Angstrom
        Tersoff t = new Tersoff(TersoffParameters.parse(CalculatorGradientTest.SI_TERSOFF, "Si.tersoff"));
        assertEquals(-4.63, t.calculate(diamond(5.432, "Si", "Si")).energy() / 8, 0.01);
    }

    @Test
    void zincblendeSiliconCarbideWithTersoff1989() {
        Tersoff t = new Tersoff(TersoffParameters.parse(CalculatorGradientTest.SIC_TERSOFF, "SiC.tersoff"));
        // 3C-SiC: cohesive energy 6.165 eV/atom at a = 4.32 Angstrom (Tersoff 1989)
        assertEquals(-6.165, t.calculate(diamond(4.32, "Si", "C")).energy() / 8, 0.02);
    }

    @Test
    void entriesSpanLinesAndCommentsAreIgnored() {
        String text = "# header\n\nSi Si Si 2.1683 2.0951 1.80 # comment inside\n 21.0 1.20 -0.333333333333\n"
                + "7.049556277\n0.6022245584 4.0 0.0 0.0\n";
        StillingerWeberParameters p = StillingerWeberParameters.parse(text, "x.sw");
        assertEquals(21.0, p.get(0, 0, 0).lambda());
        Labels a = new StillingerWeber(p).calculate(diamond(5.5, "Si", "Si"));
        Labels b = StillingerWeber.silicon().calculate(diamond(5.5, "Si", "Si"));
        assertEquals(b.energy(), a.energy(), 0.0);
    }

    @Test
    void parseErrorsNameFileLineAndWord() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> StillingerWeberParameters.parse("Si Si Si 2.1 2.0 1.8 21 1.2 -0.3\n7.0 0.6 four 0 0\n", "bad.sw"));
        assertTrue(e.getMessage().contains("bad.sw line 1") && e.getMessage().contains("'four'"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> StillingerWeberParameters.parse("Si Si Si 2.1 2.0\n", "short.sw"));
        assertTrue(e.getMessage().contains("incomplete entry"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> TersoffParameters.parse(
                "Si Si Si 3.0 1.0 0.0 100390 16.217 -.59825 .78734 0.0000011 1.73222 471.18 2.85 0.15 2.4799 1830.8\n"
                        + "C C C 3.0 1.0 0.0 38049 4.3484 -.57058 .72751 0.00000015724 2.2119 346.7 1.95 0.15 3.4879 1393.6\n", "part.tersoff"));
        assertTrue(e.getMessage().contains("missing entry"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> TersoffParameters.parse(
                "Si Si Si 2.0 1.0 0.0 100390 16.217 -.59825 .78734 0.0000011 1.73222 471.18 2.85 0.15 2.4799 1830.8\n", "m.tersoff"));
        assertTrue(e.getMessage().contains("m.tersoff line 1") && e.getMessage().contains("m must be 1 or 3"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> StillingerWeberParameters.parse(
                "Si Si Si 2.1683 2.0951 1.80 21.0 1.20 -0.3 7.04 0.60 4.0 0.0 0.0\nSi Si Si 2.1683 2.0951 1.80 21.0 1.20 -0.3 7.04 0.60 4.0 0.0 0.0\n", "dup.sw"));
        assertTrue(e.getMessage().contains("duplicate"), e.getMessage());
    }

    @Test
    void anElementWithoutParametersIsNamed() {
        CalculationException e = assertThrows(CalculationException.class, () -> StillingerWeber.silicon().calculate(diamond(5.431, "Si", "Ge")));
        assertTrue(e.getMessage().contains("Ge") && e.getMessage().contains("Si"), e.getMessage());
        e = assertThrows(CalculationException.class, () -> LennardJones.parse("Ar:eps=0.01,sigma=3.4").calculate(diamond(5.431, "Si", "Si")));
        assertTrue(e.getMessage().contains("element Si"), e.getMessage());
    }

    @Test
    void coincidentAtomsAreAClearError() {
        Structure s = Structure.of(Cell.cubic(6), new int[] {14, 14, 14}, new double[] {1, 1, 1, 1, 1, 1, 3, 3, 3});
        for (Calculator c : List.of(StillingerWeber.silicon(), LennardJones.parse("Si:eps=0.1,sigma=2"),
                new Tersoff(TersoffParameters.parse(CalculatorGradientTest.SI_TERSOFF, "t")))) {
            CalculationException e = assertThrows(CalculationException.class, () -> c.calculate(s));
            assertTrue(e.getMessage().contains("coincide"), e.getMessage());
        }
        // very close but distinct atoms give finite numbers
        Structure close = Structure.of(Cell.cubic(6), new int[] {14, 14}, new double[] {1, 1, 1, 1, 1, 1.01});
        Labels l = StillingerWeber.silicon().calculate(close);
        assertTrue(Double.isFinite(l.energy()) && l.maxForce() > 0);
    }

    @Test
    void lennardJonesSpecification() {
        LennardJones lj = LennardJones.parse("Ar:eps=0.0104,sigma=3.40,rc=8.5");
        assertEquals(8.5, lj.cutoff());
        // two atoms at the minimum 2^(1/6) sigma in a big box: -eps minus the shift
        Structure dimer = Structure.of(Cell.cubic(30), new int[] {18, 18}, new double[] {0, 0, 0, Math.pow(2, 1.0 / 6) * 3.4, 0, 0});
        double sr6 = Math.pow(3.4 / 8.5, 6);
        assertEquals(-0.0104 - 4 * 0.0104 * (sr6 * sr6 - sr6), LennardJones.parse("Ar:eps=0.0104,sigma=3.40,rc=8.5").calculate(dimer).energy(), 1e-15);
        assertEquals(2.5 * 2.0, LennardJones.parse("Si:eps=1,sigma=2").cutoff(), 0);
        for (String bad : new String[] {"", "Si", "Si:eps=1", "Si:eps=1,sigma=-2", "Si:eps=1,sigma=2,foo=3", "Xx:eps=1,sigma=2",
            "Si:eps=1,sigma=2/Si-C:eps=1,sigma=2", "Si:eps=1,sigma=2/Si:eps=1,sigma=2", "Si:eps=a,sigma=2"}) {
            assertThrows(IllegalArgumentException.class, () -> LennardJones.parse(bad), bad);
        }
        assertFalse(LennardJones.parse("Si:eps=1,sigma=2/C:eps=0.5,sigma=1.5").name().isEmpty());
    }

    @Test
    void specificationsBuildCalculators(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        assertTrue(CalculatorSpec.parse("sw", dir) instanceof StillingerWeber);
        java.nio.file.Files.writeString(dir.resolve("my.tersoff"), CalculatorGradientTest.SI_TERSOFF);
        ShortRangeCalculator t = CalculatorSpec.parse("tersoff:my.tersoff", dir);
        assertTrue(t instanceof Tersoff && t.name().contains("my.tersoff"));
        assertTrue(CalculatorSpec.parse("lj:Ar:eps=0.0104,sigma=3.40,rc=8.5", dir) instanceof LennardJones);
        for (String bad : new String[] {"", "eam:Cu.eam", "tersoff", "tersoff:missing.tersoff", "lj:", "sw:nofile.sw"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> CalculatorSpec.parse(bad, dir), bad);
            assertFalse(e.getMessage().isEmpty());
        }
    }
}
