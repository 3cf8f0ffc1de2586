package org.crucible.driver.campaign;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.crucible.config.campaign.CampaignConfig;
import org.crucible.config.campaign.CampaignConfigLoader;
import org.crucible.core.Structure;
import org.crucible.core.io.ExtendedXyz;
import org.crucible.driver.cli.CampaignCliTest;
import org.crucible.driver.oracle.LedgeredOracle;
import org.crucible.driver.oracle.Oracle;
import org.crucible.driver.oracle.OracleCallLedger;
import org.crucible.driver.oracle.OracleTask;
import org.crucible.driver.pool.PoolBackend;
import org.crucible.driver.store.LabelRecord;
import org.crucible.driver.store.TaskHash;
import org.crucible.driver.store.TrainingStore;
import org.crucible.executors.calculators.Calculator;
import org.crucible.executors.descriptors.AceBasisFactory;
import org.crucible.executors.potentials.LinearPotential;
import org.crucible.executors.potentials.ModelFile;
import org.crucible.executors.relax.EarlyStop;
import org.crucible.executors.relax.Fire;
import org.crucible.executors.relax.RelaxSettings;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Reference crystals tracked inside a small Si GAP-RSS campaign (SW oracle): an error row after every fit, equal to an
 * independent relaxation and SW single point; reference labels kept out of the training store, paid once (ledger kind
 * {@code reference}) even when the campaign is killed after labelling them and the fit is redone; the resumed
 * campaign records the same numbers; and the stop rule on the tracked errors.
 */
class ReferenceTrackingCampaignTest {
    static final Path REFS = Path.of("..", "examples", "si-references").toAbsolutePath().normalize();

    static String yaml(String stop, int maxCycles) {
        return GapRssCampaignTest.YAML.replace("stopping: {max_cycles: 2}", "stopping: {max_cycles: " + maxCycles + "}")
                + "tracking:\n  references: [" + REFS.resolve("diamond.xyz") + ", " + REFS.resolve("beta-tin.xyz") + "]\n"
                + "  relax: {fmax: 0.01, smax_gpa: 0.01, steps: 400}\n" + stop;
    }

    static final String YAML = yaml("  stop: {tol_mev_per_atom: 0.001, cycles: 1}\n", 2);

    @TempDir
    static Path shared;
    static Path referenceDir;
    static CampaignState reference;
    static final Map<String, Integer> referenceCalls = new HashMap<>();

    @TempDir
    Path dir;

    /** Counts label calls per task hash (training and reference apart); throws after the reference labels of {@code dieInCycle}. */
    static final class Counting extends org.crucible.driver.oracle.ForwardingOracle {
        final Map<String, Integer> training;
        final Map<String, Integer> references;
        final int dieInCycle;

        Counting(Oracle inner, Map<String, Integer> training, Map<String, Integer> references, int dieInCycle) {
            super(inner);
            this.training = training;
            this.references = references;
            this.dieInCycle = dieInCycle;
        }

        @Override
        public void label(List<OracleTask> batch, int cycle, String selector, Consumer<LabelRecord> sink) {
            boolean ref = OracleCallLedger.REFERENCE.equals(selector);
            delegate.label(batch, cycle, selector, r -> {
                (ref ? references : training).merge(r.taskHash(), 1, Integer::sum);
                sink.accept(r);
            });
            if (ref && cycle == dieInCycle) throw new CampaignDeterminismTest.Crash("killed after the reference labels of cycle " + cycle);
        }
    }

    static CampaignConfig config(String text) {
        return CampaignConfigLoader.parse(text, false, "tracking.yaml");
    }

    static void init(Path d, String text) throws Exception {
        Files.createDirectories(d);
        Files.writeString(d.resolve("campaign.yaml"), text);
        CampaignState.initial("si-gaprss-test", 11, TaskHash.sha256(text), "gap-rss").write(d.resolve("state.json"));
    }

    /** Runs (or resumes) the campaign in {@code d} with the ledgered, counting SW oracle. */
    static CampaignState run(Path d, String text, Map<String, Integer> training, Map<String, Integer> refs, int dieInCycle) throws Exception {
        CampaignConfig cfg = config(text);
        Oracle sw = new CampaignRunner(CampaignFixtures.clock(), CampaignFixtures.ticker(), System.out, Map.of(), null).oracle(cfg, Path.of("unused"));
        // Counting outside the ledger: it sees each batch as the campaign hands it over (the ledger sends an in-driver
        // oracle one task at a time, after its begin line), so its crash comes after the whole reference batch is paid.
        try (Oracle o = new Counting(new LedgeredOracle(sw, OracleCallLedger.open(d.resolve(OracleCallLedger.FILE)), CampaignFixtures.clock()),
                training, refs, dieInCycle); TrainingStore store = CampaignFixtures.store(d)) {
            return new Campaign(cfg, d, CampaignState.read(d.resolve("state.json")), PoolBackend.local(), o, store, 2, CampaignFixtures.clock(),
                    CampaignFixtures.ticker(), new CampaignLog(d.resolve("campaign.log"), CampaignFixtures.clock(), (PrintStream) null), null).run();
        }
    }

    @BeforeAll
    static void referenceRun() throws Exception {
        referenceDir = shared.resolve("reference");
        init(referenceDir, YAML);
        reference = run(referenceDir, YAML, new HashMap<>(), referenceCalls, -1);
    }

    static JsonNode tracking(CampaignState s) {
        return s.protocolState().get(ReferenceTracking.SECTION);
    }

    @Test
    void everyFitGetsAnErrorRowEqualToAnIndependentRelaxationAndSwSinglePoint() throws Exception {
        assertEquals(Stage.DONE, reference.next());
        assertEquals("max-cycles", reference.status());
        JsonNode t = tracking(reference);
        assertEquals(List.of("diamond", "beta-tin"), List.of(t.get("references").get(0).asText(), t.get("references").get(1).asText()));
        JsonNode cycles = t.get("cycles");
        assertEquals(2, cycles.size(), "one row per fit (models 000 and 001): " + cycles);
        Calculator sw = config(YAML).oracle() == null ? null : new CampaignRunner(CampaignFixtures.clock(), CampaignFixtures.ticker(), System.out,
                Map.of(), null).oracle(config(YAML), Path.of("unused")).calculator().orElseThrow();
        for (int c = 0; c < 2; c++) {
            JsonNode row = cycles.get(c);
            assertEquals(c, row.get("cycle").asInt());
            assertEquals(String.format("models/model-%03d.json", c), row.get("model").asText());
            LinearPotential model = ModelFile.read(referenceDir.resolve(row.get("model").asText()), new AceBasisFactory()).potential();
            double worst = 0;
            for (JsonNode r : row.get("references")) {
                Structure ref = ExtendedXyz.read(REFS.resolve(r.get("name").asText() + ".xyz")).get(0);
                var relaxed = new Fire().relax(Structure.of(ref.cell(), ref.atomicNumbers(), ref.positions()), model,
                        new RelaxSettings(0.01, 0.01, 400, 0.0, true, 0, 0, EarlyStop.NEVER)).last();
                Structure clean = Structure.of(relaxed.cell(), relaxed.atomicNumbers(), relaxed.positions());
                double eModel = model.calculate(clean).energy() / clean.size();
                double eSw = sw.calculate(clean).energy() / clean.size();
                assertEquals(eModel, r.get("model_eV_per_atom").asDouble(), 1e-12, r.toString());
                assertEquals(eSw, r.get("oracle_eV_per_atom").asDouble(), 1e-12, r.toString());
                assertEquals((eModel - eSw) * 1000, r.get("error_meV_per_atom").asDouble(), 1e-9, r.toString());
                assertEquals(r.get("error_meV_per_atom").asDouble(), row.get("errors_meV_per_atom").get(r.get("name").asText()).asDouble());
                worst = Math.max(worst, Math.abs(eModel - eSw) * 1000);
            }
            assertEquals(worst, row.get("max_abs_error_meV_per_atom").asDouble(), 1e-9);
        }
        // the stop rule ran (tolerance 0.001 meV/atom) and never held
        assertEquals(0, t.get("stop").get("streak").asInt());
        assertFalse(t.get("stop").get("converged").asBoolean());
    }

    @Test
    void referenceLabelsArePaidOnceAndKeptOutOfTheTrainingStore() throws Exception {
        int distinct = referenceCalls.size();
        assertTrue(distinct >= 2 && distinct <= 4, "2 references x 2 fits, fewer if a model relaxes to the same cell: " + referenceCalls);
        assertTrue(referenceCalls.values().stream().allMatch(n -> n == 1), "each reference task labelled once: " + referenceCalls);
        assertEquals(distinct, tracking(reference).get("oracle_single_points").asInt());
        try (var files = Files.list(referenceDir.resolve("references/labels"))) {
            assertEquals(distinct, files.count());
        }
        OracleCallLedger.Contents ledger = OracleCallLedger.read(referenceDir.resolve(OracleCallLedger.FILE));
        List<String> refCalls = new ArrayList<>();
        for (var c : ledger.calls()) if (c.kind().equals(OracleCallLedger.REFERENCE)) refCalls.add(c.taskHash());
        assertEquals(distinct, refCalls.size(), "ledger lines of kind reference");
        assertEquals(reference.oracleSinglePoints(), ledger.labels().size(), "training labels in the ledger = oracle single points of the state");
        try (TrainingStore store = CampaignFixtures.store(referenceDir)) {
            assertEquals(reference.oracleSinglePoints(), store.stats().records());
            for (String h : refCalls) assertFalse(store.entries().containsKey(h), "reference label " + h + " is not a training label");
        }
    }

    @Test
    void killedAfterPayingTheReferenceLabelsTheResumedCampaignRecordsTheSameErrorsWithoutPayingAgain() throws Exception {
        Path d = dir.resolve("killed");
        init(d, YAML);
        Map<String, Integer> training = new HashMap<>();
        Map<String, Integer> refs = new HashMap<>();
        assertThrows(CampaignDeterminismTest.Crash.class, () -> run(d, YAML, training, refs, 1));
        CampaignState killed = CampaignState.read(d.resolve("state.json"));
        assertEquals(Stage.FIT, killed.next(), "the kill came inside the fit of cycle 1, before its checkpoint");
        int paidBefore = refs.size();
        CampaignState s = run(d, YAML, training, refs, -1);
        assertEquals(paidBefore, refs.size(), "the resumed fit finds the reference labels on disk");
        assertTrue(refs.values().stream().allMatch(n -> n == 1), "no reference label paid twice: " + refs);
        assertTrue(training.values().stream().allMatch(n -> n == 1), "no training label paid twice: " + training);
        assertEquals(tracking(reference), tracking(s), "same errors, rows and counts as the campaign that was never killed");
        assertEquals(reference.oracleSinglePoints(), s.oracleSinglePoints());
        long refLines = OracleCallLedger.read(d.resolve(OracleCallLedger.FILE)).calls().stream().filter(c -> c.kind().equals(OracleCallLedger.REFERENCE)).count();
        assertEquals(referenceCalls.size(), refLines, "the ledger shows each reference single point once");
    }

    /**
     * {@code tracking.ev_curve} and a stop rule on a subset: the final model's E(V) of each reference, at the volumes
     * (1 - r + 2 r k / (m - 1)) V_0 of its model-relaxed cell, equals the model and SW evaluated independently on the same
     * scaled cells; the curve's labels are reference labels paid once, also when the campaign is killed right after
     * paying them (in validation) and resumed; the report draws one plot per reference.
     */
    @Test
    void theFinalModelsEnergyVolumeCurvesMatchAnIndependentScanAndSurviveAKill() throws Exception {
        String text = yaml("  stop: {tol_mev_per_atom: 0.001, cycles: 1, references: [beta-tin]}\n  ev_curve: {points: 5, range: 0.1}\n", 2);
        Path d = dir.resolve("ev");
        init(d, text);
        Map<String, Integer> training = new HashMap<>();
        Map<String, Integer> refs = new HashMap<>();
        assertThrows(CampaignDeterminismTest.Crash.class, () -> run(d, text, training, refs, 2), "dies after the curve labels (validation, cycle 2)");
        assertEquals(Stage.VALIDATE, CampaignState.read(d.resolve("state.json")).next());
        int paid = refs.size();
        CampaignState s = run(d, text, training, refs, -1);
        assertEquals(paid, refs.size(), "the resumed validation finds the curve labels on disk");
        assertTrue(refs.values().stream().allMatch(n -> n == 1), "each reference label paid once: " + refs);
        JsonNode t = tracking(s);
        assertEquals("beta-tin", t.get("stop").get("references").get(0).asText());
        assertEquals(1, t.get("stop").get("references").size());
        JsonNode ev = t.get("ev_curves");
        assertEquals("models/model-001.json", ev.get("model").asText(), "the final model");
        assertEquals(5, ev.get("points").asInt());
        LinearPotential model = ModelFile.read(d.resolve("models/model-001.json"), new AceBasisFactory()).potential();
        Calculator sw = new CampaignRunner(CampaignFixtures.clock(), CampaignFixtures.ticker(), System.out, Map.of(), null)
                .oracle(config(text), Path.of("unused")).calculator().orElseThrow();
        assertEquals(2, ev.get("references").size());
        for (JsonNode c : ev.get("references")) {
            Structure ref = ExtendedXyz.read(REFS.resolve(c.get("name").asText() + ".xyz")).get(0);
            var relaxed = new Fire().relax(Structure.of(ref.cell(), ref.atomicNumbers(), ref.positions()), model,
                    new RelaxSettings(0.01, 0.01, 400, 0.0, true, 0, 0, EarlyStop.NEVER)).last();
            Structure r0 = Structure.of(relaxed.cell(), relaxed.atomicNumbers(), relaxed.positions());
            double v0 = r0.cell().volume() / r0.size();
            double sq = 0;
            for (int k = 0; k < 5; k++) {
                double f = 0.9 + 0.2 * k / 4;
                double g = Math.cbrt(f);
                double[] h = r0.cell().matrix(), x = r0.positions();
                for (int i = 0; i < 9; i++) h[i] *= g;
                for (int i = 0; i < x.length; i++) x[i] *= g;
                Structure sk = Structure.of(r0.cell().withMatrix(h), r0.atomicNumbers(), x);
                double eModel = model.calculate(sk).energy() / sk.size(), eSw = sw.calculate(sk).energy() / sk.size();
                assertEquals(f * v0, c.get("volume_A3_per_atom").get(k).asDouble(), 1e-9 * v0, c.get("name") + " volume " + k);
                assertEquals(eModel, c.get("model_eV_per_atom").get(k).asDouble(), 1e-9, c.get("name") + " model " + k);
                assertEquals(eSw, c.get("oracle_eV_per_atom").get(k).asDouble(), 1e-9, c.get("name") + " SW " + k);
                sq += (eModel - eSw) * (eModel - eSw);
            }
            assertEquals(1000 * Math.sqrt(sq / 5), c.get("rms_error_meV_per_atom").asDouble(), 1e-6);
        }
        try (var files = Files.list(d.resolve("references/labels"))) {
            assertEquals(t.get("oracle_single_points").asInt(), files.count());
        }
        assertEquals(refs.size(), t.get("oracle_single_points").asInt(), "every reference label (tracking rows and curves) counted once");
        Path html = dir.resolve("ev.html");
        CampaignCliTest.Result rep = CampaignCliTest.cli("report", d.toString(), "-o", html.toString());
        assertEquals(0, rep.code(), rep.err());
        String page = Files.readString(html);
        assertTrue(page.contains("Energy-volume curves of the final model"), "section present");
        assertTrue(page.contains("data-plot=\"ev-diamond\"") && page.contains("data-plot=\"ev-beta-tin\""), "one plot per reference");
    }

    @Test
    void theStopRuleEndsTheCampaignAfterTheGivenNumberOfFitsWithinTolerance() throws Exception {
        String text = yaml("  stop: {tol_mev_per_atom: 100000, cycles: 2}\n", 4);
        Path d = dir.resolve("stop");
        init(d, text);
        CampaignState s = run(d, text, new HashMap<>(), new HashMap<>(), -1);
        assertEquals("converged", s.status());
        assertEquals(Stage.DONE, s.next());
        JsonNode t = tracking(s);
        assertEquals(2, t.get("cycles").size(), "stopped after the second fit, not the first: " + t);
        assertEquals(2, t.get("stop").get("streak").asInt());
        assertTrue(t.get("stop").get("converged").asBoolean());
        assertTrue(Files.exists(d.resolve("models/model-001.json")));
        assertFalse(Files.exists(d.resolve("cycles/002/selection.json")), "no exploration after the stop");
        assertFalse(s.best().isEmpty(), "the converged campaign validates the last selection's candidates");
    }
}
