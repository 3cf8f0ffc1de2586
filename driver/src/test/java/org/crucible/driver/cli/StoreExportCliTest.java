package org.crucible.driver.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.crucible.core.Cell;
import org.crucible.core.Labels;
import org.crucible.core.Structure;
import org.crucible.core.io.ExtendedXyz;
import org.crucible.driver.store.LabelRecord;
import org.crucible.driver.store.LabelStatus;
import org.crucible.driver.store.Provenance;
import org.crucible.driver.store.TaskHash;
import org.crucible.driver.store.TrainingStore;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code crucible store export}: provenance in every frame, isolated-atom frames (stored or given), a deterministic
 * train/valid/test split by task hash, and an ASE database that Debian's ASE reads back ({@code ase.db.connect},
 * {@code ase db}) with the same energies, forces and stresses.
 */
class StoreExportCliTest {
    static final String PYTHON = "/usr/bin/python3";

    @TempDir
    static Path dir;
    static Path store;
    static Path reversed;
    static List<LabelRecord> ok = new ArrayList<>();
    static LabelRecord atom;

    static LabelRecord record(Structure s, int cycle, String code, String selector, LabelStatus status) {
        Provenance p = new Provenance(code, "7.2", "settings" + cycle, "job" + cycle, "node1", cycle, selector, 12.5, Instant.parse("2026-12-01T10:00:00Z"));
        String hash = TaskHash.of(s, "settings" + cycle);
        return status == LabelStatus.OK ? LabelRecord.ok(hash, s, p) : LabelRecord.failed(hash, s, status, "scf did not converge", p);
    }

    @BeforeAll
    static void fillStores() {
        List<Structure> si8 = FitCommandTestData.rattledSi8(21, 40);
        List<LabelRecord> all = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            LabelRecord r = record(si8.get(i), i % 3, i % 2 == 0 ? "qe" : "vasp", i < 8 ? "initial" : "dbscan", LabelStatus.OK);
            ok.add(r);
            all.add(r);
        }
        Cell box = new Cell(new double[] {15, 0, 0, 0, 15, 0, 0, 0, 15}, new boolean[] {true, true, true});
        atom = record(Structure.of(box, new int[] {14}, new double[3], Map.of(), new Labels(-0.8123, new double[3], new double[6])), 0, "qe", "isolated", LabelStatus.OK);
        all.add(atom);
        for (int i = 0; i < 3; i++) all.add(record(FitCommandTestData.rattledSi8(90 + i, 1).get(0).withLabels(Labels.NONE), 1, "qe", "dbscan", LabelStatus.UNCONVERGED));
        store = dir.resolve("store");
        reversed = dir.resolve("reversed");
        try (TrainingStore s = TrainingStore.open(store)) {
            s.append(all.subList(0, 20));
            s.append(all.subList(20, all.size()));
        }
        List<LabelRecord> back = new ArrayList<>(all);
        Collections.reverse(back);
        try (TrainingStore s = TrainingStore.open(reversed)) {
            for (LabelRecord r : back) s.append(List.of(r));
        }
    }

    static String[] export(String... args) {
        List<String> a = new ArrayList<>(List.of("store", "export"));
        a.addAll(List.of(args));
        return FitCommandTest.run(a.toArray(String[]::new));
    }

    static String python(String code, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(PYTHON, "-c", code));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), out);
        return out;
    }

    static Map<String, LabelRecord> byHash() {
        Map<String, LabelRecord> m = new HashMap<>();
        for (LabelRecord r : ok) m.put(r.taskHash(), r);
        m.put(atom.taskHash(), atom);
        return m;
    }

    @Test
    void extxyzKeepsProvenanceAndWritesStoredAndGivenIsolatedAtoms() throws Exception {
        Path out = dir.resolve("all.extxyz");
        String[] r = export(store.toString(), "-o", out.toString());
        assertEquals("0", r[0], r[2]);
        assertTrue(r[1].contains("40 labelled structures, 1 isolated-atom frames, 3 failed"), r[1]);
        List<Structure> frames = ExtendedXyz.read(out);
        assertEquals(41, frames.size());
        Map<String, LabelRecord> want = byHash();
        int isolated = 0;
        for (Structure f : frames) {
            LabelRecord rec = want.get((String) f.info().get("task_hash"));
            assertEquals(rec.structure().labels().energy(), f.labels().energy(), 0.0);
            assertArrayEquals(rec.structure().labels().forces(), f.labels().forces(), 0.0);
            assertEquals(((Number) f.info().get("cycle")).intValue(), rec.provenance().cycle());
            assertEquals(rec.provenance().code(), f.info().get("oracle_code"));
            if (f.size() == 1) {
                isolated++;
                assertEquals("IsolatedAtom", f.info().get("config_type"));
            } else {
                assertEquals(rec.provenance().selector(), f.info().get("config_type"));
            }
        }
        assertEquals(1, isolated);

        Path given = dir.resolve("given.extxyz");
        r = export(store.toString(), "-o", given.toString(), "--isolated-atom-energies", "Si=-0.5,O=-1.9");
        assertEquals("0", r[0], r[2]);
        // ASE reads the keys MACE uses: config_type, energy, forces; the stored single-atom label is now an ordinary frame
        String py = python(String.join("\n",
                "import sys, ase.io",
                "fr = ase.io.read(sys.argv[1], ':')",
                "iso = [(a.get_chemical_symbols()[0], a.get_potential_energy()) for a in fr if a.info.get('config_type') == 'IsolatedAtom']",
                "print(len(fr), sorted(iso), sum(1 for a in fr if len(a) == 1), sorted({a.info.get('oracle_code') for a in fr if 'task_hash' in a.info}))"),
                given.toString());
        assertEquals("43 [('O', -1.9), ('Si', -0.5)] 3 ['qe', 'vasp']", py.strip());
    }

    @Test
    void splitIsDisjointSizedAndDeterministicByTaskHash() throws Exception {
        Path out = dir.resolve("s1/data.extxyz");
        Files.createDirectories(out.getParent());
        String[] r = export(store.toString(), "-o", out.toString(), "--split", "train=0.8,valid=0.1,test=0.1", "--seed", "5");
        assertEquals("0", r[0], r[2]);
        Map<String, Set<String>> sets = new HashMap<>();
        for (String name : List.of("train", "valid", "test")) {
            Set<String> hashes = new HashSet<>();
            for (Structure f : ExtendedXyz.read(out.resolveSibling("data_" + name + ".extxyz"))) {
                assertEquals(name, f.info().get("split"));
                if (f.info().containsKey("task_hash")) assertTrue(hashes.add((String) f.info().get("task_hash")));
            }
            sets.put(name, hashes);
        }
        assertEquals(33, sets.get("train").size(), "32 of the 40 labels plus the isolated atom");
        assertTrue(sets.get("train").contains(atom.taskHash()));
        assertEquals(4, sets.get("valid").size());
        assertEquals(4, sets.get("test").size());
        Set<String> union = new HashSet<>();
        sets.values().forEach(union::addAll);
        assertEquals(41, union.size(), "disjoint and complete");

        // the same seed gives the same files; the same labels appended in another order give the same split
        Path again = dir.resolve("s2/data.extxyz");
        Files.createDirectories(again.getParent());
        assertEquals("0", export(store.toString(), "-o", again.toString(), "--split", "train=0.8,valid=0.1,test=0.1", "--seed", "5")[0]);
        Path other = dir.resolve("s3/data.extxyz");
        Files.createDirectories(other.getParent());
        assertEquals("0", export(reversed.toString(), "-o", other.toString(), "--split", "train=0.8,valid=0.1,test=0.1", "--seed", "5")[0]);
        for (String name : List.of("train", "valid", "test")) {
            assertArrayEquals(Files.readAllBytes(out.resolveSibling("data_" + name + ".extxyz")), Files.readAllBytes(again.resolveSibling("data_" + name + ".extxyz")));
            Set<String> h = new HashSet<>();
            for (Structure f : ExtendedXyz.read(other.resolveSibling("data_" + name + ".extxyz"))) h.add((String) f.info().get("task_hash"));
            assertEquals(sets.get(name), h, name + " does not depend on store order");
        }
        Path seed6 = dir.resolve("s4/data.extxyz");
        Files.createDirectories(seed6.getParent());
        assertEquals("0", export(store.toString(), "-o", seed6.toString(), "--split", "train=0.8,valid=0.1,test=0.1", "--seed", "6")[0]);
        Set<String> test6 = new HashSet<>();
        for (Structure f : ExtendedXyz.read(seed6.resolveSibling("data_test.extxyz"))) test6.add((String) f.info().get("task_hash"));
        assertEquals(4, test6.size());
        assertNotEquals(sets.get("test"), test6, "another seed, another split");
    }

    @Test
    void aseDatabaseIsReadByAseWithTheSameLabels() throws Exception {
        Path db = dir.resolve("train.db");
        String[] r = export(store.toString(), "--format", "ase-db", "-o", db.toString(), "--isolated-atom-energies", "O=-1.9");
        assertEquals("0", r[0], r[2]);
        String py = python(String.join("\n",
                "import sys, json, ase.db",
                "con = ase.db.connect(sys.argv[1])",
                "rows = []",
                "for row in con.select():",
                "    a = row.toatoms()",
                "    assert dict(row.data) == {}, row.data",
                "    assert row.natoms == len(a) and row.unique_id and row.calculator in ('qe', 'vasp', 'unknown'), row.calculator",
                "    rows.append({'kv': row.key_value_pairs, 'energy': a.get_potential_energy(), 'forces': a.get_forces().ravel().tolist(),",
                "                 'stress': a.get_stress().tolist() if row.get('stress') is not None else None, 'numbers': a.numbers.tolist(),",
                "                 'positions': a.positions.ravel().tolist(), 'cell': a.cell.array.ravel().tolist(), 'pbc': a.pbc.tolist()})",
                "print(json.dumps({'count': con.count(), 'rows': rows, 'iso': con.count(config_type='IsolatedAtom'), 'qe': con.count(oracle_code='qe'),",
                "                  'cycle2': con.count('cycle=2')}))"),
                db.toString());
        JsonNode j = new ObjectMapper().readTree(py);
        assertEquals(42, j.get("count").asInt());
        assertEquals(2, j.get("iso").asInt(), "the given O and the stored Si");
        Map<String, LabelRecord> want = byHash();
        long qe = want.values().stream().filter(x -> x.provenance().code().equals("qe")).count();
        assertEquals(qe, j.get("qe").asInt());
        assertEquals(want.values().stream().filter(x -> x.provenance().cycle() == 2).count(), j.get("cycle2").asInt());
        int checked = 0;
        for (JsonNode row : j.get("rows")) {
            JsonNode kv = row.get("kv");
            if (!kv.has("task_hash")) {
                assertEquals(List.of(8), List.of(row.get("numbers").get(0).asInt()));
                assertEquals(-1.9, row.get("energy").asDouble(), 0.0);
                continue;
            }
            LabelRecord rec = want.get(kv.get("task_hash").asText());
            Labels l = rec.structure().labels();
            assertEquals(l.energy(), row.get("energy").asDouble(), 0.0);
            for (int i = 0; i < l.forces().length; i++) assertEquals(l.forces()[i], row.get("forces").get(i).asDouble(), 0.0);
            for (int i = 0; i < 6; i++) assertEquals(l.stress()[i], row.get("stress").get(i).asDouble(), 0.0);
            for (int i = 0; i < 3 * rec.structure().size(); i++) assertEquals(rec.structure().positions()[i], row.get("positions").get(i).asDouble(), 0.0);
            for (int i = 0; i < 9; i++) assertEquals(rec.structure().cell().matrix()[i], row.get("cell").get(i).asDouble(), 0.0);
            assertEquals(rec.provenance().cycle(), kv.get("cycle").asInt());
            assertEquals(rec.provenance().code(), kv.get("oracle_code").asText());
            checked++;
        }
        assertEquals(41, checked);
        // the ase command-line tool lists it
        String listing = python("import sys; from ase.cli.main import main; main(args=['db', sys.argv[1], '-L', '100', '-c', 'id,formula,energy,config_type'])", db.toString());
        assertTrue(listing.contains("Rows: 42"), listing);
        assertTrue(listing.contains("IsolatedAtom"), listing);
    }

    @Test
    void badExportOptionsAreExit2NamingTheOption() {
        Path out = dir.resolve("bad.extxyz");
        String[][] cases = {
                {"--split", "train=0.8,valid=0.1"}, {"--split", "train=0.8,train=0.2"}, {"--split", "train"},
                {"--isolated-atom-energies", "Xx=1"}, {"--isolated-atom-energies", "Si=abc"}, {"--format", "hdf5"}};
        String[] expected = {"sum to 1", "twice", "name=fraction", "Xx", "not a number", "ase-db"};
        for (int i = 0; i < cases.length; i++) {
            List<String> a = new ArrayList<>(List.of(store.toString(), "-o", out.toString()));
            a.addAll(List.of(cases[i]));
            String[] r = export(a.toArray(String[]::new));
            assertEquals("2", r[0], a + ": " + r[2]);
            assertTrue(r[2].contains(cases[i][0]) && r[2].contains(expected[i]), r[2]);
        }
    }
}
