package org.crucible.driver.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.crucible.core.io.ExtendedXyz;
import org.crucible.driver.pool.Seeds;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Seeds agree everywhere a person meets them: {@code --seed} takes the unsigned decimal (up to 2^64 - 1) that the
 * logs, model files and reports print, and still Java's signed form of the same bits; output prints unsigned.
 */
class SeedInputTest {
    static final String MAX = "18446744073709551615";

    @Test
    void parseAcceptsUnsignedAndSignedFormsOfTheSameBits() {
        assertEquals(-1L, Seeds.parse(MAX));
        assertEquals(-1L, Seeds.parse("-1"));
        assertEquals(Long.MIN_VALUE, Seeds.parse("9223372036854775808"));
        assertEquals(Long.MIN_VALUE, Seeds.parse("-9223372036854775808"));
        assertEquals(0L, Seeds.parse("0"));
        assertEquals(42L, Seeds.parse(" 42 "));
        assertEquals(MAX, Seeds.text(-1L));
        assertEquals("9223372036854775808", Seeds.text(Long.MIN_VALUE));
        assertEquals("7", Seeds.text(7));
        for (long s : new long[] {0, 1, -1, Long.MAX_VALUE, Long.MIN_VALUE, Seeds.mix(7, 1, 2)}) assertEquals(s, Seeds.parse(Seeds.text(s)));
        for (String bad : List.of("18446744073709551616", "-9223372036854775809", "1e3", "0x10", "", "seven", "1.0", "--1")) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Seeds.parse(bad), bad);
            assertTrue(e.getMessage().contains("'" + bad + "'") && e.getMessage().contains(MAX), e.getMessage());
        }
    }

    @Test
    void generateTakesEitherFormAndPrintsUnsigned(@TempDir Path dir) throws Exception {
        Path a = dir.resolve("a.extxyz"), b = dir.resolve("b.extxyz");
        String[] ra = FitCommandTest.run("generate", "--composition", "Si8", "--count", "2", "--seed", MAX, "-o", a.toString());
        String[] rb = FitCommandTest.run("generate", "--composition", "Si8", "--count", "2", "--seed", "-1", "-o", b.toString());
        assertEquals("0", ra[0], ra[2]);
        assertEquals("0", rb[0], rb[2]);
        assertTrue(ra[1].contains("(seed " + MAX + ",") && rb[1].contains("(seed " + MAX + ","), ra[1] + rb[1]);
        assertEquals(ExtendedXyz.read(a).get(1).contentHash(), ExtendedXyz.read(b).get(1).contentHash(), "one seed, one set of cells");
        Path pool = dir.resolve("pool");
        assertEquals("0", FitCommandTest.run("generate", "--composition", "Si8", "--count", "1", "--seed", "-2", "-o", pool.toString())[0]);
        String origin = org.crucible.driver.pool.LocalPool.load(pool.toUri().toString()).entries().get(0).origin();
        assertTrue(origin.contains("seed=18446744073709551614 "), origin);
        // the extended XYZ header and the pool's structures carry the unsigned seed too, for every method
        for (String method : List.of("random", "spacegroup", "dimers")) {
            Path f = dir.resolve(method + ".extxyz");
            List<String> args = new java.util.ArrayList<>(List.of("generate", "--composition", "Si8", "--count", "1", "--method", method, "--seed", "-1",
                    "-o", f.toString()));
            if (method.equals("spacegroup")) args.addAll(List.of("--spacegroup", "227"));
            String[] r = FitCommandTest.run(args.toArray(String[]::new));
            assertEquals("0", r[0], method + ": " + r[2]);
            String header = Files.readAllLines(f).get(1);
            assertTrue(java.util.regex.Pattern.compile("(^| )seed=" + MAX + "( |$)").matcher(header).find() && !header.contains("seed=-"), method + ": " + header);
            var frame = ExtendedXyz.read(f).get(0);
            assertEquals(MAX, String.valueOf(frame.info().get("seed")), method + ": read back with its digits");
            Path again = dir.resolve(method + "-again.extxyz");
            ExtendedXyz.write(again, List.of(frame));
            assertEquals(header, Files.readAllLines(again).get(1), method + ": a round trip keeps the header");
        }
        Path exported = dir.resolve("pool.extxyz");
        assertEquals("0", FitCommandTest.run("pool", "export", pool.toString(), "-o", exported.toString())[0]);
        String poolHeader = Files.readAllLines(exported).get(1);
        assertTrue(poolHeader.contains("seed=18446744073709551614 ") && !poolHeader.contains("seed=-"), "the pool's origin, exported: " + poolHeader);
        Path seven = dir.resolve("seven.extxyz");
        assertEquals("0", FitCommandTest.run("generate", "--composition", "Si8", "--count", "1", "--seed", "7", "-o", seven.toString())[0]);
        String small = Files.readAllLines(seven).get(1);
        assertTrue(small.contains(" seed=7 "), "a seed below 2^63 stays a plain integer: " + small);
    }

    @Test
    void aSeedOutOfRangeIsAUsageErrorNamingTheOptionAndCreatesNothing(@TempDir Path dir) {
        Path out = dir.resolve("x.extxyz");
        String[] r = FitCommandTest.run("generate", "--composition", "Si8", "--seed", "18446744073709551616", "-o", out.toString());
        assertEquals("2", r[0]);
        assertTrue(r[2].contains("--seed") && r[2].contains("18446744073709551616") && r[2].contains(MAX), r[2]);
        assertFalse(r[2].matches("(?s).*\\b(java|picocli|org\\.crucible)\\.[a-z].*"), "no class names: " + r[2]);
        assertFalse(r[2].contains("\tat "), "no stack trace");
        assertFalse(Files.exists(out), "nothing created");
    }

    @Test
    void fitWritesTheSeedUnsignedInTheModelFileAndItsOutput(@TempDir Path dir) throws Exception {
        Path train = dir.resolve("train.extxyz"), model = dir.resolve("model.json"), model2 = dir.resolve("model2.json");
        ExtendedXyz.write(train, FitCommandTest.rattledSi8(1, 12));
        String[] r = FitCommandTest.run("fit", train.toString(), "--basis", FitCommandTest.BASIS, "--committee", "2", "--seed", MAX, "-o", model.toString());
        assertEquals("0", r[0], r[2]);
        ObjectMapper json = new ObjectMapper();
        assertEquals(MAX, json.readTree(r[1]).get("seed").asText(), r[1]);
        JsonNode prov = json.readTree(model.toFile()).get("provenance");
        assertEquals(MAX, prov.get("seed").asText(), "model file seed as an unsigned number");
        assertTrue(Files.readString(model).contains("\"seed\" : " + MAX), "a plain JSON number");
        assertEquals(-1L, prov.get("seed").asLong(), "read back as the same 64 bits");
        // the signed form gives the same committee
        assertEquals("0", FitCommandTest.run("fit", train.toString(), "--basis", FitCommandTest.BASIS, "--committee", "2", "--seed", "-1", "-o", model2.toString())[0]);
        assertEquals(json.readTree(model.toFile()).get("committee"), json.readTree(model2.toFile()).get("committee"));
        // and the model file still loads
        assertEquals(2, org.crucible.executors.potentials.ModelFile.read(model).potential().committeeSize());
    }
}
