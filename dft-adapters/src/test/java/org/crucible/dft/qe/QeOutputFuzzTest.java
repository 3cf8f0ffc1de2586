package org.crucible.dft.qe;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.crucible.core.testing.TestEnvironment;
import org.crucible.dft.DftParseException;
import org.crucible.dft.DftResult;
import org.crucible.dft.DftStatus;
import org.crucible.dft.io.TextLines;
import org.junit.jupiter.api.Test;

/**
 * Random truncations and mutations of real pw.x outputs (the shared samples): every case either parses (with a
 * status saying how the run ended) or ends in a {@link DftParseException} naming the file, never another exception.
 * A truncated output must never read as {@code ok} with a different energy than the intact one.
 */
class QeOutputFuzzTest {
    static final int CASES = Integer.getInteger("crucible.fuzz.cases", 3000);
    static final String[] JUNK = {"", "NaN", "********", "-", "1e999", "abc", "=", "!", "JOB DONE.", "convergence NOT achieved", "1.0.0",
        "total energy", "Forces acting", "atom", "Ry", "-0.5D+02", "\t"};
    static final List<String> SAMPLES = List.of("si_scf_stress_testsuite/scf.out", "graphite_scf_forces_stress_testsuite/vdw-d2.out",
            "nacl_scf_forces_stress_qe67/nacl_scf_forces_stress.out", "nacl_scf_not_converged_qe67/nacl_scf_not_converged.out");

    static List<String> mutate(List<String> in, SplittableRandom r) {
        List<String> lines = new ArrayList<>(in);
        if (lines.isEmpty()) return lines;
        int li = r.nextInt(lines.size());
        switch (r.nextInt(6)) {
            case 0 -> {
                List<String> cut = new ArrayList<>(lines.subList(0, li));
                String l = lines.get(li);
                cut.add(l.substring(0, r.nextInt(l.length() + 1))); // torn mid-line
                return cut;
            }
            case 1 -> lines.remove(li);
            case 2 -> lines.add(li, lines.get(li));
            case 3, 4 -> {
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
        return lines;
    }

    @Test
    void damagedPwOutputsParseOrFailWithTheParseExceptionOnly() throws IOException {
        List<List<String>> seeds = new ArrayList<>();
        List<Double> energies = new ArrayList<>();
        QeOutputParser parser = new QeOutputParser();
        for (String s : SAMPLES) {
            Path p = TestEnvironment.assumeShared("dft-samples/qe/" + s);
            List<String> lines = Files.readAllLines(p, StandardCharsets.ISO_8859_1);
            seeds.add(lines);
            DftResult intact = parser.parse(new TextLines("fuzz.out", lines), false);
            energies.add(intact.isOk() ? intact.energy() : null);
        }
        SplittableRandom r = new SplittableRandom(30);
        Map<DftStatus, Integer> byStatus = new EnumMap<>(DftStatus.class);
        int thrown = 0;
        int truncatedOk = 0;
        for (int i = 0; i < CASES; i++) {
            int which = r.nextInt(seeds.size());
            List<String> text = seeds.get(which);
            for (int m = 1 + r.nextInt(3); m > 0; m--) text = mutate(text, r);
            try {
                DftResult res = parser.parse(new TextLines("fuzz.out", text), false);
                byStatus.merge(res.status(), 1, Integer::sum);
                if (res.isOk() && text.size() < seeds.get(which).size() / 2) truncatedOk++;
            } catch (DftParseException e) {
                thrown++;
                assertTrue(e.getMessage().startsWith("fuzz.out"), e.getMessage());
            } catch (RuntimeException | OutOfMemoryError e) {
                fail("case " + i + ": " + e + " instead of a result or a DftParseException for:\n" + String.join("\n", text), e);
            }
        }
        System.out.printf("[fuzz] pw.x output: %d cases, %s, %d DftParseException, %d ok from less than half a file%n", CASES, byStatus, thrown,
                truncatedOk);
        assertTrue(byStatus.getOrDefault(DftStatus.INCOMPLETE, 0) > 0, "truncations are seen as incomplete runs: " + byStatus);
        assertTrue(truncatedOk == 0, "an output cut in half never reads as a converged label");
    }
}
