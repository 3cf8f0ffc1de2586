package org.crucible.driver.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.crucible.config.campaign.CampaignConfig;
import org.crucible.config.campaign.CampaignConfigLoader;
import org.crucible.driver.pool.GenerationPlan;
import org.crucible.driver.pool.PoolEntry;
import org.crucible.driver.pool.RelaxStage;
import org.crucible.executors.calculators.StillingerWeber;
import org.crucible.executors.relax.Fire;
import org.crucible.executors.relax.RelaxResult;
import org.crucible.executors.relax.RelaxSettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code crucible bench csp-efficiency} on a tiny real Si8 campaign (SW oracle, Spark local[2]). */
class BenchCommandTest {
    static final String YAML = """
            name: si8-bench
            seed: 7
            composition: Si8
            pools:
              training: {size: 16}
              search: {per_group: 2, space_groups: [227, 194, 12]}
            potential:
              basis: {cutoff: 4.5, max_degree: [8, 6], l_max: 3}
              committee: 4
            protocol:
              cycle0_batch: 8
              relax: {fmax: 0.1, steps: 15, patience: 10, max_uncertainty: 0.5}
              selection: {batch: 5}
            oracle: {type: sw}
            stopping: {k: 2, epsilon: 0.01, max_cycles: 3}
            validation: {top_k: 2, steps: 150}
            spark: {master: "local[2]", ui: false, progress: false}
            """;

    @Test
    void reportsCampaignAndRandomSearchFromRealRelaxations(@TempDir Path tmp) throws Exception {
        Path cfgFile = tmp.resolve("si8.yaml");
        Files.writeString(cfgFile, YAML);
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = CrucibleCommand.commandLine();
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        int code = cl.execute("bench", "csp-efficiency", "--config", cfgFile.toString(), "--seeds", "1", "--max-cycles", "1", "--max-random", "12",
                "--threads", "2", "--dir", tmp.resolve("runs").toString(), "--json", tmp.resolve("r.json").toString());
        assertEquals(0, code, err.toString());
        String text = out.toString();
        assertTrue(text.contains("camp_sp") && text.contains("rand_sp") && text.contains("ratio"), text);
        assertTrue(text.contains("ratio of medians random/campaign:"), text);
        assertTrue(text.contains("campaign: ground state in "), text);

        JsonNode doc = new ObjectMapper().readTree(tmp.resolve("r.json").toFile());
        JsonNode r = doc.path("seeds").get(0);
        for (String f : new String[] {"campaign_found", "campaign_single_points_to_ground_state", "campaign_oracle_single_points",
                "campaign_validation_single_points", "campaign_wall_seconds", "random_found", "random_relaxations", "random_single_points",
                "random_wall_seconds", "ratio"}) {
            assertTrue(r.has(f), "field " + f + " in " + r);
        }
        assertTrue(doc.path("median").has("ratio"), doc.toString());
        assertTrue(doc.path("median").path("random_wall_seconds").isNumber(), "medians are numbers (or null when nothing was found): " + doc);
        assertEquals(0, doc.path("space_groups").size(), "no --space-groups: any structure within the tolerance of E_gs counts");
        assertEquals(7, r.path("seed").asLong());
        // The campaign ran: cycle 0 labelled 8 cells, cycle 1 at most 5 more; validation relaxed with the oracle.
        int campaignSp = r.path("campaign_oracle_single_points").asInt();
        assertTrue(campaignSp >= 8 && campaignSp <= 13, "campaign labels " + campaignSp);
        assertTrue(r.path("campaign_validation_single_points").asInt() > 0, r.toString());
        if (r.path("campaign_found").asBoolean()) {
            assertTrue(r.path("campaign_single_points_to_ground_state").asInt() <= campaignSp, r.toString());
        }

        // The baseline count is the sum of real SW relaxations of the campaign's own random cells, in id order.
        int relaxations = r.path("random_relaxations").asInt();
        assertTrue(relaxations >= 1 && relaxations <= 12, r.toString());
        CampaignConfig cfg = CampaignConfigLoader.load(tmp.resolve("runs/seed-7/campaign-seed-7.json"));
        GenerationPlan.Block tb = new org.crucible.driver.protocol.SpaceGroupPools(cfg).plan(0).blocks().get(0);
        GenerationPlan plan = new GenerationPlan(7, java.util.List.of(new GenerationPlan.Block(0, 12, tb.formula(), tb.compositionIndex(), tb.spaceGroup(),
                tb.separationFactor(), tb.volume(), tb.volumeSpread(), tb.label())));
        RelaxSettings rs = RelaxSettings.DEFAULT.withFmax(cfg.validation().fmax()).withMaxSteps(150).withSmaxGPa(RelaxStage.STRESS_TOLERANCE_GPA);
        int evaluations = 0;
        int done = 0;
        for (long id = 0; done < relaxations; id++) {
            Optional<PoolEntry> p = plan.make(id);
            if (p.isEmpty()) continue;
            RelaxResult rr = new Fire().relax(p.get().structure(), StillingerWeber.silicon(), rs);
            evaluations += rr.evaluations();
            done++;
        }
        assertEquals(evaluations, r.path("random_single_points").asInt(), "random-search single points = evaluations of the relaxations");
        assertTrue(evaluations > relaxations, "each relaxation costs more than one single point");
        // The first training cell of the plan is the campaign's pool cell 0 (same generator, same seed).
        assertEquals(new org.crucible.driver.protocol.SpaceGroupPools(cfg).plan(0).make(0).orElseThrow().structure().contentHash(), plan.make(0).orElseThrow().structure().contentHash());
    }

    @Test
    void failedSeedsRaiseTheMedianInsteadOfDisappearing() {
        double inf = Double.POSITIVE_INFINITY;
        assertEquals(200.0, org.crucible.driver.bench.CspEfficiency.median(java.util.List.of(150.0, 200.0, inf)));
        assertEquals(inf, org.crucible.driver.bench.CspEfficiency.median(java.util.List.of(150.0, inf, inf)));
        assertEquals(175.0, org.crucible.driver.bench.CspEfficiency.median(java.util.List.of(200.0, 150.0)));
        assertTrue(Double.isNaN(org.crucible.driver.bench.CspEfficiency.median(java.util.List.of())));
    }
}
