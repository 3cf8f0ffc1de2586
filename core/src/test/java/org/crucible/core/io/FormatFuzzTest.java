package org.crucible.core.io;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Consumer;
import org.crucible.core.Cell;
import org.crucible.core.Labels;
import org.crucible.core.Structure;
import org.junit.jupiter.api.Test;

/**
 * Random truncations and mutations of valid extended XYZ, POSCAR and CIF text: every case either reads or ends in a
 * {@link FormatException} naming the source (and a line whenever the text has one), never a
 * NullPointerException, an IndexOutOfBoundsException, a NumberFormatException or an OutOfMemoryError.
 */
class FormatFuzzTest {
    static final int CASES = Integer.getInteger("crucible.fuzz.cases", 3000);
    static final String[] JUNK = {"", " ", "NaN", "-", "1e999", "abc", "700000000", "-3", "2147483648", "\"", "=", "Lattice=\"1 2\"", "T F",
        "Properties=species:S:1:pos:R:3:forces:R:9", "0", "\t", "Direct", "Cartesian", "Si Si", "1 1 1", "pbc=\"T\"", "1.0.0", "x=\"unterminated"};

    static Structure sample(SplittableRandom r, boolean labels) {
        int n = 1 + r.nextInt(6);
        int[] z = new int[n];
        double[] x = new double[3 * n];
        for (int i = 0; i < n; i++) {
            z[i] = i % 2 == 0 ? 14 : 6;
            for (int k = 0; k < 3; k++) x[3 * i + k] = 5 * r.nextDouble();
        }
        Cell c = new Cell(new double[] {5.1, 0, 0, 0.3, 5.2, 0, 0.1, 0.2, 5.3}, new boolean[] {true, true, true});
        Structure s = Structure.of(c, z, x);
        if (!labels) return s;
        double[] f = new double[3 * n];
        for (int i = 0; i < f.length; i++) f[i] = r.nextDouble() - 0.5;
        return s.withLabels(Labels.of(-5.4 * n, f, new double[] {0.1, 0.2, 0.3, 0.01, 0.02, 0.03}));
    }

    /** One random damage: a truncation, a dropped, doubled or swapped line, a replaced token, or random bytes. */
    static String mutate(String text, SplittableRandom r) {
        List<String> lines = new ArrayList<>(Arrays.asList(text.split("\n", -1)));
        int kind = r.nextInt(7);
        int li = r.nextInt(lines.size());
        switch (kind) {
            case 0 -> {
                return text.substring(0, r.nextInt(text.length() + 1));
            }
            case 1 -> lines.remove(li);
            case 2 -> lines.add(li, lines.get(li));
            case 3 -> {
                int lj = r.nextInt(lines.size());
                String t = lines.get(li);
                lines.set(li, lines.get(lj));
                lines.set(lj, t);
            }
            case 4, 5 -> {
                String[] tok = lines.get(li).split(" ", -1);
                tok[r.nextInt(tok.length)] = JUNK[r.nextInt(JUNK.length)];
                lines.set(li, String.join(" ", tok));
            }
            default -> {
                StringBuilder sb = new StringBuilder(lines.get(li));
                int at = r.nextInt(sb.length() + 1);
                for (int k = r.nextInt(1, 6); k > 0; k--) sb.insert(at, (char) r.nextInt(1, 128));
                lines.set(li, sb.toString());
            }
        }
        return String.join("\n", lines);
    }

    static void fuzz(String name, List<String> seeds, Consumer<String> read) {
        SplittableRandom r = new SplittableRandom(20);
        int thrown = 0;
        int read0 = 0;
        for (int i = 0; i < CASES; i++) {
            String text = seeds.get(r.nextInt(seeds.size()));
            for (int m = 1 + r.nextInt(3); m > 0; m--) text = mutate(text, r);
            try {
                read.accept(text);
                read0++;
            } catch (FormatException e) {
                thrown++;
                assertTrue(e.getMessage().startsWith("fuzz." + name), e.getMessage());
                if (!text.isBlank() && e.line() <= 0 && !e.problem().startsWith("no ") && !e.problem().contains("empty")) {
                    fail("case " + i + ": no line number in '" + e.getMessage() + "' for:\n" + text);
                }
            } catch (RuntimeException | OutOfMemoryError e) {
                fail("case " + i + ": " + e + " instead of a FormatException for:\n" + text, e);
            }
        }
        System.out.printf("[fuzz] %s: %d cases, %d read, %d FormatException%n", name, CASES, read0, thrown);
        assertTrue(thrown > CASES / 10 && read0 > 0, "the mutations exercise both outcomes: " + read0 + " read, " + thrown + " refused");
    }

    @Test
    void extendedXyzNeverFailsOutsideItsFormatException() {
        SplittableRandom r = new SplittableRandom(1);
        List<String> seeds = new ArrayList<>();
        for (int i = 0; i < 8; i++) seeds.add(ExtendedXyz.toString(List.of(sample(r, i % 2 == 0), sample(r, true))));
        fuzz("extxyz", seeds, t -> ExtendedXyz.parse(t, "fuzz.extxyz"));
    }

    @Test
    void poscarNeverFailsOutsideItsFormatException() {
        SplittableRandom r = new SplittableRandom(2);
        List<String> seeds = new ArrayList<>();
        for (int i = 0; i < 8; i++) seeds.add(Poscar.toString(sample(r, false)));
        fuzz("POSCAR", seeds, t -> Poscar.parse(t, "fuzz.POSCAR", w -> { }));
    }

    @Test
    void cifNeverFailsOutsideItsFormatException() throws Exception {
        SplittableRandom r = new SplittableRandom(3);
        List<String> seeds = new ArrayList<>();
        for (int i = 0; i < 6; i++) seeds.add(Cif.toString(List.of(sample(r, false))));
        // a hand-written file with symmetry operations, uncertainties and a multi-line text field
        seeds.add(java.nio.file.Files.readString(org.crucible.core.testing.TestEnvironment.repositoryRoot().resolve("examples/tio2-rutile.cif")));
        fuzz("cif", seeds, t -> Cif.parse(t, "fuzz.cif"));
    }

    @Test
    void aHugeAtomCountIsRefusedBeforeAllocating() {
        String text = "700000000\nLattice=\"5 0 0 0 5 0 0 0 5\" Properties=species:S:1:pos:R:3 pbc=\"T T T\"\nSi 0 0 0\n";
        try {
            ExtendedXyz.parse(text, "fuzz.extxyz");
            fail("a frame claiming 700,000,000 atoms with one atom line is not a structure");
        } catch (FormatException e) {
            assertTrue(e.line() > 0, e.getMessage());
        }
        Map.of();
    }
}
