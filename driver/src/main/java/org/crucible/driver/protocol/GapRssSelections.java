package org.crucible.driver.protocol;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.crucible.config.campaign.CampaignConfig;
import org.crucible.config.campaign.GapRssSettings;
import org.crucible.driver.pool.PoolSummary;

/**
 * What the GAP-RSS selectors share: the kernel of summary rows, K_ij = (x_i . x_j / |x_i||x_j|)^zeta (GAP-RSS eq. 5
 * on averaged-SOAP rows), the CUR pick over it (exact or Nystrom, {@link KernelCur}) and the {@link Selection}
 * record (lowest enthalpies per atom for the convergence history, the lowest frame of each of the
 * {@code validation.top_k} lowest trajectories for validation).
 */
final class GapRssSelections {
    private GapRssSelections() {
    }

    /** The kernel between rows {@code a} and {@code b} of feature vectors. */
    static double kernel(double[] a, double[] b, int zeta) {
        double ab = 0, aa = 0, bb = 0;
        for (int i = 0; i < a.length; i++) {
            ab += a[i] * b[i];
            aa += a[i] * a[i];
            bb += b[i] * b[i];
        }
        double c = aa > 0 && bb > 0 ? ab / Math.sqrt(aa * bb) : 0;
        return Math.pow(c, zeta);
    }

    /**
     * The ids of up to {@code count} rows chosen by CUR on their kernel (rows sorted by id first, so the choice is a
     * function of the set of rows); exact when {@code cur.method} is exact or the rows are no more than the landmarks.
     */
    static List<Long> cur(List<PoolSummary> rows, int count, GapRssSettings g, long seed) {
        List<PoolSummary> sorted = rows.stream().sorted(Comparator.comparingLong(PoolSummary::id)).toList();
        int n = sorted.size();
        if (n == 0 || count <= 0) return List.of();
        int rank = Math.min(g.rank(), n);
        KernelCur cur;
        if (g.curMethod().equals("nystrom") && n > g.nystromLandmarks()) {
            int[] land = KernelCur.landmarks(n, g.nystromLandmarks(), seed);
            double[][] c = new double[n][land.length];
            for (int i = 0; i < n; i++) for (int j = 0; j < land.length; j++) c[i][j] = kernel(sorted.get(i).features(), sorted.get(land[j]).features(), g.zeta());
            cur = KernelCur.nystrom(c, land, Math.min(rank, land.length));
        } else {
            double[][] k = new double[n][n];
            for (int i = 0; i < n; i++) {
                for (int j = i; j < n; j++) {
                    k[i][j] = kernel(sorted.get(i).features(), sorted.get(j).features(), g.zeta());
                    k[j][i] = k[i][j];
                }
            }
            cur = KernelCur.exact(k, rank);
        }
        List<Long> out = new ArrayList<>();
        for (int i : cur.select(count)) out.add(sorted.get(i).id());
        return out;
    }

    /** The selection of {@code picks} among {@code rows} (energy per atom = the explorer's enthalpy per atom). */
    static Selection selection(String name, List<Long> picks, List<PoolSummary> rows, CampaignConfig cfg, int stride, Map<String, Object> extra,
                               String summary) {
        List<PoolSummary> byH = rows.stream().filter(r -> Double.isFinite(r.energy()))
                .sorted(Comparator.comparingDouble(PoolSummary::energyPerAtom).thenComparingLong(PoolSummary::id)).toList();
        List<Double> lowest = byH.stream().limit(cfg.stopping().k()).map(PoolSummary::energyPerAtom).toList();
        List<Long> validation = new ArrayList<>();
        Set<Long> parents = new HashSet<>();
        for (PoolSummary r : byH) {
            if (validation.size() >= cfg.validation().topK()) break;
            if (parents.add(r.id() / Math.max(1, stride))) validation.add(r.id());
        }
        Map<String, Object> rec = new LinkedHashMap<>();
        rec.put("selector", name);
        rec.put("candidates", rows.size());
        rec.putAll(extra);
        rec.put("picks", picks);
        rec.put("lowest_enthalpies_eV_per_atom", lowest);
        return new Selection(name, picks, lowest, validation, rec, summary + ", lowest H " + lowest + " eV/atom");
    }
}
