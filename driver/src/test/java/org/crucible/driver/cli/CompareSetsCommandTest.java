package org.crucible.driver.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code crucible compare-sets} on sets with a known answer: a file of identical bcc W frames and a file of identical
 * fcc W frames. Every atom of a set is the same point p (bcc) or f (fcc) in descriptor space; after standardising
 * over all atoms (weights w_b = 8/24, w_f = 16/24), each feature that differs contributes (p - f)/sd = +-1/sqrt(w_b w_f)
 * and constant ones 0, so the cross distance is sqrt(4 radial features) / sqrt(2/9) = 3 sqrt(2) whatever the feature
 * values (both lattices are cubic and centrosymmetric: both angular invariants vanish), and the diagonal is 0.
 */
class CompareSetsCommandTest {
    @TempDir
    Path dir;

    private static String frames(String lattice, double a, double[][] frac, int copies) {
        StringBuilder sb = new StringBuilder();
        for (int c = 0; c < copies; c++) {
            sb.append(frac.length).append('\n');
            sb.append(String.format("Lattice=\"%s 0 0 0 %s 0 0 0 %s\" Properties=species:S:1:pos:R:3 pbc=\"T T T\" lattice=%s%n", a, a, a, lattice));
            for (double[] f : frac) sb.append(String.format("W %.6f %.6f %.6f%n", f[0] * a, f[1] * a, f[2] * a));
        }
        return sb.toString();
    }

    @Test
    void identicalEnvironmentsGiveTheKnownDistances() throws Exception {
        Path bcc = Files.writeString(dir.resolve("bcc.extxyz"), frames("bcc", 3.165, new double[][] {{0, 0, 0}, {0.5, 0.5, 0.5}}, 4));
        Path fcc = Files.writeString(dir.resolve("fcc.extxyz"), frames("fcc", 4.0, new double[][] {{0, 0, 0}, {0.5, 0.5, 0}, {0.5, 0, 0.5}, {0, 0.5, 0.5}}, 4));
        CliHelpTreeTest.Result r = CliHelpTreeTest.cli("compare-sets", bcc.toString(), fcc.toString(), "--splits", "3", "--json");
        assertEquals(0, r.code(), r.err());
        JsonNode doc = new ObjectMapper().readTree(r.out());
        JsonNode d = doc.path("mean_nearest_distance_train_by_test");
        assertEquals(0, d.get(0).get(0).asDouble(), 1e-9);
        assertEquals(0, d.get(1).get(1).asDouble(), 1e-9);
        assertEquals(3 * Math.sqrt(2), d.get(0).get(1).asDouble(), 1e-9);
        assertEquals(3 * Math.sqrt(2), d.get(1).get(0).asDouble(), 1e-9);
        assertEquals(8, doc.path("set_statistics").get(0).path("atoms").asInt());
        assertEquals(4, doc.path("set_statistics").get(1).path("configurations").asInt());

        CliHelpTreeTest.Result table = CliHelpTreeTest.cli("compare-sets", bcc.toString(), fcc.toString(), "--splits", "2");
        assertEquals(0, table.code(), table.err());
        assertTrue(table.out().contains("train \\ test") && table.out().contains("4.2426"), table.out());
    }

    @Test
    void aRandomSetCoversItselfBetterThanAPerfectCrystalCoversIt() throws Exception {
        StringBuilder sb = new StringBuilder();
        java.util.Random rng = new java.util.Random(4);
        for (int c = 0; c < 6; c++) {
            sb.append("12\nLattice=\"7.5 0 0 0 7.5 0 0 0 7.5\" Properties=species:S:1:pos:R:3 pbc=\"T T T\"\n");
            for (int i = 0; i < 12; i++) sb.append(String.format("W %.4f %.4f %.4f%n", 7.5 * rng.nextDouble(), 7.5 * rng.nextDouble(), 7.5 * rng.nextDouble()));
        }
        Path random = Files.writeString(dir.resolve("random.extxyz"), sb.toString());
        Path bcc = Files.writeString(dir.resolve("bcc.extxyz"), frames("bcc", 3.165, new double[][] {{0, 0, 0}, {0.5, 0.5, 0.5}}, 4));
        JsonNode d = new ObjectMapper().readTree(CliHelpTreeTest.cli("compare-sets", random.toString(), bcc.toString(), "--json").out())
                .path("mean_nearest_distance_train_by_test");
        assertTrue(d.get(0).get(0).asDouble() < d.get(1).get(0).asDouble(), "random train covers random test better than bcc train: " + d);
    }

    @Test
    void aSetWithOneConfigurationIsBadInputNamingTheFile() throws Exception {
        Path one = Files.writeString(dir.resolve("one.extxyz"), frames("bcc", 3.165, new double[][] {{0, 0, 0}, {0.5, 0.5, 0.5}}, 1));
        CliHelpTreeTest.Result r = CliHelpTreeTest.cli("compare-sets", one.toString(), one.toString());
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().startsWith("crucible compare-sets") && r.err().contains(one.toString()), r.err());
    }
}
