package org.crucible.driver.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.crucible.config.campaign.CampaignConfig;
import org.crucible.core.Structure;
import org.crucible.core.io.Cif;
import org.crucible.core.io.ExtendedXyz;
import org.crucible.driver.campaign.CampaignState;
import org.crucible.executors.symmetry.SpaceGroupFinder;

/**
 * Report section "Best structures": per validated structure its rank, formula, energy above the lowest (meV/atom),
 * oracle and model energies (eV/atom), space group ({@link SpaceGroupFinder} at the campaign's symmetry tolerance when
 * the state has none), volume per atom (Angstrom^3), how the validation relaxation ended and a ball-and-stick picture
 * ({@link StructureSvg}); each cell is written beside the report as CIF and extended XYZ.
 */
final class BestStructuresSection {
    private BestStructuresSection() {
    }

    static void write(CampaignData d, ReportPage page, Path filesDir, String filesRel, List<Path> files) throws IOException {
        page.section("Best structures", "Validated with the oracle; energies per atom. Files are written beside this report.")
                .html(bestTable(d.dir(), d.config(), d.state(), filesDir, filesRel, files));
    }

    private static String bestTable(Path dir, CampaignConfig cfg, CampaignState state, Path filesDir, String filesRel, List<Path> files) throws IOException {
        if (state.best().isEmpty()) return "<p>No validated structures yet (validation runs when the campaign stops).</p>\n";
        Files.createDirectories(filesDir);
        double lowest = state.best().stream().mapToDouble(CampaignState.Best::energyEvPerAtom).min().orElse(Double.NaN);
        StringBuilder b = new StringBuilder("<table><tr><th>rank</th><th class=\"l\">formula</th><th>E \u2212 E<sub>min</sub> (meV/atom)</th>"
                + "<th>E oracle (eV/atom)</th><th>E model (eV/atom)</th><th class=\"l\">space group</th><th>V (\u00c5\u00b3/atom)</th><th>pool id</th>"
                + "<th class=\"l\">relaxation</th><th class=\"l\">files</th><th class=\"l\">cell</th></tr>\n");
        int rank = 0;
        for (CampaignState.Best best : state.best()) {
            rank++;
            Structure s = ExtendedXyz.read(dir.resolve(best.file())).get(0);
            String sg = best.spaceGroup();
            if (sg == null) {
                try {
                    SpaceGroupFinder.Result r = SpaceGroupFinder.find(s, cfg.validation().symmetryTolerance());
                    sg = r.symbol() + " (" + r.number() + ")";
                } catch (IllegalStateException e) {
                    sg = "not found: " + e.getMessage();
                }
            }
            String stem = String.format(Locale.ROOT, "best-%02d", rank);
            Path cif = filesDir.resolve(stem + ".cif"), xyz = filesDir.resolve(stem + ".extxyz");
            Cif.write(cif, List.of(s));
            ExtendedXyz.write(xyz, List.of(s));
            files.add(cif);
            files.add(xyz);
            b.append(String.format(Locale.ROOT, "<tr><td>%d</td><td class=\"l\">%s</td><td>%.1f</td><td>%.5f</td><td>%.5f</td><td class=\"l\">%s</td><td>%.3f</td>"
                            + "<td>%d</td><td class=\"l\">%s</td><td class=\"l\"><a href=\"%s/%s.cif\">CIF</a> <a href=\"%s/%s.extxyz\">extxyz</a></td>"
                            + "<td class=\"l\">%s</td></tr>\n",
                    rank, Html.escape(s.formula()), 1000 * (best.energyEvPerAtom() - lowest), best.energyEvPerAtom(), best.predictedEvPerAtom(), Html.escape(sg),
                    s.cell().volume() / s.size(), best.poolId(), Html.escape(best.stopReason()), filesRel, stem, filesRel, stem, StructureSvg.render(s, 120)));
        }
        return b.append("</table>\n").toString();
    }
}
