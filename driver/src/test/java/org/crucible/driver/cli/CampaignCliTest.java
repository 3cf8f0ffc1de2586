package org.crucible.driver.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.crucible.driver.spark.SparkContexts;
import org.crucible.driver.store.TrainingStore;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The campaign commands end to end: run, status --json, store stats/export, bad input, and a driver killed with
 * SIGKILL in the middle of a relaxation stage then resumed, which must lose and repeat nothing and reach the same
 * result as an uninterrupted run.
 */
public class CampaignCliTest {
    public static final String YAML = """
            name: si8-cli
            seed: 99
            composition: Si8
            pools:
              training: {size: 16}
              search: {per_group: 2, space_groups: [227, 194, 12]}
            potential:
              basis: {cutoff: 4.5, max_degree: [8, 6], l_max: 3}
              committee: 4
            protocol:
              cycle0_batch: 8
              relax: {fmax: 0.1, steps: 15, patience: 10}
              selection: {batch: 5}
            oracle: {type: sw}
            stopping: {k: 2, max_cycles: 2}
            validation: {top_k: 2, steps: 30}
            spark: {master: "local[2]", ui: false, progress: false}
            """;

    @TempDir
    static Path shared;
    static Path config;
    static Path reference;
    static JsonNode referenceStatus;

    public record Result(int code, String out, String err) {
    }

    /** Runs the CLI in this JVM and captures its exit code, stdout and stderr (shared by the CLI tests of this package). */
    public static Result cli(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = CrucibleCommand.commandLine();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int code = cl.execute(args);
        return new Result(code, out.toString(), err.toString());
    }

    @BeforeAll
    static void uninterruptedRun() throws Exception {
        config = shared.resolve("si8-cli.yaml");
        Files.writeString(config, YAML);
        reference = shared.resolve("reference");
        Result r = cli("run", config.toString(), "--dir", reference.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("campaign si8-cli"), r.out());
        Result s = cli("status", reference.toString(), "--json");
        assertEquals(0, s.code(), s.err());
        referenceStatus = new ObjectMapper().readTree(s.out());
    }

    @Test
    void statusJsonHasTheDocumentedFields() {
        JsonNode s = referenceStatus;
        assertEquals("max-cycles", s.get("state").asText());
        assertEquals(2, s.get("cycles").asInt());
        assertEquals(13, s.get("oracle_single_points").asInt(), "8 random cells in cycle 0 and a batch of 5 in cycle 1");
        assertEquals(0, s.get("oracle_failures").asInt());
        assertTrue(s.get("validation_single_points").asInt() > 0);
        JsonNode best = s.get("best").get(0);
        assertTrue(best.get("energy_eV_per_atom").asDouble() < -4.0, best.toString());
        assertTrue(best.has("space_group"));
        assertTrue(Files.exists(Path.of(best.get("file").asText())));
        assertTrue(Files.exists(reference.resolve("campaign.log")));
        assertFalse(Files.exists(reference.resolve("driver.pid")), "the pid file goes when the driver ends");
    }

    @Test
    void statusTextIsATablePerCycle() {
        Result r = cli("status", reference.toString());
        assertEquals(0, r.code(), r.err());
        String out = r.out();
        assertTrue(out.startsWith("campaign si8-cli: max-cycles (next stage done)"), out);
        assertTrue(out.contains("oracle: 13 single points (0 failed)"), out);
        List<String> lines = out.lines().toList();
        int header = lines.indexOf(lines.stream().filter(l -> l.startsWith("cycle  labels  clusters")).findFirst().orElseThrow());
        assertTrue(lines.get(header + 1).matches("[- ]+"), lines.get(header + 1));
        String[] cycle0 = lines.get(header + 2).trim().split("\\s+");
        assertEquals("0", cycle0[0]);
        assertEquals("8", cycle0[1], "8 labels in cycle 0: " + lines.get(header + 2));
        String[] cycle1 = lines.get(header + 3).trim().split("\\s+");
        assertEquals("1", cycle1[0]);
        assertEquals("5", cycle1[1], "5 labels in cycle 1: " + lines.get(header + 3));
        assertTrue(cycle1[4].matches("-\\d\\.\\d{4}"), "lowest energy with 4 decimals: " + lines.get(header + 3));
        assertTrue(lines.get(header).endsWith("U of selected (median)"), lines.get(header));
        assertTrue(cycle1[cycle1.length - 1].matches("\\d\\.\\d{3}"), "the selected structures' median U: " + lines.get(header + 3));
        String log = org.junit.jupiter.api.Assertions.assertDoesNotThrow(() -> Files.readString(reference.resolve("campaign.log")));
        assertTrue(log.contains("cycle 0: fit done in"), "the fit of cycle 0 logs as cycle 0: " + log);
        assertTrue(log.matches("(?s).*training RMSE energy \\d+\\.\\d meV/atom, forces \\d+\\.\\d meV/A.*"), "readable training errors");
        assertFalse(log.contains("change NaN"), "cycle 1 has nothing to compare with yet");
        assertTrue(out.contains("time per stage: generate "), out);
        assertTrue(out.contains("best structures (validated with the oracle):"), out);
        assertTrue(out.contains("best/best-01.extxyz"), out);
        assertTrue(out.contains("model: " + reference.resolve("models")), out);
        assertFalse(out.contains("{"), "no Java maps: " + out);
        assertFalse(out.contains("NaN"), out);
    }

    @Test
    void listFindsTheCampaignsUnderADirectory() throws Exception {
        Result t = cli("list", shared.toString());
        assertEquals(0, t.code(), t.err());
        assertTrue(t.out().lines().anyMatch(l -> l.contains(reference.toString()) && l.contains("si8-cli") && l.contains("max-cycles")
                && l.contains(" 13 ")), t.out());
        Result j = cli("list", shared.toString(), "--json");
        assertEquals(0, j.code(), j.err());
        JsonNode rows = new ObjectMapper().readTree(j.out());
        JsonNode ref = null;
        for (JsonNode r : rows) if (r.get("dir").asText().equals(reference.toString())) ref = r;
        assertTrue(ref != null, j.out());
        assertEquals(13, ref.get("oracle_single_points").asInt());
        assertEquals(referenceStatus.get("best").get(0).get("energy_eV_per_atom").asDouble(), ref.get("lowest_eV_per_atom").asDouble(), 1e-12);
        assertEquals("pool-relaxation", ref.get("protocol").asText());
        assertEquals(2, cli("list", shared.resolve("no-such-dir").toString()).code());
        Path empty = Files.createDirectories(shared.resolve("empty-root"));
        Result e = cli("list", empty.toString());
        assertEquals(0, e.code());
        assertTrue(e.out().startsWith("no campaign"), e.out());
    }

    @Test
    void storeStatsAndExport() throws Exception {
        Result st = cli("store", "stats", reference.toString(), "--json");
        assertEquals(0, st.code(), st.err());
        JsonNode j = new ObjectMapper().readTree(st.out());
        assertEquals(13, j.get("records").asInt());
        assertEquals(8, j.get("by_cycle").get("0").asInt());
        Path out = shared.resolve("train.extxyz");
        Result ex = cli("store", "export", reference.toString(), "--format", "extxyz", "-o", out.toString());
        assertEquals(0, ex.code(), ex.err());
        long frames = Files.readAllLines(out).stream().filter(l -> l.startsWith("Lattice=")).count();
        assertEquals(13, frames);
        assertEquals(2, cli("store", "export", reference.toString(), "--format", "xyz", "-o", out.toString()).code());
    }

    @Test
    void invalidCampaignFileStartsNothing() throws Exception {
        Path bad = shared.resolve("bad.yaml");
        Files.writeString(bad, YAML.replace("selection: {batch: 5}", "selection: {batch: 5, dbscan: {eps: -1}}"));
        Path d = shared.resolve("never");
        Result r = cli("run", bad.toString(), "--dir", d.toString());
        assertEquals(2, r.code());
        assertTrue(r.err().contains("protocol.selection.dbscan.eps"), r.err());
        assertFalse(Files.exists(d));
        assertEquals(2, cli("status", d.toString()).code());
    }

    @Test
    void anUnavailableOrMalformedSparkMasterIsRefusedBeforeTheDirectoryExists() {
        for (String m : List.of("yarn", "spark:/nohost", "local[0]")) {
            Path d = shared.resolve("master-" + m.replaceAll("[^a-z0-9]", "_"));
            Result r = cli("run", config.toString(), "--dir", d.toString(), "--master", m);
            assertEquals(2, r.code(), m + ": " + r.err());
            assertTrue(r.err().contains("--master: '" + m + "'"), r.err());
            assertFalse(r.err().matches("(?s).*[a-z]+\\.[a-z]+\\.[A-Z][A-Za-z]+(Exception|Error).*"), "no Java class names: " + r.err());
            assertFalse(Files.exists(d), "nothing is created for " + m);
        }
        for (String bad : List.of("executor.memory=8g", "spark.executor.memory", "spark.master=local[2]")) {
            Path d = shared.resolve("conf-refused");
            Result c = cli("run", config.toString(), "--dir", d.toString(), "--conf", bad);
            assertEquals(2, c.code(), bad + ": " + c.err());
            assertTrue(c.err().contains("--conf '" + bad + "'"), c.err());
            assertFalse(Files.exists(d), "nothing is created for --conf " + bad);
        }
        Path gs = shared.resolve("gs.yaml");
        org.junit.jupiter.api.Assertions.assertDoesNotThrow(() -> Files.writeString(gs, YAML.replace("pools:\n", "pools:\n  uri: 'gs://bucket/pools'\n")));
        Path refused = shared.resolve("gs-refused");
        Result g = cli("run", gs.toString(), "--dir", refused.toString());
        assertEquals(2, g.code(), g.err());
        assertTrue(g.err().contains("pools.uri: 'gs://bucket/pools' needs Hadoop's gs: connector"), g.err());
        assertFalse(Files.exists(refused), "nothing is created for a pool root without a connector");
        Result r = cli("resume", reference.toString(), "--master", "yarn");
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains("YARN support"), r.err());
    }

    @Test
    void clusterOracleWithoutAProfileIsRefusedBeforeAnythingStarts() throws Exception {
        Path f = shared.resolve("slurm.yaml");
        Files.writeString(f, YAML.replace("oracle: {type: sw}", "oracle: {type: cluster, profile: no-such-cluster, settings: {pseudopotentials: {Si: Si.pz-vbc.UPF}}}"));
        Result r = cli("run", f.toString(), "--dir", shared.resolve("slurm").toString());
        assertEquals(2, r.code(), "a profile that does not exist is bad input");
        assertTrue(r.err().contains("oracle.profile: no profile for cluster 'no-such-cluster'"), r.err());
        assertFalse(Files.exists(shared.resolve("slurm")), "checked before the campaign directory exists");
    }

    @Test
    void killMinus9DuringRelaxationThenResumeLosesAndRepeatsNothing() throws Exception {
        Path d = shared.resolve("killed");
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(List.of(SparkContexts.JAVA17_OPENS.split(" ")));
        cmd.addAll(List.of("-Xmx1g", "-cp", System.getProperty("java.class.path"), CrucibleCommand.class.getName(),
                "run", config.toString(), "--dir", d.toString()));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(shared.resolve("killed.out").toFile()).start();
        Path log = d.resolve("campaign.log");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(240);
        boolean relaxing = false;
        while (System.nanoTime() < deadline && p.isAlive()) {
            if (Files.exists(log) && Files.readString(log).contains("cycle 1: relax ...")) {
                relaxing = true;
                break;
            }
            Thread.sleep(100);
        }
        assertTrue(relaxing, "the driver reached the cycle-1 relaxation: " + Files.readString(shared.resolve("killed.out")));
        Thread.sleep(300);
        p.destroyForcibly(); // SIGKILL on Linux
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        assertEquals(137, p.exitValue(), "killed by SIGKILL");
        assertTrue(Files.exists(d.resolve("driver.pid")), "a killed driver leaves its pid file");
        Result st = cli("status", d.toString(), "--json");
        assertEquals("stopped", new ObjectMapper().readTree(st.out()).get("state").asText());
        int labelledBefore;
        try (TrainingStore store = TrainingStore.open(d.resolve("store"))) {
            labelledBefore = store.entries().size();
        }
        assertEquals(8, labelledBefore, "cycle 0's labels were stored before the kill");

        Result r = cli("resume", d.toString());
        assertEquals(0, r.code(), r.err());
        JsonNode s = new ObjectMapper().readTree(cli("status", d.toString(), "--json").out());
        assertEquals(referenceStatus.get("oracle_single_points"), s.get("oracle_single_points"), "no oracle call repeated or lost");
        assertEquals(referenceStatus.get("lowest_cluster_energies_eV_per_atom"), s.get("lowest_cluster_energies_eV_per_atom"));
        assertEquals(referenceStatus.get("best").get(0).get("energy_eV_per_atom"), s.get("best").get(0).get("energy_eV_per_atom"));
        try (TrainingStore a = TrainingStore.open(reference.resolve("store")); TrainingStore b = TrainingStore.open(d.resolve("store"))) {
            assertEquals(new TreeSet<>(a.entries().keySet()), new TreeSet<>(b.entries().keySet()));
            assertEquals(b.entries().size(), b.all().size(), "every task stored exactly once");
        }
        String text = Files.readString(log, StandardCharsets.UTF_8);
        assertTrue(text.contains("next relax of cycle 1"), text);
    }
}
