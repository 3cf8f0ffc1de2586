package org.crucible.executors.generators;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.crucible.core.Cell;
import org.crucible.core.Elements;
import org.crucible.core.Structure;
import org.crucible.executors.symmetry.CellTransforms;
import org.crucible.executors.symmetry.SpaceGroup;
import org.crucible.executors.symmetry.SpaceGroupFinder;
import org.crucible.executors.symmetry.SpaceGroups;

/**
 * Random crystals of a given space group, as PyXtal/CrySPY build them (used for the pools of the NN-ensemble
 * paper): the composition counts atoms in the conventional cell (Si8 in Fd-3m is diamond's cubic cell); Wyckoff
 * positions meeting it exactly are drawn ({@link WyckoffAssignment}), a lattice of the group's crystal system at
 * the model volume ({@link LatticeSampler}, {@link VolumeModel}), and random free parameters for each orbit until
 * every pair is at least its minimum separation apart ({@link MinimumSeparation}). Output is the conventional
 * cell, or the primitive one on request.
 *
 * <p>Each candidate gets {@code maxAttempts} fresh (Wyckoff choice, lattice, placement) attempts with
 * {@code triesPerSite} draws of free parameters per orbit; then a {@link GenerationException} says which
 * constraint failed. An impossible composition is rejected at construction.
 *
 * <pre>{@code
 * var g = new SpaceGroupGenerator(SpaceGroupGenerator.Settings.of(Composition.parse("Si8"), 227));
 * Structure diamond = g.generate(1L, 0L);   // info: spacegroup=227, wyckoff="Si:8a"
 * }</pre>
 */
public final class SpaceGroupGenerator implements CandidateGenerator {
    /**
     * @param composition  atoms in the conventional cell
     * @param spaceGroup   International Tables number, 1..230
     * @param volume       volume model (coefficient times r^3 per atom and its spread)
     * @param separation   minimum separations
     * @param lattice      lattice sampler with length bounds
     * @param primitive    write the primitive cell instead of the conventional one
     * @param maxAttempts  attempts per candidate before failing (>= 1)
     * @param triesPerSite free-parameter draws per orbit within one attempt (>= 1)
     * @param minDof       use only Wyckoff positions with at least this many free parameters (0: all; 3: general
     *                     positions only, which keeps a structure from gaining symmetry through fixed sites)
     * @param exact        accept a candidate only when {@link SpaceGroupFinder} (1e-3 Angstrom) finds exactly the
     *                     requested group, not a supergroup; otherwise it counts as a failed attempt
     */
    public record Settings(Composition composition, int spaceGroup, VolumeModel volume, MinimumSeparation separation,
                           LatticeSampler lattice, boolean primitive, int maxAttempts, int triesPerSite,
                           int minDof, boolean exact) {
        public Settings {
            if (composition == null) throw new IllegalArgumentException("composition is required");
            if (spaceGroup < 1 || spaceGroup > 230) throw new IllegalArgumentException("space group must be 1..230, got " + spaceGroup);
            if (maxAttempts < 1 || triesPerSite < 1) throw new IllegalArgumentException("attempt counts must be >= 1");
            if (minDof < 0 || minDof > 3) throw new IllegalArgumentException("minimum degrees of freedom must be 0..3, got " + minDof);
        }

        /** Covalent narrow volume, 1.8 r separations, default lattice bounds, conventional cell. */
        public static Settings of(Composition composition, int spaceGroup) {
            return new Settings(composition, spaceGroup, VolumeModel.covalent(), MinimumSeparation.scaled(MinimumSeparation.DEFAULT_FACTOR),
                    LatticeSampler.DEFAULT, false, 200, 40, 0, false);
        }

        public Settings withPrimitive(boolean p) {
            return new Settings(composition, spaceGroup, volume, separation, lattice, p, maxAttempts, triesPerSite, minDof, exact);
        }

        public Settings withVolume(VolumeModel v) {
            return new Settings(composition, spaceGroup, v, separation, lattice, primitive, maxAttempts, triesPerSite, minDof, exact);
        }

        public Settings withSeparation(MinimumSeparation s) {
            return new Settings(composition, spaceGroup, volume, s, lattice, primitive, maxAttempts, triesPerSite, minDof, exact);
        }

        public Settings withLattice(LatticeSampler l) {
            return new Settings(composition, spaceGroup, volume, separation, l, primitive, maxAttempts, triesPerSite, minDof, exact);
        }

        public Settings withMinDegreesOfFreedom(int d) {
            return new Settings(composition, spaceGroup, volume, separation, lattice, primitive, maxAttempts, triesPerSite, d, exact);
        }

        public Settings withExactGroup(boolean e) {
            return new Settings(composition, spaceGroup, volume, separation, lattice, primitive, maxAttempts, triesPerSite, minDof, e);
        }

        public Settings withAttempts(int attempts, int perSite) {
            return new Settings(composition, spaceGroup, volume, separation, lattice, primitive, attempts, perSite, minDof, exact);
        }
    }

    private final Settings settings;
    private final SpaceGroup group;
    private final int[] z;
    private final int[] counts;
    private final double[][] dmin;

    /** @throws GenerationException (COMPOSITION) when the group cannot host the composition */
    public SpaceGroupGenerator(Settings settings) {
        this.settings = settings;
        this.group = SpaceGroups.byNumber(settings.spaceGroup());
        this.counts = settings.composition().countArray();
        this.z = settings.composition().symbols().stream().mapToInt(s -> Elements.bySymbol(s).z()).toArray();
        this.dmin = settings.separation().table(z);
        if (!WyckoffAssignment.feasible(group, counts, settings.minDof())) {
            throw new GenerationException(GenerationException.Constraint.COMPOSITION, "space group " + group.number() + " ("
                    + group.symbol() + ") cannot host " + settings.composition().formula() + " in its conventional cell: "
                    + "no sum of its Wyckoff multiplicities " + multiplicities(group) + " (fixed points used once"
                    + (settings.minDof() > 0 ? ", at least " + settings.minDof() + " free parameters" : "") + ") gives the counts");
        }
    }

    /** True when space group {@code number} can host the composition exactly in its conventional cell. */
    public static boolean canHost(int number, Composition composition) {
        return WyckoffAssignment.feasible(SpaceGroups.byNumber(number), composition.countArray());
    }

    /** As {@link #canHost(int, Composition)} with Wyckoff positions of at least {@code minDof} free parameters. */
    public static boolean canHost(int number, Composition composition, int minDof) {
        return WyckoffAssignment.feasible(SpaceGroups.byNumber(number), composition.countArray(), minDof);
    }

    public SpaceGroup group() {
        return group;
    }

    @Override
    public Structure generate(long seed, long index) {
        SplittableRandom rng = CandidateRandom.of(seed, index);
        Map<String, Object> info = new LinkedHashMap<>();
        info.put("generator", "spacegroup");
        info.put("seed", org.crucible.core.io.SeedInfo.value(seed));
        info.put("candidate", index);
        Structure s = build(group, settings.composition(), z, counts, dmin, settings.volume(), settings.lattice(),
                settings.maxAttempts(), settings.triesPerSite(), settings.minDof(), settings.exact(), rng, info);
        return settings.primitive() ? CellTransforms.toPrimitive(s, group.centring(), 1e-3) : s;
    }

    /** Shared by the random-cell generator: one structure of group g or a GenerationException. */
    static Structure build(SpaceGroup g, Composition comp, int[] z, int[] counts, double[][] dmin, VolumeModel volume,
                           LatticeSampler sampler, int maxAttempts, int triesPerSite, int minDof, boolean exact, SplittableRandom rng,
                           Map<String, Object> info) {
        int latticeMiss = 0, placementMiss = 0, wyckoffMiss = 0, symmetryMiss = 0;
        java.util.TreeSet<Integer> foundInstead = new java.util.TreeSet<>();
        double lastVolume = Double.NaN;
        for (int attempt = 0; attempt < maxAttempts; attempt++) {
            List<WyckoffAssignment.Site> sites = WyckoffAssignment.choose(g, counts, minDof, rng);
            if (sites == null) {
                wyckoffMiss++;
                continue;
            }
            double v = volume.sample(comp, rng);
            lastVolume = v;
            Cell cell = sampler.sample(g.system(), v, rng);
            if (cell == null) {
                latticeMiss++;
                continue;
            }
            SymmetricPlacement.Placed p = SymmetricPlacement.place(g, sites, cell, dmin, rng, triesPerSite);
            if (p == null) {
                placementMiss++;
                continue;
            }
            int[] zs = new int[p.species().length];
            for (int i = 0; i < zs.length; i++) zs[i] = z[p.species()[i]];
            Map<String, Object> inf = new LinkedHashMap<>(info);
            inf.put("spacegroup", g.number());
            inf.put("wyckoff", describe(sites, comp));
            Structure made = Structure.of(cell, zs, cell.toCartesianAll(p.fractional()), inf, null);
            if (exact) {
                int found = SpaceGroupFinder.find(made, 1e-3).number();
                if (found != g.number()) {
                    symmetryMiss++;
                    foundInstead.add(found);
                    continue;
                }
            }
            return made;
        }
        if (symmetryMiss > 0 && symmetryMiss >= placementMiss && symmetryMiss >= latticeMiss) {
            throw new GenerationException(GenerationException.Constraint.EXACT_GROUP, comp.formula() + " in space group " + g.number()
                    + " (" + g.symbol() + "): " + symmetryMiss + " of " + maxAttempts + " attempts had the symmetry of another group "
                    + foundInstead + " (the Wyckoff positions that fit this composition are orbits of a supergroup too)");
        }
        if (wyckoffMiss == maxAttempts) {
            throw new GenerationException(GenerationException.Constraint.COMPOSITION, "no Wyckoff assignment for "
                    + comp.formula() + " in space group " + g.number() + " found within the search budget");
        }
        if (latticeMiss > placementMiss) {
            throw new GenerationException(GenerationException.Constraint.LATTICE_BOUNDS, "no " + g.system().name().toLowerCase()
                    + " lattice with lengths in [" + sampler.minLength() + ", " + sampler.maxLength() + "] Angstrom at about "
                    + String.format("%.1f", volume.centre(comp)) + " Angstrom^3 in " + maxAttempts + " attempts (" + comp.formula()
                    + ", space group " + g.number() + ")");
        }
        throw new GenerationException(GenerationException.Constraint.MINIMUM_SEPARATION, "could not keep every pair of "
                + comp.formula() + " (space group " + g.number() + ") at its minimum separation (e.g. " + String.format("%.2f", dmin[0][0])
                + " Angstrom for " + comp.symbols().get(0) + "-" + comp.symbols().get(0) + ") at volume about "
                + String.format("%.1f", Double.isNaN(lastVolume) ? volume.centre(comp) : lastVolume) + " Angstrom^3: "
                + placementMiss + " placements failed after " + triesPerSite + " draws per orbit, " + latticeMiss
                + " lattices missed the bounds, in " + maxAttempts + " attempts");
    }

    static String describe(List<WyckoffAssignment.Site> sites, Composition comp) {
        StringBuilder sb = new StringBuilder();
        List<String> sym = comp.symbols();
        for (WyckoffAssignment.Site s : sites) {
            if (!sb.isEmpty()) sb.append(' ');
            sb.append(sym.get(s.species())).append(':').append(s.wyckoff().label());
        }
        return sb.toString();
    }

    private static String multiplicities(SpaceGroup g) {
        StringBuilder sb = new StringBuilder("[");
        g.wyckoff().forEach(w -> sb.append(sb.length() > 1 ? " " : "").append(w.label()));
        return sb.append(']').toString();
    }
}
