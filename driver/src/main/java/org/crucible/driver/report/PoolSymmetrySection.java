package org.crucible.driver.report;

import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.crucible.driver.pool.PoolEntry;
import org.crucible.executors.symmetry.SpaceGroupFinder;
import org.crucible.executors.symmetry.SpaceGroups;

/**
 * Report section "Space groups of the pool": how many structures of the last relaxed pool lie in each space group,
 * beside the group each was generated in.
 *
 * <p>Two counts per group: "generated as" is the symmetry the pool stores for each entry (its origin's {@code sg=N},
 * written by the space-group generator; random cells and mutations record none and are counted as "not recorded"), and
 * "after relaxation" is the group {@link SpaceGroupFinder} finds for the relaxed cell at the campaign's
 * {@code validation.symmetry_tolerance} (Angstrom), the tolerance the best structures are named with. A pool stores no
 * symmetry of its relaxed cells, so that count is computed here, for at most {@value #MAX_CELLS} structures of lowest
 * model energy per atom (deterministic; the plot says how many were skipped).
 */
final class PoolSymmetrySection {
    private PoolSymmetrySection() {
    }

    /** Relaxed cells whose space group the report determines at most (lowest model energy per atom first). */
    static final int MAX_CELLS = 2000;

    private static final Pattern GENERATED = Pattern.compile("(?:^|\\s)sg=(\\d{1,3})(?:\\s|$)");

    /** Counts of one space group: generated in it, found in it after relaxation, lowest model energy found in it (eV/atom). */
    private static final class Counts {
        int generated;
        int relaxed;
        double lowest = Double.POSITIVE_INFINITY;
    }

    static void write(CampaignData d, ReportPage page) {
        double tol = d.config().validation().symmetryTolerance();
        page.section("Space groups of the pool", String.format(Locale.ROOT, "Last relaxed pool: the space group each structure was generated in "
                + "(stored in the pool) and the one found after relaxation (symmetry tolerance %s \u00c5, as for the best structures).", tol));
        SvgPlot p = new SvgPlot("pool-space-groups", "Pool: structures per space group", "space group number", "structures");
        List<PoolEntry> entries = d.lastPool();
        if (entries == null) {
            page.plots(p.note("no pool has been written yet")).html("<p>No relaxed pool yet.</p>\n");
            return;
        }
        TreeMap<Integer, Counts> groups = new TreeMap<>();
        int notRecorded = 0, notFound = 0;
        for (PoolEntry e : entries) {
            Matcher m = GENERATED.matcher(e.origin());
            int number = m.find() ? Integer.parseInt(m.group(1)) : 0;
            if (number >= 1 && number <= 230) groups.computeIfAbsent(number, k -> new Counts()).generated++;
            else notRecorded++;
        }
        List<PoolEntry> relaxed = entries.stream().filter(e -> Double.isFinite(e.energy()))
                .sorted(Comparator.comparingDouble(PoolEntry::energyPerAtom).thenComparingLong(PoolEntry::id)).toList();
        int skipped = Math.max(0, relaxed.size() - MAX_CELLS);
        for (PoolEntry e : relaxed.subList(0, relaxed.size() - skipped)) {
            int number;
            try {
                number = SpaceGroupFinder.find(e.structure(), tol).number();
            } catch (IllegalArgumentException | IllegalStateException ex) {
                notFound++;
                continue;
            }
            Counts c = groups.computeIfAbsent(number, k -> new Counts());
            c.relaxed++;
            c.lowest = Math.min(c.lowest, e.energyPerAtom());
        }
        double[] x = groups.keySet().stream().mapToDouble(Integer::doubleValue).toArray();
        double[] gen = groups.values().stream().mapToDouble(c -> c.generated).toArray();
        double[] rel = groups.values().stream().mapToDouble(c -> c.relaxed).toArray();
        // side by side: generated just left of the group's number, relaxed just right, on the whole range of groups
        double w = 2.0;
        p.xRange(0, 231);
        p.bars("generated as", shift(x, -w / 2), gen, Palette.category(1), w);
        p.bars("after relaxation", shift(x, w / 2), rel, Palette.category(0), w);
        p.note(String.format(Locale.ROOT, "%d structures; generated group not recorded for %d; after relaxation: %d groups, no group found for %d", entries.size(),
                notRecorded, groups.values().stream().filter(c -> c.relaxed > 0).count(), notFound));
        if (skipped > 0 || relaxed.size() < entries.size()) {
            p.note(String.format(Locale.ROOT, "not analysed: %d without an energy, %d beyond the %d lowest", entries.size() - relaxed.size(), skipped, MAX_CELLS));
        }
        page.plots(p).html(table(groups, notRecorded, notFound));
    }

    private static double[] shift(double[] x, double by) {
        double[] out = x.clone();
        for (int i = 0; i < out.length; i++) out[i] += by;
        return out;
    }

    /** Space groups listed in the table at most (most structures after relaxation first); the rest share one row. */
    static final int TABLE_ROWS = 15;

    private static String table(Map<Integer, Counts> groups, int notRecorded, int notFound) {
        StringBuilder b = new StringBuilder("<table><tr><th class=\"l\">space group</th><th>generated as</th><th>after relaxation</th>"
                + "<th>lowest model E after relaxation (eV/atom)</th></tr>\n");
        List<Map.Entry<Integer, Counts>> rows = groups.entrySet().stream()
                .sorted(Comparator.comparingInt((Map.Entry<Integer, Counts> e) -> -e.getValue().relaxed).thenComparing(Map.Entry::getKey)).toList();
        for (Map.Entry<Integer, Counts> e : rows.subList(0, Math.min(TABLE_ROWS, rows.size()))) {
            b.append(String.format(Locale.ROOT, "<tr><td class=\"l\">%s (%d)</td><td>%d</td><td>%d</td><td>%s</td></tr>\n",
                    Html.escape(SpaceGroups.byNumber(e.getKey()).symbol()), e.getKey(), e.getValue().generated, e.getValue().relaxed,
                    e.getValue().relaxed > 0 ? String.format(Locale.ROOT, "%.4f", e.getValue().lowest) : "-"));
        }
        if (rows.size() > TABLE_ROWS) {
            List<Map.Entry<Integer, Counts>> rest = rows.subList(TABLE_ROWS, rows.size());
            b.append(String.format(Locale.ROOT, "<tr><td class=\"l\">%d other groups</td><td>%d</td><td>%d</td><td>-</td></tr>\n", rest.size(),
                    rest.stream().mapToInt(e -> e.getValue().generated).sum(), rest.stream().mapToInt(e -> e.getValue().relaxed).sum()));
        }
        b.append(String.format(Locale.ROOT, "<tr><td class=\"l\">not recorded / not found</td><td>%d</td><td>%d</td><td>-</td></tr>\n", notRecorded, notFound));
        return b.append("</table>\n").toString();
    }
}
