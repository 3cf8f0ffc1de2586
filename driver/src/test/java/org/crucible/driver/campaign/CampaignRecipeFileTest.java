package org.crucible.driver.campaign;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.crucible.config.campaign.CampaignConfigLoader;
import org.crucible.config.campaign.Oracle;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code oracle.settings_file}: a started campaign keeps a copy of the recipe and a resume reads that copy, so
 * editing (or deleting) the original never changes the labels of a campaign in flight.
 */
class CampaignRecipeFileTest {
    private static final class Stop extends RuntimeException {
        private static final long serialVersionUID = 1L;
    }

    @Test
    void startCopiesTheRecipeAndResumeReadsTheCopy(@TempDir Path tmp) throws Exception {
        Path pseudo = tmp.resolve("pseudo");
        Files.createDirectories(pseudo);
        Files.writeString(pseudo.resolve("Si.test.UPF"), "<UPF version=\"2.0.1\"></UPF>\n");
        Path recipe = tmp.resolve("qe-si.yaml");
        String recipeText = "code: qe\npseudo_dir: " + pseudo + "\npseudopotentials: {Si: Si.test.UPF}\necutwfc: 12\nkpoint_spacing: 0.5\n";
        Files.writeString(recipe, recipeText);
        Path campaign = tmp.resolve("c.yaml");
        Files.writeString(campaign, """
                name: recipe-file
                composition: Si2
                pools: {training: {size: 4}, search: {per_group: 0}}
                protocol: {cycle0_batch: 2}
                oracle: {type: pw.x, settings_file: qe-si.yaml}
                validation: {top_k: 0}
                spark: {master: "local[1]", ui: false, progress: false}
                """);
        Path dir = tmp.resolve("run");
        // Stop after the first checkpoint (generate): nothing needs pw.x yet.
        CampaignRunner runner = new CampaignRunner(CampaignFixtures.clock(), CampaignFixtures.ticker(), System.out, Map.of(), s -> {
            throw new Stop();
        });
        assertThrows(Stop.class, () -> runner.start(campaign, dir, null));
        Path copy = dir.resolve(CampaignRunner.RECIPE_COPY);
        assertEquals(recipeText, Files.readString(copy), "the campaign directory keeps the recipe it started with");

        // The original is edited and then removed; the campaign directory alone still describes the campaign.
        Files.writeString(recipe, recipeText.replace("ecutwfc: 12", "ecutwfc: 40"));
        Files.delete(recipe);
        var cfg = CampaignConfigLoader.load(dir.resolve("campaign.yaml"), copy);
        Oracle.LocalDft d = (Oracle.LocalDft) cfg.oracle();
        assertEquals(copy.toAbsolutePath().toString(), d.settingsFile());
        try (var o = runner.oracle(cfg, dir)) {
            assertTrue(o.settingsHash().matches("[0-9a-f]{64}"), o.settingsHash());
        }
        // resume gets as far as the next checkpoint with the copy (it would fail on the missing original otherwise)
        assertThrows(Stop.class, () -> runner.resume(dir, null));
    }
}
