package org.crucible.driver.oracle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.crucible.core.Structure;
import org.crucible.driver.store.LabelRecord;
import org.crucible.driver.testing.RandomCells;
import org.crucible.executors.calculators.StillingerWeber;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The oracle-call ledger: lines read back as written, a line cut at any byte (a write torn by a power loss) is reported
 * and the next writer's lines stay whole, and a {@link LedgeredOracle} has the call on disk before the store sees the
 * label.
 */
class OracleCallLedgerTest {
    @TempDir
    Path dir;

    static OracleCallLedger.Call call(int i) {
        return new OracleCallLedger.Call("label", "task" + i, "structure" + i, "OK", i % 3, 1, 4242, Instant.parse("2026-12-06T05:00:00Z").plusSeconds(i));
    }

    @Test
    void linesReadBackAsWritten() {
        Path f = dir.resolve(OracleCallLedger.FILE);
        try (OracleCallLedger l = OracleCallLedger.open(f)) {
            for (int i = 0; i < 3; i++) l.record(call(i));
        }
        try (OracleCallLedger l = OracleCallLedger.open(f)) {
            l.record(new OracleCallLedger.Call("relax", "t", "s", "say \"converged\"", -1, 31, 7, Instant.EPOCH));
        }
        OracleCallLedger.Contents c = OracleCallLedger.read(f);
        assertEquals(0, c.tornLines());
        assertEquals(List.of(call(0), call(1), call(2)), c.labels());
        assertEquals("say \"converged\"", c.calls().get(3).status());
        assertEquals(31, c.calls().get(3).singlePoints());
        assertThrows(IllegalArgumentException.class, () -> new OracleCallLedger.Call("paid", "t", "s", "OK", 0, 1, 1, Instant.EPOCH));
    }

    @Test
    void aLineCutAtAnyByteIsReportedAndTheNextWriterStaysWhole() throws Exception {
        Path whole = dir.resolve("whole.jsonl");
        try (OracleCallLedger l = OracleCallLedger.open(whole)) {
            for (int i = 0; i < 3; i++) l.record(call(i));
        }
        byte[] all = Files.readAllBytes(whole);
        int lastStart = new String(all, StandardCharsets.UTF_8).lastIndexOf('\n', all.length - 2) + 1;
        for (int cut = lastStart; cut < all.length; cut++) {
            Path f = dir.resolve("cut-" + cut + ".jsonl");
            Files.write(f, java.util.Arrays.copyOf(all, cut));
            OracleCallLedger.Contents torn = OracleCallLedger.read(f);
            boolean complete = cut == all.length - 1; // the whole line but its newline: a complete call
            assertEquals(complete ? 3 : 2, torn.calls().size(), "cut at " + cut);
            assertEquals(cut == lastStart || complete ? 0 : 1, torn.tornLines(), "cut at " + cut);
            try (OracleCallLedger l = OracleCallLedger.open(f)) {
                l.record(call(9));
            }
            OracleCallLedger.Contents after = OracleCallLedger.read(f);
            assertEquals(call(9), after.calls().get(after.calls().size() - 1), "the next writer's line is whole after a cut at " + cut);
            assertEquals(torn.tornLines(), after.tornLines(), "cut at " + cut);
            assertEquals(torn.calls().size() + 1, after.calls().size());
        }
        Files.write(dir.resolve("garbage.jsonl"), "{\"kind\":\"label\"\n".getBytes(StandardCharsets.UTF_8), StandardOpenOption.CREATE_NEW);
        assertEquals(1, OracleCallLedger.read(dir.resolve("garbage.jsonl")).tornLines());
        assertEquals(0, OracleCallLedger.read(dir.resolve("absent.jsonl")).calls().size());
    }

    @Test
    void theCallIsOnDiskBeforeTheStoreSeesTheLabel() {
        Path f = dir.resolve(OracleCallLedger.FILE);
        Clock clock = Clock.fixed(Instant.parse("2026-12-06T05:00:00Z"), ZoneOffset.UTC);
        CalculatorOracle sw = new CalculatorOracle(StillingerWeber.silicon(), "test", Map.of("type", "sw"), "host", clock, System::nanoTime);
        List<OracleTask> batch = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            Structure s = RandomCells.cell(8, 5.6, 2.1, 100 + i);
            batch.add(OracleTask.of(s, sw, i));
        }
        List<String> seenBySink = new ArrayList<>();
        try (LedgeredOracle o = new LedgeredOracle(sw, OracleCallLedger.open(f), clock)) {
            o.label(batch, 2, "test", (LabelRecord r) -> {
                List<OracleCallLedger.Call> onDisk = OracleCallLedger.read(f).labels();
                assertEquals(seenBySink.size() + 1, onDisk.size(), "one line per call, written before the sink");
                assertEquals(r.taskHash(), onDisk.get(onDisk.size() - 1).taskHash());
                seenBySink.add(r.taskHash());
            });
        }
        List<OracleCallLedger.Call> calls = OracleCallLedger.read(f).labels();
        assertEquals(batch.stream().map(OracleTask::taskHash).toList(), calls.stream().map(OracleCallLedger.Call::taskHash).toList());
        assertEquals(batch.stream().map(t -> t.structure().contentHash()).toList(), calls.stream().map(OracleCallLedger.Call::structureHash).toList());
        assertTrue(calls.stream().allMatch(c -> c.cycle() == 2 && c.pid() == ProcessHandle.current().pid() && c.status().equals("OK")));
    }
}
