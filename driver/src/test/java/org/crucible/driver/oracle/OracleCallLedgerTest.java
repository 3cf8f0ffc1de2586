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
 * label. Begin lines: each pairs with its own call (also under a reused pid), one without its call is reported as
 * unfinished, a torn one begins nothing, a ledger without them reads as before, and a ledgered in-driver oracle has the
 * begin line on disk while the calculation runs.
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

    static OracleCallLedger.Begin begin(String kind, int i, long pid, int second) {
        return new OracleCallLedger.Begin(kind, "task" + i, 1, i % 3, pid, Instant.parse("2026-12-06T05:00:00Z").plusSeconds(second));
    }

    static OracleCallLedger.Call done(int i, long pid) {
        return new OracleCallLedger.Call("label", "task" + i, "structure" + i, "OK", i % 3, 1, pid, Instant.parse("2026-12-06T06:00:00Z"));
    }

    @Test
    void eachBeginPairsWithItsOwnCallAndOneWithoutItsCallIsUnfinished() throws Exception {
        Path f = dir.resolve(OracleCallLedger.FILE);
        try (OracleCallLedger l = OracleCallLedger.open(f)) {
            l.begin(begin("label", 1, 4242, 1));
            l.record(done(1, 4242));
            l.begin(begin("label", 2, 4242, 2)); // driver 4242 killed during task 2
            l.begin(begin("label", 2, 4242, 3)); // the next driver got the same pid and made the call again
            l.record(done(2, 4242));
            l.begin(begin("label", 3, 77, 4)); // another pid's call of task 3 ...
            l.record(done(3, 4242)); // ... is not finished by a call of pid 4242 (one without a begin: an old writer)
            l.begin(begin("relax", 4, 77, 5)); // a validation relaxation that never returned
        }
        OracleCallLedger.Contents c = OracleCallLedger.read(f);
        assertEquals(List.of(done(1, 4242), done(2, 4242), done(3, 4242)), c.calls());
        assertEquals(5, c.begun());
        assertEquals(List.of(begin("label", 2, 4242, 2), begin("label", 3, 77, 4), begin("relax", 4, 77, 5)), c.unfinished(),
                "the call of task 2 finishes the latest begin of its pid; the first one stays unfinished");
        assertEquals(List.of(begin("label", 2, 4242, 2), begin("label", 3, 77, 4)), c.unfinishedLabels());
        assertEquals(0, c.tornLines());
        String text = Files.readString(f, StandardCharsets.UTF_8);
        assertTrue(text.startsWith("{\"kind\":\"begin\",\"call\":\"label\",\"task\":\"task1\",\"attempt\":1,\"cycle\":1,\"pid\":4242,\"time\":\"2026-12-06T05:00:01Z\"}\n"), text);
        assertThrows(IllegalArgumentException.class, () -> new OracleCallLedger.Begin("begin", "t", 1, 0, 1, Instant.EPOCH));
        assertThrows(IllegalArgumentException.class, () -> new OracleCallLedger.Begin("label", "t", 0, 0, 1, Instant.EPOCH));
    }

    @Test
    void aLedgerWrittenBeforeBeginLinesReadsAsBefore() throws Exception {
        Path f = dir.resolve("old.jsonl");
        Files.writeString(f, "{\"kind\":\"label\",\"task\":\"4f4e\",\"structure\":\"f3e7\",\"status\":\"OK\",\"cycle\":0,\"singlePoints\":1,"
                + "\"pid\":2682,\"time\":\"2026-12-06T05:03:38.576436425Z\"}\n"
                + "{\"kind\":\"relax\",\"task\":\"9a0c\",\"structure\":\"77d1\",\"status\":\"converged\",\"cycle\":-1,\"singlePoints\":18,"
                + "\"pid\":2682,\"time\":\"2026-12-06T05:04:00Z\"}\n", StandardCharsets.UTF_8);
        OracleCallLedger.Contents c = OracleCallLedger.read(f);
        assertEquals(2, c.calls().size());
        assertEquals(1, c.labels().size());
        assertEquals(1, c.labels().get(0).attempt());
        assertEquals(0, c.begun());
        assertEquals(List.of(), c.unfinished());
        assertEquals(0, c.tornLines());
    }

    @Test
    void aBeginLineCutAtAnyByteIsTornAndBeginsNothing() throws Exception {
        Path whole = dir.resolve("whole-begin.jsonl");
        try (OracleCallLedger l = OracleCallLedger.open(whole)) {
            l.begin(begin("label", 1, 9, 1));
            l.record(done(1, 9));
            l.begin(begin("label", 2, 9, 2)); // the power went while this call ran, and its line was torn
        }
        byte[] all = Files.readAllBytes(whole);
        int lastStart = new String(all, StandardCharsets.UTF_8).lastIndexOf('\n', all.length - 2) + 1;
        for (int cut = lastStart; cut < all.length; cut++) {
            Path f = dir.resolve("begin-cut-" + cut + ".jsonl");
            Files.write(f, java.util.Arrays.copyOf(all, cut));
            OracleCallLedger.Contents torn = OracleCallLedger.read(f);
            boolean complete = cut == all.length - 1; // the whole line but its newline: a complete begin
            boolean none = cut == lastStart;
            assertEquals(List.of(done(1, 9)), torn.calls(), "cut at " + cut);
            assertEquals(complete ? List.of(begin("label", 2, 9, 2)) : List.of(), torn.unfinished(), "cut at " + cut);
            assertEquals(complete ? 2 : 1, torn.begun(), "cut at " + cut);
            assertEquals(none || complete ? 0 : 1, torn.tornLines(), "cut at " + cut);
            try (OracleCallLedger l = OracleCallLedger.open(f)) { // the next driver makes the call of task 2 again, whole
                l.begin(begin("label", 2, 10, 3));
                l.record(done(2, 10));
            }
            OracleCallLedger.Contents after = OracleCallLedger.read(f);
            assertEquals(List.of(done(1, 9), done(2, 10)), after.calls(), "cut at " + cut);
            assertEquals(torn.unfinished(), after.unfinished(), "the retry finished its own begin only; cut at " + cut);
            assertEquals(torn.tornLines(), after.tornLines(), "cut at " + cut);
        }
    }

    @Test
    void aLedgeredInDriverOracleHasTheBeginOnDiskWhileTheCalculationRuns() {
        Path f = dir.resolve(OracleCallLedger.FILE);
        Clock clock = Clock.fixed(Instant.parse("2026-12-06T05:00:00Z"), ZoneOffset.UTC);
        StillingerWeber sw = StillingerWeber.silicon();
        List<String> checked = new ArrayList<>();
        String[] settings = new String[1];
        org.crucible.executors.calculators.Calculator watching = new org.crucible.executors.calculators.Calculator() {
            @Override
            public java.util.Set<Property> implementedProperties() {
                return sw.implementedProperties();
            }

            @Override
            public String name() {
                return sw.name();
            }

            @Override
            public org.crucible.core.Labels calculate(Structure s) {
                OracleCallLedger.Contents now = OracleCallLedger.read(f);
                assertEquals(1, now.unfinished().size(), "exactly this call is begun and not finished: " + now.unfinished());
                OracleCallLedger.Begin b = now.unfinished().get(0);
                if (b.kind().equals("label")) { // a relaxation's later steps are other structures of the same call
                    assertEquals(org.crucible.driver.store.TaskHash.of(s, settings[0]), b.taskHash());
                    assertEquals(checked.size(), now.calls().size());
                }
                checked.add(b.kind() + " " + b.taskHash());
                return sw.calculate(s);
            }
        };
        CalculatorOracle oracle = new CalculatorOracle(watching, "test", Map.of("type", "sw"), "host", clock, System::nanoTime);
        settings[0] = oracle.settingsHash();
        assertTrue(oracle.runsInDriver());
        List<OracleTask> batch = new ArrayList<>();
        for (int i = 0; i < 3; i++) batch.add(OracleTask.of(RandomCells.cell(8, 5.6, 2.1, 200 + i), oracle, i).asAttempt(1 + i % 2));
        try (LedgeredOracle o = new LedgeredOracle(oracle, OracleCallLedger.open(f), clock)) {
            o.label(batch, 1, "test", r -> { });
            o.relax(batch.subList(0, 1), 0.5, 2);
        }
        assertEquals(batch.stream().map(t -> "label " + t.taskHash()).toList(), checked.subList(0, 3), "one begin before each label call, in order");
        assertTrue(checked.size() > 3 && checked.subList(3, checked.size()).stream().allMatch(x -> x.equals("relax " + batch.get(0).taskHash())), checked.toString());
        OracleCallLedger.Contents c = OracleCallLedger.read(f);
        assertEquals(4, c.begun(), "3 labels and 1 relaxation");
        assertEquals(List.of(), c.unfinished());
        assertEquals(List.of(1, 2, 1), c.labels().stream().map(OracleCallLedger.Call::attempt).toList());
        assertEquals("relax", c.calls().get(3).kind());
    }
}
