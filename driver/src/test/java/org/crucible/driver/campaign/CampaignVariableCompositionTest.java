package org.crucible.driver.campaign;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.crucible.config.campaign.CampaignConfig;
import org.crucible.config.campaign.CampaignConfigLoader;
import org.crucible.driver.oracle.Oracle;
import org.crucible.driver.pool.PoolBackend;
import org.crucible.driver.pool.PoolEntry;
import org.crucible.driver.pool.PoolFiles;
import org.crucible.driver.pool.PoolSummary;
import org.crucible.driver.report.CampaignReport;
import org.crucible.driver.report.HullTable;
import org.crucible.driver.store.LabelRecord;
import org.crucible.driver.store.TaskHash;
import org.crucible.driver.store.TrainingStore;
import org.crucible.executors.evolution.BinaryRange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A tiny variable-composition SiC campaign end to end (evolution-dopt with {@code evolution.composition}, LAMMPS'
 * SiC.tersoff as the oracle, local backend): generation 1 spans several compositions including both elemental ends,
 * generation 2 holds offspring ranked by hull distance, some of them of a changed stoichiometry, all within the bounds;
 * the selection records the model hull; the validated structures give the hull table of status and the report.
 */
class CampaignVariableCompositionTest {
    static final String YAML = """
            name: sic-vc
            seed: 3
            composition: [Si2C2, Si2, C2]
            pools:
              training: {size: 12}
              search: {per_group: 0}
            potential:
              basis: {cutoff: 4.0, max_degree: [8, 4], l_max: 2}
              committee: 2
            protocol:
              name: evolution-dopt
              cycle0_batch: 12
              relax: {fmax: 0.1, steps: 15, patience: 10}
              selection: {batch: 4}
            evolution:
              population: 10
              parents: 5
              random_fraction: 0.2
              composition: {elements: [Si, C], min_atoms: 2, max_atoms: 4, transmutation: 1, add_remove: 1}
              gamma_break: 100
            oracle: {type: tersoff, parameter_file: /usr/share/lammps/potentials/SiC.tersoff}
            stopping: {k: 2, epsilon: 0.001, max_cycles: 2}
            validation: {top_k: 3, steps: 40}
            spark: {master: "local[2]", ui: false, progress: false}
            """;

    @TempDir
    Path dir;

    @Test
    void generationsChangeStoichiometryWithinBoundsAndTheHullIsReported() throws Exception {
        CampaignConfig cfg = CampaignConfigLoader.parse(YAML, false, "sic.yaml");
        Files.writeString(dir.resolve("campaign.yaml"), YAML);
        CampaignState.initial("sic-vc", 3, TaskHash.sha256(YAML), cfg.protocol().name()).write(dir.resolve("state.json"));
        Oracle tersoff = new CampaignRunner(CampaignFixtures.clock(), CampaignFixtures.ticker(), System.out, Map.of(), null).oracle(cfg, dir);
        CampaignState s;
        try (TrainingStore store = CampaignFixtures.store(dir)) {
            s = new Campaign(cfg, dir, CampaignState.read(dir.resolve("state.json")), PoolBackend.local(), tersoff, store, 2, CampaignFixtures.clock(),
                    CampaignFixtures.ticker(), new CampaignLog(dir.resolve("campaign.log"), CampaignFixtures.clock(), (PrintStream) null), null).run();
            Set<String> hashes = new HashSet<>();
            for (LabelRecord r : store.trainingSet()) assertTrue(hashes.add(r.taskHash()), "a task labelled twice");
        }
        assertTrue(s.cycle() >= 2, "two generations: " + s.cycle());
        BinaryRange range = BinaryRange.of("Si", "C", 2, 4, 0, 1);
        PoolBackend local = PoolBackend.local();
        List<PoolEntry> gen1 = entries(local, cfg, 1);
        Set<String> formulas1 = new HashSet<>();
        for (PoolEntry e : gen1) {
            assertTrue(range.allows(e.structure()), e.structure().formula() + " outside 2-4 atoms of Si and C");
            formulas1.add(Double.toString(range.fraction(e.structure())));
        }
        assertTrue(formulas1.contains("0.0") && formulas1.contains("1.0"), "generation 1 has both elemental ends: " + formulas1);
        assertTrue(formulas1.size() >= 3, "generation 1 spans compositions: " + formulas1);
        List<PoolEntry> gen2 = entries(local, cfg, 2);
        List<PoolEntry> offspring = gen2.stream().filter(e -> e.origin().startsWith("offspring ")).toList();
        assertFalse(offspring.isEmpty(), "generation 2 has offspring");
        for (PoolEntry e : gen2) assertTrue(range.allows(e.structure()), e.structure().formula() + " outside the bounds");
        assertTrue(offspring.stream().anyMatch(e -> e.origin().startsWith("offspring transmutation") || e.origin().startsWith("offspring add-remove")),
                "some offspring changed stoichiometry: " + offspring.stream().map(PoolEntry::origin).toList());

        JsonNode sel = new ObjectMapper().readTree(dir.resolve(String.format("cycles/%03d/selection.json", s.cycle())).toFile());
        JsonNode hull = sel.path("model_hull");
        assertTrue(hull.size() >= 3, "model hull rows: " + hull);
        for (JsonNode r : hull) assertTrue(r.path("above_hull_eV_per_atom").asDouble() >= 0, r.toString());
        assertEquals(0.0, hull.get(0).path("above_hull_eV_per_atom").asDouble(), 0, "ranked on the hull first");
        assertEquals(2, sel.path("lowest_energies_eV_per_atom").size());

        assertFalse(s.best().isEmpty(), "validation relaxed the best with the oracle");
        HullTable table = HullTable.validated(dir, cfg, s).orElseThrow(() -> new AssertionError("both ends validated: " + s.best()));
        assertTrue(table.vertices().stream().anyMatch(r -> r.x() == 0) && table.vertices().stream().anyMatch(r -> r.x() == 1), table.toString());
        for (HullTable.Row r : table.rows()) {
            if (r.x() == 0 || r.x() == 1) assertEquals(r.aboveHull(), r.formationEnthalpy(), 1e-12, "an elemental phase: H_f is its height above the lowest one");
        }
        Path html = dir.resolve("report.html");
        new CampaignReport(CampaignFixtures.clock()).write(dir, html);
        String doc = Files.readString(html);
        assertTrue(doc.contains("Convex hull") && doc.contains("above hull"), "the report has the hull section");
    }

    private List<PoolEntry> entries(PoolBackend local, CampaignConfig cfg, int cycle) {
        var pool = local.load(PoolFiles.resolve(dir, cfg.pools().uri(), CampaignFiles.poolUri(cycle, "generated")));
        return pool.fetch(pool.summaries().stream().map(PoolSummary::id).toList());
    }
}
