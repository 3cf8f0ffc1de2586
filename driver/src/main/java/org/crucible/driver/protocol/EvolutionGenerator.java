package org.crucible.driver.protocol;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.function.IntFunction;
import java.util.stream.IntStream;
import org.crucible.config.campaign.CampaignConfig;
import org.crucible.core.Structure;
import org.crucible.driver.pool.DoptRelaxStage;
import org.crucible.driver.pool.GenerationPlan;
import org.crucible.driver.pool.Pool;
import org.crucible.driver.pool.PoolEntry;
import org.crucible.driver.pool.PoolSummary;
import org.crucible.driver.pool.Seeds;
import org.crucible.executors.evolution.CoordinateMutation;
import org.crucible.executors.evolution.Heredity;
import org.crucible.executors.evolution.LatticeMutation;
import org.crucible.executors.evolution.Permutation;
import org.crucible.executors.evolution.StructureFingerprint;
import org.crucible.executors.evolution.Variation;
import org.crucible.executors.generators.CandidateRandom;
import org.crucible.executors.generators.Composition;
import org.crucible.executors.generators.GenerationException;
import org.crucible.executors.generators.MinimumSeparation;
import org.crucible.executors.generators.SpaceGroupGenerator;

/**
 * The generator {@code evolution} (USPEX as used by the MTP/USPEX paper, PRB 99, 064114 (2019); Oganov and Glass,
 * J. Chem. Phys. 124, 244704 (2006)): fresh candidates every cycle ({@link #freshEachCycle()}).
 *
 * <ul>
 *   <li>cycle 0: the {@link SpaceGroupPools} plan (random P1 training cells for the first labels, space-group cells), or
 *       with the initial selector {@code pre-exploration} ({@link PreExplorationSelector}) the pre-exploration pool of
 *       {@code evolution.pre_exploration.pool} random P1 cells per composition;</li>
 *   <li>cycle 1, the first generation: {@code evolution.population} cells per composition in space groups drawn at
 *       random among those that can host it, each checked to have exactly the group asked for;</li>
 *   <li>cycle g &gt;= 2: the relaxations of cycle g-1 that broke at gamma_break (continued with the refitted
 *       potential), the {@code stopping.k} best distinct structures so far (elites, re-relaxed), and
 *       {@code population} new candidates: (1 - random_fraction) offspring of the {@code parents} best distinct
 *       finished relaxations of all earlier generations (fitness: enthalpy per atom at 0 GPa, the model energy per atom,
 *       eV/atom; parent i of P drawn with probability proportional to P - i) by heredity, lattice mutation,
 *       permutation (binaries; its weight goes to coordinate mutation for one element) and coordinate mutation in the
 *       ratio of the configured weights, and the rest fresh space-group cells. Offspring within
 *       {@code fingerprint_tolerance} of a parent or of an earlier child ({@link StructureFingerprint}) are dropped.</li>
 *   <li>with {@code evolution.composition} (variable composition of a binary) every generation after the continued
 *       relaxations is made by {@link VariableCompositionGeneration}: one population over all compositions of the
 *       range, fitness the distance above the convex hull of formation enthalpies.</li>
 * </ul>
 *
 * <p>Pure: the plan of cycle g is a function of the configuration, the seed, g and the saved explorer pools of cycles
 * 1..g-1 (read through {@link Generator#plan(int, IntFunction)}), so a resumed campaign regenerates it identically.
 * Offspring are made on the driver (a generation is tens to hundreds of small cells) and shipped with the plan; fresh
 * cells are generated where the pool lives.
 */
public record EvolutionGenerator(CampaignConfig cfg) implements Generator {
    private static final long SALT = 0x45_56_4f_4cL;

    @Override
    public boolean freshEachCycle() {
        return true;
    }

    @Override
    public GenerationPlan plan(int cycle) {
        if (cycle >= 2) throw new IllegalStateException("generation " + cycle + " needs the earlier generations' pools: call plan(cycle, explored)");
        return plan(cycle, k -> {
            throw new IllegalStateException("no earlier pool before cycle 2");
        });
    }

    @Override
    public GenerationPlan plan(int cycle, IntFunction<Pool> explored) {
        if (cycle == 0) return cfg.protocol().stages().get("initial_selector").equals(PreExplorationSelector.NAME) ? preExplorationPool() : new SpaceGroupPools(cfg).plan(0);
        CampaignConfig.Evolution ev = cfg.evolution();
        long seed = Seeds.mix(cfg.seed(), cycle, SALT);
        List<GenerationPlan.Block> blocks = new ArrayList<>();
        long next = 0;
        if (cycle >= 2) {
            List<PoolEntry> continued = continued(explored.apply(cycle - 1));
            if (!continued.isEmpty()) {
                blocks.add(GenerationPlan.Block.given(next, "continued", continued));
                next += continued.size();
            }
        }
        if (ev.variableComposition()) {
            new VariableCompositionGeneration(cfg, this).addBlocks(blocks, next, cycle, seed, explored);
            return new GenerationPlan(seed, blocks);
        }
        for (int ci = 0; ci < cfg.compositions().size(); ci++) {
            Composition comp = Composition.parse(cfg.compositions().get(ci).formula());
            int fresh = ev.population();
            if (cycle >= 2) {
                List<PoolEntry> parents = parents(comp, cycle, explored, Math.max(ev.parents(), cfg.stopping().k()));
                List<PoolEntry> elites = parents.subList(0, Math.min(cfg.stopping().k(), parents.size())).stream()
                        .map(p -> PoolEntry.of(0, p.structure(), "elite " + p.origin())).toList();
                if (!elites.isEmpty()) {
                    blocks.add(GenerationPlan.Block.given(next, "elite", elites));
                    next += elites.size();
                }
                int wanted = (int) Math.round((1 - ev.randomFraction()) * ev.population());
                List<PoolEntry> children = offspring(comp, parents.subList(0, Math.min(ev.parents(), parents.size())), wanted,
                        Seeds.mix(seed, ci), cycle);
                if (!children.isEmpty()) {
                    blocks.add(GenerationPlan.Block.given(next, "offspring", children));
                    next += children.size();
                }
                fresh = ev.population() - children.size();
            }
            for (GenerationPlan.Block b : randomBlocks(comp, ci, fresh, next, new SplittableRandom(Seeds.mix(seed, ci, 1)))) {
                blocks.add(b);
                next += b.count();
            }
        }
        return new GenerationPlan(seed, blocks);
    }

    /**
     * Cycle 0 with pre-exploration: per composition one block of {@code evolution.pre_exploration.pool} random P1
     * cells (label {@code training}; separations and volume of {@code pools.training}), nothing else.
     */
    private GenerationPlan preExplorationPool() {
        CampaignConfig.TrainingPool tp = cfg.pools().training();
        int n = cfg.evolution().preExploration().pool();
        List<GenerationPlan.Block> blocks = new ArrayList<>();
        for (int ci = 0; ci < cfg.compositions().size(); ci++) {
            blocks.add(new GenerationPlan.Block((long) ci * n, n, cfg.compositions().get(ci).formula(), ci, 1, tp.minSeparationFactor(), tp.volume(),
                    tp.volumeSpread(), "training"));
        }
        return new GenerationPlan(cfg.seed(), blocks);
    }

    /** The relaxations of the previous cycle that stopped at gamma_break, as fresh entries from where they stopped. */
    private List<PoolEntry> continued(Pool previous) {
        List<Long> ids = previous.summaries().stream().filter(s -> s.status().equals(DoptRelaxStage.BROKEN) && Double.isFinite(s.energy()))
                .map(PoolSummary::id).toList();
        return previous.fetch(ids).stream().map(e -> PoolEntry.of(0, e.structure(), "continued " + e.origin())).toList();
    }

    /** Finished relaxations of {@code comp} over cycles 1..cycle-1, lowest enthalpy per atom first, distinct by fingerprint. */
    private List<PoolEntry> parents(Composition comp, int cycle, IntFunction<Pool> explored, int count) {
        record Row(int cycle, PoolSummary s) {
        }
        List<Row> rows = new ArrayList<>();
        Map<Integer, Pool> pools = new TreeMap<>();
        for (int k = 1; k < cycle; k++) {
            Pool p = explored.apply(k);
            pools.put(k, p);
            for (PoolSummary s : p.summaries()) if (finished(s)) rows.add(new Row(k, s));
        }
        rows.sort(Comparator.comparingDouble((Row r) -> r.s().energyPerAtom()).thenComparingInt(Row::cycle).thenComparingLong(r -> r.s().id()));
        StructureFingerprint fp = StructureFingerprint.DEFAULT;
        List<PoolEntry> out = new ArrayList<>();
        List<StructureFingerprint.Vector> seen = new ArrayList<>();
        int from = 0;
        int chunk = Math.max(8, 2 * count);
        while (out.size() < count && from < rows.size()) {
            List<Row> part = rows.subList(from, Math.min(rows.size(), from + chunk));
            from += part.size();
            Map<Integer, List<Long>> byCycle = new TreeMap<>();
            for (Row r : part) byCycle.computeIfAbsent(r.cycle(), k -> new ArrayList<>()).add(r.s().id());
            Map<String, PoolEntry> fetched = new TreeMap<>();
            byCycle.forEach((k, ids) -> pools.get(k).fetch(ids).forEach(e -> fetched.put(k + ":" + e.id(), e)));
            for (Row r : part) {
                PoolEntry e = fetched.get(r.cycle() + ":" + r.s().id());
                if (e == null || !sameCounts(e.structure(), comp)) continue;
                StructureFingerprint.Vector v = fp.of(e.structure());
                if (seen.stream().anyMatch(o -> o.distance(v) < cfg.evolution().fingerprintTolerance())) continue;
                seen.add(v);
                out.add(e);
                if (out.size() == count) break;
            }
        }
        return out;
    }

    private static boolean sameCounts(Structure s, Composition comp) {
        return new TreeMap<>(s.composition()).equals(new TreeMap<>(comp.counts()));
    }

    static boolean finished(PoolSummary s) {
        return Double.isFinite(s.energy()) && (s.status().equals("converged") || s.status().equals("max_steps") || s.status().equals("patience"));
    }

    /** Up to {@code wanted} distinct children of {@code parents} (ranked best first), all of composition {@code comp}. */
    private List<PoolEntry> offspring(Composition comp, List<PoolEntry> parents, int wanted, long seed, int cycle) {
        if (parents.isEmpty() || wanted == 0) return List.of();
        CampaignConfig.Evolution ev = cfg.evolution();
        MinimumSeparation d = MinimumSeparation.scaled(cfg.pools().search().minSeparationFactor());
        boolean binary = comp.symbols().size() > 1;
        double wH = parents.size() > 1 ? ev.heredity() : 0, wL = ev.latticeMutation(), wP = binary ? ev.permutation() : 0;
        double wC = ev.coordinateMutation() + (binary ? 0 : ev.permutation());
        if (wH + wL + wP + wC <= 0) wL = 1;
        String[] names = {"heredity", "lattice-mutation", "permutation", "coordinate-mutation"};
        Variation[] ops = {new Heredity(comp, d, 100), new LatticeMutation(ev.latticeSigma(), true, d, 100), new Permutation(1, d, 50),
                new CoordinateMutation(ev.coordinateSigma(), d, 100)};
        return offspring(ev, parents, wanted, seed, cycle, names, new double[] {wH, wL, wP, wC}, p -> ops, (a, b) -> true);
    }

    /**
     * Up to {@code wanted} distinct children of {@code parents} (ranked best first): operator k drawn with probability
     * proportional to {@code w[k]} (weights 0 are never drawn), parents by rank ({@link #rankedPick}); a two-parent
     * operator takes a second parent that is {@code partners}-compatible with the first (an attempt whose first parent
     * has none is skipped). {@code opsFor} gives the operators for the first parent's structure. Children within the
     * fingerprint tolerance of a parent or an earlier child are dropped.
     */
    static List<PoolEntry> offspring(CampaignConfig.Evolution ev, List<PoolEntry> parents, int wanted, long seed, int cycle, String[] names, double[] w,
                                     java.util.function.Function<Structure, Variation[]> opsFor, java.util.function.BiPredicate<Structure, Structure> partners) {
        if (parents.isEmpty() || wanted == 0) return List.of();
        double total = 0;
        for (double x : w) total += x;
        StructureFingerprint fp = StructureFingerprint.DEFAULT;
        List<StructureFingerprint.Vector> seen = new ArrayList<>();
        for (PoolEntry p : parents) seen.add(fp.of(p.structure()));
        List<PoolEntry> out = new ArrayList<>();
        int n = parents.size();
        double rankTotal = n * (n + 1) / 2.0;
        for (int attempt = 0; out.size() < wanted && attempt < 10 * wanted; attempt++) {
            SplittableRandom rng = CandidateRandom.of(seed, attempt);
            double u = rng.nextDouble() * total;
            int op = 0;
            while (op < w.length - 1 && u >= w[op]) u -= w[op++];
            while (w[op] == 0) op = (op + 1) % w.length;
            int a = rankedPick(rng, n, rankTotal), b = a;
            Variation[] ops = opsFor.apply(parents.get(a).structure());
            if (ops[op].parents() == 2) {
                final int first = a;
                if (IntStream.range(0, n).noneMatch(i -> i != first && partners.test(parents.get(first).structure(), parents.get(i).structure()))) continue;
                while (b == a || !partners.test(parents.get(a).structure(), parents.get(b).structure())) b = rankedPick(rng, n, rankTotal);
            }
            Structure[] ps = ops[op].parents() == 2 ? new Structure[] {parents.get(a).structure(), parents.get(b).structure()}
                    : new Structure[] {parents.get(a).structure()};
            Structure child;
            try {
                child = ops[op].apply(ps, rng);
            } catch (GenerationException e) {
                continue;
            }
            StructureFingerprint.Vector v = fp.of(child);
            if (seen.stream().anyMatch(o -> o.distance(v) < ev.fingerprintTolerance())) continue;
            seen.add(v);
            out.add(PoolEntry.of(0, child.withInfo(Map.of()), "offspring " + names[op] + " cycle=" + cycle + " attempt=" + attempt + " parents=" + a
                    + (ops[op].parents() == 2 ? "," + b : "")));
        }
        return out;
    }

    /** Rank i of n (0 best) with probability (n - i) / (n (n + 1) / 2). */
    static int rankedPick(SplittableRandom rng, int n, double rankTotal) {
        double u = rng.nextDouble() * rankTotal;
        for (int i = 0; i < n; i++) {
            u -= n - i;
            if (u < 0) return i;
        }
        return n - 1;
    }

    /** {@code count} fresh cells of exactly their space group, groups drawn uniformly among those that can host the composition. */
    List<GenerationPlan.Block> randomBlocks(Composition comp, int ci, int count, long firstId, SplittableRandom rng) {
        if (count <= 0) return List.of();
        CampaignConfig.SearchPool sp = cfg.pools().search();
        List<Integer> candidates = sp.spaceGroups().isEmpty() ? IntStream.rangeClosed(1, 230).boxed().toList() : sp.spaceGroups();
        List<Integer> groups = candidates.stream().filter(g -> SpaceGroupGenerator.canHost(g, comp)).toList();
        if (groups.isEmpty()) groups = List.of(1);
        TreeMap<Integer, Integer> perGroup = new TreeMap<>();
        for (int i = 0; i < count; i++) perGroup.merge(groups.get(rng.nextInt(groups.size())), 1, Integer::sum);
        List<GenerationPlan.Block> out = new ArrayList<>();
        long next = firstId;
        for (var e : perGroup.entrySet()) {
            out.add(GenerationPlan.Block.exactGroup(next, e.getValue(), comp.formula(), ci, e.getKey(), sp.minSeparationFactor(), sp.volume(),
                    sp.volumeSpread(), "random"));
            next += e.getValue();
        }
        return out;
    }
}
