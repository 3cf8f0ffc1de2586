package org.crucible.executors.calculators;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.stream.Stream;
import org.crucible.core.Labels;
import org.crucible.core.Structure;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Forces and stress of every calculator against central finite differences of its energy. */
class CalculatorGradientTest {
    static final String SI_TERSOFF = """
            # Tersoff 1988 Si (PRB 37, 6991) -- written here so the test needs no installed files
            Si Si Si 3.0 1.0 1.3258 4.8381 2.0417 0.0000 22.956
                     0.33675 1.3258 95.373 3.0 0.2 3.2394 3264.7
            """;
    static final String SIC_TERSOFF = """
            Si Si Si 3.0 1.0 0.0 100390 16.217 -.59825 .78734 0.0000011 1.73222 471.18 2.85 0.15 2.4799 1830.8
            C C C 3.0 1.0 0.0 38049 4.3484 -.57058 .72751 0.00000015724 2.2119 346.7 1.95 0.15 3.4879 1393.6
            Si Si C 3.0 1.0 0.0 100390 16.217 -.59825 0.0 0.0 0.0 0.0 2.36 0.15 0.0 0.0
            Si C C 3.0 1.0 0.0 100390 16.217 -.59825 .787340 0.0000011 1.97205 395.126 2.36 0.15 2.9839 1597.3111
            C Si Si 3.0 1.0 0.0 38049 4.3484 -.57058 .72751 0.00000015724 1.97205 395.126 2.36 0.15 2.9839 1597.3111
            C Si C 3.0 1.0 0.0 38049 4.3484 -.57058 0.0 0.0 0.0 0.0 1.95 0.15 0.0 0.0
            C C Si 3.0 1.0 0.0 38049 4.3484 -.57058 0.0 0.0 0.0 0.0 2.36 0.15 0.0 0.0
            Si C Si 3.0 1.0 0.0 100390 16.217 -.59825 0.0 0.0 0.0 0.0 2.85 0.15 0.0 0.0
            """;
    // a lambda3 != 0, m = 1 variant exercises the exponential term and its derivative
    static final String SI_TERSOFF_M1 = """
            Si Si Si 1.0 1.0 1.1 4.8381 2.0417 0.1 22.956 0.33675 1.3258 95.373 3.0 0.2 3.2394 3264.7
            """;

    static Stream<Arguments> calculators() {
        return Stream.of(
                Arguments.of("sw", StillingerWeber.silicon(), new String[] {"Si"}, 14.0, 1.9),
                Arguments.of("tersoff Si", new Tersoff(TersoffParameters.parse(SI_TERSOFF, "Si.tersoff")), new String[] {"Si"}, 14.0, 1.9),
                Arguments.of("tersoff Si m=1", new Tersoff(TersoffParameters.parse(SI_TERSOFF_M1, "m1")), new String[] {"Si"}, 14.0, 1.9),
                Arguments.of("tersoff SiC", new Tersoff(TersoffParameters.parse(SIC_TERSOFF, "SiC.tersoff")), new String[] {"Si", "C"}, 10.0, 1.4),
                Arguments.of("lj", LennardJones.parse("Si:eps=0.3,sigma=2.0,rc=5/C:eps=0.2,sigma=1.6/Si-C:eps=0.25,sigma=1.8,rc=4.5"),
                        new String[] {"Si", "C"}, 12.0, 1.6));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("calculators")
    void forcesAreMinusTheEnergyGradient(String name, Calculator calc, String[] elements, double vol, double dmin) {
        Random rng = new Random(name.hashCode());
        double h = 1e-5;
        for (int s = 0; s < 4; s++) {
            Structure st = RandomStructures.random(rng, elements, 6 + s, vol, dmin, s % 2 == 1);
            Labels l = calc.calculate(st);
            double[] f = l.forces();
            double[] x = st.positions();
            double worst = 0;
            for (int c = 0; c < x.length; c++) {
                double[] p = x.clone();
                p[c] += h;
                double ep = calc.calculate(st.withPositions(p)).energy();
                p[c] -= 2 * h;
                double em = calc.calculate(st.withPositions(p)).energy();
                double fd = -(ep - em) / (2 * h);
                worst = Math.max(worst, Math.abs(fd - f[c]));
            }
            assertTrue(worst < 1e-6 * Math.max(1, l.maxForce()), name + " structure " + s + ": force differs from -dE/dx by " + worst);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("calculators")
    void stressIsTheStrainDerivativeOverVolume(String name, Calculator calc, String[] elements, double vol, double dmin) {
        Random rng = new Random(name.hashCode() + 1);
        double h = 1e-6;
        for (int s = 0; s < 4; s++) {
            Structure st = RandomStructures.random(rng, elements, 5 + s, vol, dmin, s % 2 == 0);
            double[] stress = calc.calculate(st).stress();
            double v = st.cell().volume();
            double worst = 0, scale = 0;
            for (int c = 0; c < 6; c++) {
                double[] e = new double[6];
                e[c] = h;
                double ep = calc.calculate(st.withCell(st.cell().strained(e), true)).energy();
                e[c] = -h;
                double em = calc.calculate(st.withCell(st.cell().strained(e), true)).energy();
                // a symmetric shear strain eps_yz = eps_zy = h changes E by 2 V sigma_yz h
                double fd = (ep - em) / (2 * h) / v / (c < 3 ? 1 : 2);
                worst = Math.max(worst, Math.abs(fd - stress[c]));
                scale = Math.max(scale, Math.abs(stress[c]));
            }
            assertTrue(worst < 1e-6 * Math.max(1, scale), name + " structure " + s + ": stress differs from dE/de / V by " + worst);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("calculators")
    void atomicEnergiesSumToTheTotalAndResultsAreFrameIndependent(String name, ShortRangeCalculator calc, String[] elements, double vol, double dmin) {
        Random rng = new Random(name.hashCode() + 2);
        Structure st = RandomStructures.random(rng, elements, 8, vol, dmin, true);
        ShortRangeCalculator.Result r = calc.evaluate(st);
        double sum = 0;
        for (double e : r.atomicEnergies()) sum += e;
        assertEquals(r.labels().energy(), sum, 1e-10 * Math.max(1, Math.abs(sum)));
        // translating every atom and wrapping changes nothing
        double[] p = st.positions();
        for (int i = 0; i < p.length; i++) p[i] += 0.37 * (i % 3 + 1);
        Labels moved = calc.calculate(st.withPositions(p).wrapped());
        assertEquals(r.labels().energy(), moved.energy(), 1e-10 * Math.max(1, Math.abs(sum)));
        double[] f0 = r.labels().forces(), f1 = moved.forces();
        for (int i = 0; i < f0.length; i++) assertEquals(f0[i], f1[i], 1e-9);
        double[] net = new double[3];
        for (int i = 0; i < f0.length; i++) net[i % 3] += f0[i];
        for (double x : net) assertEquals(0, x, 1e-9, "forces of a periodic system sum to zero");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("calculators")
    void molecularClusterHasForcesAndNoStress(String name, Calculator calc, String[] elements, double vol, double dmin) {
        Random rng = new Random(name.hashCode() + 3);
        Structure periodic = RandomStructures.random(rng, elements, 6, vol, dmin, false);
        Structure cluster = Structure.of(org.crucible.core.Cell.NONE, periodic.atomicNumbers(), periodic.positions());
        Labels l = calc.calculate(cluster);
        assertTrue(l.hasForces() && !l.hasStress());
        double[] net = new double[3];
        double[] f = l.forces();
        for (int i = 0; i < f.length; i++) net[i % 3] += f[i];
        for (double x : net) assertEquals(0, x, 1e-9);
    }

    static Path writeTemp(String text) throws java.io.IOException {
        Path p = Files.createTempFile("crucible", ".txt");
        Files.writeString(p, text);
        p.toFile().deleteOnExit();
        return p;
    }
}
