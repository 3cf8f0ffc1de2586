package org.crucible.driver.protocol;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.crucible.config.campaign.CampaignConfig;
import org.crucible.config.campaign.Composition;
import org.crucible.config.campaign.HalConfig;
import org.crucible.core.Elements;
import org.crucible.core.Structure;
import org.crucible.core.io.ExtendedXyz;
import org.crucible.driver.pool.GenerationPlan;
import org.crucible.driver.pool.PoolEntry;
import org.crucible.driver.pool.Seeds;

/**
 * The HAL generator: the starting configurations of each cycle's trajectories, fresh every cycle
 * ({@link #freshEachCycle()}), from the seed structures of {@code hal.seeds} (an extended XYZ file) or, without one,
 * random P1 cells of the compositions ({@code pools.training} settings).
 *
 * <ul>
 *   <li>Cycle 0 (labelled as it is, so a first fit exists): max({@code protocol.cycle0_batch}, seeds) copies, copy i of
 *       seed i mod S with every Cartesian component displaced by N(0, {@code hal.rattle}^2) Angstrom.</li>
 *   <li>Cycle t &gt;= 1: S x {@code hal.trajectories_per_seed} entries, entry i the seed i / trajectories_per_seed, each
 *       trajectory then drawing its own velocities and noise from its pool seed.</li>
 *   <li>With {@code hal.random_occupancy}, each entry's elements are reassigned at random (a seeded shuffle) in the
 *       proportions of the first composition: a random alloy on the seed's sites.</li>
 * </ul>
 * Entry i of cycle t uses the random stream mix(seed, t, salt, i), so a plan is a pure function of (configuration, seed
 * file, cycle) and a resumed run regenerates it identically. All entries are in one block labelled {@code training}.
 */
public final class SeedStructures implements Generator {
    /** The registry name. */
    public static final String NAME = "seed-structures";
    private static final long SALT = 0x48414CL;
    private final CampaignConfig cfg;
    private final List<Structure> seeds;

    public SeedStructures(CampaignConfig cfg) {
        this.cfg = cfg;
        String file = cfg.hal().seeds();
        if (file == null) {
            seeds = List.of();
        } else {
            try {
                seeds = ExtendedXyz.read(Path.of(file)).stream().map(s -> Structure.of(s.cell(), s.atomicNumbers(), s.positions())).toList();
            } catch (RuntimeException e) {
                throw new IllegalArgumentException("hal.seeds: cannot read " + file + ": " + e.getMessage(), e);
            }
            if (seeds.isEmpty()) throw new IllegalArgumentException("hal.seeds: " + file + " holds no structure");
        }
    }

    @Override
    public GenerationPlan plan(int cycle) {
        HalConfig h = cfg.hal();
        long planSeed = Seeds.mix(cfg.seed(), cycle, SALT);
        if (seeds.isEmpty()) {
            int count = cycle == 0 ? Math.max(cfg.protocol().cycle0Batch(), h.trajectoriesPerSeed()) : h.trajectoriesPerSeed();
            List<GenerationPlan.Block> blocks = new ArrayList<>();
            long next = 0;
            for (int ci = 0; ci < cfg.compositions().size(); ci++) {
                blocks.add(new GenerationPlan.Block(next, count, cfg.compositions().get(ci).formula(), ci, 1, cfg.pools().training().minSeparationFactor(),
                        cfg.pools().training().volume(), cfg.pools().training().volumeSpread(), "training"));
                next += count;
            }
            return new GenerationPlan(planSeed, blocks);
        }
        int n = cycle == 0 ? Math.max(cfg.protocol().cycle0Batch(), seeds.size()) : seeds.size() * h.trajectoriesPerSeed();
        List<PoolEntry> entries = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            int k = cycle == 0 ? i % seeds.size() : i / h.trajectoriesPerSeed();
            SplittableRandom rng = new SplittableRandom(Seeds.mix(cfg.seed(), cycle, SALT, i));
            Structure s = seeds.get(k);
            if (h.randomOccupancy()) s = randomOccupancy(s, cfg.compositions().get(0), rng);
            if (cycle == 0 && h.rattle() > 0) {
                double[] x = s.positions();
                for (int c = 0; c < x.length; c++) x[c] += h.rattle() * rng.nextGaussian();
                s = s.withPositions(x);
            }
            String what = cycle == 0 ? String.format(java.util.Locale.ROOT, "rattled %.3f A", h.rattle()) : "trajectory " + (i % h.trajectoriesPerSeed());
            entries.add(PoolEntry.of(i, s, "hal seed " + k + " " + s.formula() + " cycle " + cycle + " " + what));
        }
        return new GenerationPlan(planSeed, List.of(GenerationPlan.Block.given(0, "training", entries)));
    }

    @Override
    public boolean freshEachCycle() {
        return true;
    }

    /**
     * {@code s} with its elements reassigned by a seeded shuffle in the proportions of {@code c}: element e gets
     * floor(n x_e) sites, the remaining sites go to the largest fractional parts (ties by symbol).
     */
    static Structure randomOccupancy(Structure s, Composition c, SplittableRandom rng) {
        int n = s.size();
        int total = c.atoms();
        Map<String, Integer> counts = new TreeMap<>();
        List<String> order = new ArrayList<>(new TreeMap<>(c.counts()).keySet());
        int assigned = 0;
        for (String e : order) {
            int k = (int) Math.floor((double) n * c.counts().get(e) / total);
            counts.put(e, k);
            assigned += k;
        }
        List<String> byRemainder = new ArrayList<>(order);
        byRemainder.sort((a, b) -> Double.compare(frac(n, c.counts().get(b), total), frac(n, c.counts().get(a), total)));
        for (int r = 0; assigned < n; r++, assigned++) counts.merge(byRemainder.get(r % byRemainder.size()), 1, Integer::sum);
        int[] z = new int[n];
        int at = 0;
        for (String e : order) for (int j = 0; j < counts.get(e); j++) z[at++] = Elements.bySymbol(e).z();
        for (int i = n - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int t = z[i];
            z[i] = z[j];
            z[j] = t;
        }
        return Structure.of(s.cell(), z, s.positions());
    }

    private static double frac(int n, int count, int total) {
        double x = (double) n * count / total;
        return x - Math.floor(x);
    }
}
