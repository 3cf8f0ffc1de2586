package org.crucible.driver.protocol;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.function.IntFunction;
import org.crucible.config.campaign.CampaignConfig;
import org.crucible.core.Structure;
import org.crucible.driver.pool.GenerationPlan;
import org.crucible.driver.pool.Pool;
import org.crucible.driver.pool.PoolEntry;
import org.crucible.driver.pool.PoolSummary;
import org.crucible.driver.pool.Seeds;
import org.crucible.executors.evolution.AtomCountMutation;
import org.crucible.executors.evolution.BinaryRange;
import org.crucible.executors.evolution.CoordinateMutation;
import org.crucible.executors.evolution.Heredity;
import org.crucible.executors.evolution.LatticeMutation;
import org.crucible.executors.evolution.Permutation;
import org.crucible.executors.evolution.Transmutation;
import org.crucible.executors.evolution.Variation;
import org.crucible.executors.generators.Composition;
import org.crucible.executors.generators.MinimumSeparation;

/**
 * A generation of the variable-composition evolutionary search of a binary A-B ({@code evolution.composition}; USPEX,
 * Lyakhov et al., Comput. Phys. Commun. 184, 1172 (2013)). One population over every composition of the
 * {@link BinaryRange}:
 * <ul>
 *   <li>fitness: the distance above the convex hull of formation enthalpies ({@link HullRanking#rankGenerations}; the
 *       model enthalpy per atom at 0 GPa of the finished relaxations of all earlier generations, eV/atom, each against the
 *       lowest pure-A and pure-B enthalpies of its own generation, relaxed with the same potential); while no pure A or
 *       no pure B relaxation has finished, the enthalpy per atom;</li>
 *   <li>elites: the {@code stopping.k} best by hull distance and the lowest pure A and pure B (the references), re-relaxed;</li>
 *   <li>offspring: {@code (1 - random_fraction) x population} children of the {@code parents} best by heredity (two
 *       parents of the same composition), lattice mutation, permutation (parents holding both elements), coordinate
 *       mutation, transmutation and adding or removing one atom (the last two change the stoichiometry within the
 *       range), in the ratio of the configured weights;</li>
 *   <li>fresh cells: the rest, each of a composition drawn uniformly among those of the range, in a space group drawn
 *       uniformly among those that can host it (exact group). Generation 1, and any generation whose history lacks a
 *       finished pure-A or pure-B relaxation, starts with {@link #ENDS} random P1 cells of each elemental end allowed by the
 *       range (at its smallest allowed atom count), so the formation enthalpies have their references.</li>
 * </ul>
 * Pure like {@link EvolutionGenerator}: a function of the configuration, the seed, the cycle and the saved pools.
 * Scale: the finished relaxations of earlier generations are fetched to the driver (population x generations small
 * cells).
 */
final class VariableCompositionGeneration {
    /** Random cells of each elemental end while the hull has no reference for it. */
    static final int ENDS = 2;

    private final CampaignConfig cfg;
    private final EvolutionGenerator fixed;
    private final BinaryRange range;

    VariableCompositionGeneration(CampaignConfig cfg, EvolutionGenerator fixed) {
        this.cfg = cfg;
        this.fixed = fixed;
        this.range = HullRanking.range(cfg);
    }

    /** Appends the blocks of generation {@code cycle} >= 1 from id {@code next} on; returns the next free id. */
    long addBlocks(List<GenerationPlan.Block> blocks, long next, int cycle, long seed, IntFunction<Pool> explored) {
        CampaignConfig.Evolution ev = cfg.evolution();
        int fresh = ev.population();
        boolean needEnds = true;
        if (cycle >= 2) {
            List<List<PoolEntry>> generations = history(cycle, explored);
            List<PoolEntry> history = generations.stream().flatMap(List::stream).toList();
            List<HullRanking.Ranked> ranked = HullRanking.rankGenerations(generations, range, ev.fingerprintTolerance()).orElse(List.of());
            needEnds = ranked.isEmpty();
            // without both elemental references there is no formation enthalpy: rank by enthalpy per atom until there is
            List<PoolEntry> parents = needEnds
                    ? history.stream().sorted(java.util.Comparator.comparingDouble(PoolEntry::energyPerAtom).thenComparingLong(PoolEntry::id))
                            .limit(Math.max(ev.parents(), cfg.stopping().k())).toList()
                    : ranked.stream().limit(Math.max(ev.parents(), cfg.stopping().k())).map(HullRanking.Ranked::entry).toList();
            List<PoolEntry> best = new ArrayList<>(parents.subList(0, Math.min(cfg.stopping().k(), parents.size())));
            // the elemental references stay in every generation, so each generation's hull has both ends
            for (double end : new double[] {0, 1}) {
                ranked.stream().filter(r -> r.x() == end).findFirst().map(HullRanking.Ranked::entry).filter(e -> !best.contains(e)).ifPresent(best::add);
            }
            List<PoolEntry> elites = best.stream().map(p -> PoolEntry.of(0, p.structure(), "elite " + p.origin())).toList();
            if (!elites.isEmpty()) {
                blocks.add(GenerationPlan.Block.given(next, "elite", elites));
                next += elites.size();
            }
            int wanted = (int) Math.round((1 - ev.randomFraction()) * ev.population());
            List<PoolEntry> children = offspring(parents.subList(0, Math.min(ev.parents(), parents.size())), wanted, Seeds.mix(seed, 0), cycle);
            if (!children.isEmpty()) {
                blocks.add(GenerationPlan.Block.given(next, "offspring", children));
                next += children.size();
            }
            fresh = ev.population() - children.size();
        }
        SplittableRandom rng = new SplittableRandom(Seeds.mix(seed, 0, 1));
        List<int[]> all = range.compositions();
        int[] perComposition = new int[all.size()];
        if (needEnds) {
            // ENDS random P1 cells of each elemental end at its smallest allowed size, without the exact-group check (a
            // cell of two like atoms always has an inversion centre, so an exact P1 cell of it does not exist)
            CampaignConfig.SearchPool sp = cfg.pools().search();
            for (int i = 0; i < all.size() && fresh > 0; i++) {
                int[] ab = all.get(i);
                boolean end = ab[1] == 0 || ab[0] == 0;
                boolean smallest = all.subList(0, i).stream().noneMatch(o -> (o[1] == 0) == (ab[1] == 0) && (o[0] == 0) == (ab[0] == 0));
                if (end && smallest) {
                    int n = Math.min(ENDS, fresh);
                    blocks.add(new GenerationPlan.Block(next, n, range.formula(ab[0], ab[1]), 2000 + i, 1, sp.minSeparationFactor(), sp.volume(),
                            sp.volumeSpread(), "random"));
                    next += n;
                    fresh -= n;
                }
            }
        }
        for (int i = 0; i < fresh; i++) perComposition[rng.nextInt(all.size())]++;
        for (int i = 0; i < all.size(); i++) {
            if (perComposition[i] == 0) continue;
            Composition comp = Composition.parse(range.formula(all.get(i)[0], all.get(i)[1]));
            for (GenerationPlan.Block b : fixed.randomBlocks(comp, 1000 + i, perComposition[i], next, new SplittableRandom(Seeds.mix(seed, 1000 + i, 1)))) {
                blocks.add(b);
                next += b.count();
            }
        }
        return next;
    }

    /** The finished relaxations of cycles 1..cycle-1, one list per cycle (each relaxed with that cycle's potential). */
    private static List<List<PoolEntry>> history(int cycle, IntFunction<Pool> explored) {
        List<List<PoolEntry>> out = new ArrayList<>();
        for (int k = 1; k < cycle; k++) {
            Pool p = explored.apply(k);
            List<Long> ids = p.summaries().stream().filter(EvolutionGenerator::finished).map(PoolSummary::id).toList();
            out.add(ids.isEmpty() ? List.of() : p.fetch(ids));
        }
        return out;
    }

    private List<PoolEntry> offspring(List<PoolEntry> parents, int wanted, long seed, int cycle) {
        CampaignConfig.Evolution ev = cfg.evolution();
        CampaignConfig.VariableComposition vc = ev.composition();
        MinimumSeparation d = MinimumSeparation.scaled(cfg.pools().search().minSeparationFactor());
        double wH = parents.size() > 1 ? ev.heredity() : 0;
        double[] w = {wH, ev.latticeMutation(), ev.permutation(), ev.coordinateMutation(), vc.transmutation(), vc.addRemove()};
        double sum = 0;
        for (double x : w) sum += x;
        if (sum <= 0) w[1] = 1;
        String[] names = {"heredity", "lattice-mutation", "permutation", "coordinate-mutation", "transmutation", "add-remove"};
        Variation lattice = new LatticeMutation(ev.latticeSigma(), true, d, 100);
        Variation coordinate = new CoordinateMutation(ev.coordinateSigma(), d, 100);
        Variation transmutation = new Transmutation(range, d, 100);
        Variation addRemove = new AtomCountMutation(range, d, 100);
        Map<String, Variation[]> byFormula = new TreeMap<>();
        return EvolutionGenerator.offspring(ev, parents, wanted, seed, cycle, names, w, s -> byFormula.computeIfAbsent(s.formula(), f -> {
            Composition comp = Composition.parse(f);
            // permutation of a one-element parent cannot swap anything: coordinate mutation instead
            Variation permutation = comp.symbols().size() > 1 ? new Permutation(1, d, 50) : coordinate;
            return new Variation[] {new Heredity(comp, d, 100), lattice, permutation, coordinate, transmutation, addRemove};
        }), VariableCompositionGeneration::sameCounts);
    }

    private static boolean sameCounts(Structure a, Structure b) {
        return new TreeMap<>(a.composition()).equals(new TreeMap<>(b.composition()));
    }
}
