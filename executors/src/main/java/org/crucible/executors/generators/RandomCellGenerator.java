package org.crucible.executors.generators;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import org.crucible.core.Elements;
import org.crucible.core.Structure;
import org.crucible.executors.symmetry.SpaceGroup;
import org.crucible.executors.symmetry.SpaceGroups;

/**
 * AIRSS-style random cells as in the GAP-RSS Methods (Bernstein, Csanyi and Deringer, npj Comput. Mater. 5, 99
 * (2019); Pickard and Needs, J. Phys.: Condens. Matter 23, 053201 (2011)):
 * <ul>
 *   <li>a composition times a number of formula units drawn from [fuMin, fuMax]; where the atom count varies,
 *       an even count is chosen with probability 0.8 and an odd one with 0.2 (when the range has both);</li>
 *   <li>k random symmetry operations, k uniform over the achievable values in [opsMin, opsMax] (1-8 by default):
 *       a random space group whose conventional cell has exactly k operations and can host the composition,
 *       atoms generated on its Wyckoff positions ({@link SpaceGroupGenerator});</li>
 *   <li>volume N k_V r^3 U(1 -+ spread) with k_V = 14.5 (covalent) or 5.5 (metallic) ({@link VolumeModel});</li>
 *   <li>minimum separations 1.8 r or per pair ({@link MinimumSeparation}), lattice lengths in [l_min, l_max];</li>
 *   <li>Niggli-reduced output, and a pressure drawn from GAP-RSS eq. 6 ({@link PressureDistribution}) in the
 *       info key {@code pressure_GPa} for the relaxation.</li>
 * </ul>
 *
 * <pre>{@code
 * var g = new RandomCellGenerator(RandomCellGenerator.Settings.of(Composition.parse("Si"), 16, 16));
 * Structure s = g.generate(42L, 0L);   // info: generator=random, spacegroup, symmetry_ops, pressure_GPa, ...
 * }</pre>
 */
public final class RandomCellGenerator implements CandidateGenerator {
    /**
     * @param formulaUnit   the formula unit (e.g. Si, NaCl, Al2O3)
     * @param fuMin         smallest number of formula units (>= 1)
     * @param fuMax         largest number of formula units (>= fuMin)
     * @param opsMin        fewest symmetry operations (>= 1)
     * @param opsMax        most symmetry operations (>= opsMin)
     * @param volume        volume model
     * @param separation    minimum separations
     * @param lattice       lattice sampler (length bounds)
     * @param pressure      pressure distribution, or null for none
     * @param evenFraction  probability of an even atom count when the count varies (GAP-RSS: 0.8)
     * @param maxAttempts   attempts per candidate (each may pick another group)
     * @param triesPerSite  free-parameter draws per orbit per attempt
     */
    public record Settings(Composition formulaUnit, int fuMin, int fuMax, int opsMin, int opsMax, VolumeModel volume,
                           MinimumSeparation separation, LatticeSampler lattice, PressureDistribution pressure,
                           double evenFraction, int maxAttempts, int triesPerSite) {
        public Settings {
            if (formulaUnit == null) throw new IllegalArgumentException("formula unit is required");
            if (fuMin < 1 || fuMax < fuMin) throw new IllegalArgumentException("formula units need 1 <= min <= max, got " + fuMin + ".." + fuMax);
            if (opsMin < 1 || opsMax < opsMin) throw new IllegalArgumentException("symmetry operations need 1 <= min <= max, got " + opsMin + ".." + opsMax);
            if (!(evenFraction >= 0 && evenFraction <= 1)) throw new IllegalArgumentException("even fraction must be in [0, 1], got " + evenFraction);
            if (maxAttempts < 1 || triesPerSite < 1) throw new IllegalArgumentException("attempt counts must be >= 1");
        }

        /** GAP-RSS defaults: 1-8 operations, covalent narrow volume, 1.8 r, pressure eq. 6, 80 % even counts. */
        public static Settings of(Composition formulaUnit, int fuMin, int fuMax) {
            return new Settings(formulaUnit, fuMin, fuMax, 1, 8, VolumeModel.covalent(),
                    MinimumSeparation.scaled(MinimumSeparation.DEFAULT_FACTOR), LatticeSampler.DEFAULT,
                    PressureDistribution.GAP_RSS, 0.8, 100, 40);
        }

        public Settings withOps(int min, int max) {
            return new Settings(formulaUnit, fuMin, fuMax, min, max, volume, separation, lattice, pressure, evenFraction, maxAttempts, triesPerSite);
        }

        public Settings withVolume(VolumeModel v) {
            return new Settings(formulaUnit, fuMin, fuMax, opsMin, opsMax, v, separation, lattice, pressure, evenFraction, maxAttempts, triesPerSite);
        }

        public Settings withSeparation(MinimumSeparation s) {
            return new Settings(formulaUnit, fuMin, fuMax, opsMin, opsMax, volume, s, lattice, pressure, evenFraction, maxAttempts, triesPerSite);
        }

        public Settings withLattice(LatticeSampler l) {
            return new Settings(formulaUnit, fuMin, fuMax, opsMin, opsMax, volume, separation, l, pressure, evenFraction, maxAttempts, triesPerSite);
        }

        public Settings withPressure(PressureDistribution p) {
            return new Settings(formulaUnit, fuMin, fuMax, opsMin, opsMax, volume, separation, lattice, p, evenFraction, maxAttempts, triesPerSite);
        }

        public Settings withAttempts(int attempts, int perSite) {
            return new Settings(formulaUnit, fuMin, fuMax, opsMin, opsMax, volume, separation, lattice, pressure, evenFraction, attempts, perSite);
        }
    }

    private final Settings settings;
    private final int[] z;
    private final double[][] dmin;
    private final Map<String, List<SpaceGroup>> hosts = new ConcurrentHashMap<>();

    public RandomCellGenerator(Settings settings) {
        this.settings = settings;
        this.z = settings.formulaUnit().symbols().stream().mapToInt(s -> Elements.bySymbol(s).z()).toArray();
        this.dmin = settings.separation().table(z);
        boolean any = false;
        for (int fu = settings.fuMin(); fu <= settings.fuMax() && !any; fu++) {
            any = !hostsFor(settings.formulaUnit().times(fu)).isEmpty();
        }
        if (!any) {
            throw new GenerationException(GenerationException.Constraint.SPECIFICATION, "no space group with "
                    + settings.opsMin() + ".." + settings.opsMax() + " operations can host " + settings.formulaUnit().formula()
                    + " x " + settings.fuMin() + ".." + settings.fuMax());
        }
    }

    @Override
    public Structure generate(long seed, long index) {
        SplittableRandom rng = CandidateRandom.of(seed, index);
        Composition comp = settings.formulaUnit().times(formulaUnits(rng));
        List<SpaceGroup> groups = hostsFor(comp);
        if (groups.isEmpty()) {
            throw new GenerationException(GenerationException.Constraint.COMPOSITION, "no space group with " + settings.opsMin()
                    + ".." + settings.opsMax() + " operations can host " + comp.formula());
        }
        // group by operation count so that k is uniform over the achievable counts, then the group uniform within k
        Map<Integer, List<SpaceGroup>> byOps = new LinkedHashMap<>();
        for (SpaceGroup g : groups) byOps.computeIfAbsent(g.order(), k -> new ArrayList<>()).add(g);
        List<Integer> ks = new ArrayList<>(byOps.keySet());
        int k = ks.get(rng.nextInt(ks.size()));
        List<SpaceGroup> withK = byOps.get(k);
        SpaceGroup g = withK.get(rng.nextInt(withK.size()));
        Map<String, Object> info = new LinkedHashMap<>();
        info.put("generator", "random");
        info.put("seed", org.crucible.core.io.SeedInfo.value(seed));
        info.put("candidate", index);
        info.put("symmetry_ops", k);
        if (settings.pressure() != null) info.put("pressure_GPa", settings.pressure().sampleGPa(rng));
        Structure s = SpaceGroupGenerator.build(g, comp, z, comp.countArray(), dmin, settings.volume(), settings.lattice(),
                settings.maxAttempts(), settings.triesPerSite(), 0, false, rng, info);
        // eps = 1e-5 V^(2/3) Angstrom^2, i.e. relative to the squared lengths the reduction compares (core's default,
        // 1e-5 V^(1/3) as ASE, is a few times smaller); kept so that the cells drawn for a seed do not change
        return s.niggliReduced(1e-5 * Math.pow(s.cell().volume(), 2.0 / 3.0));
    }

    /** Formula units with the GAP-RSS parity rule: even atom counts with probability evenFraction. */
    private int formulaUnits(SplittableRandom rng) {
        if (settings.fuMin() == settings.fuMax()) return settings.fuMin();
        boolean wantEven = rng.nextDouble() < settings.evenFraction();
        List<Integer> match = new ArrayList<>();
        List<Integer> any = new ArrayList<>();
        int perFu = settings.formulaUnit().total();
        for (int fu = settings.fuMin(); fu <= settings.fuMax(); fu++) {
            if (hostsFor(settings.formulaUnit().times(fu)).isEmpty()) continue;
            any.add(fu);
            if (((fu * perFu) % 2 == 0) == wantEven) match.add(fu);
        }
        List<Integer> from = match.isEmpty() ? any : match;
        return from.get(rng.nextInt(from.size()));
    }

    private List<SpaceGroup> hostsFor(Composition comp) {
        return hosts.computeIfAbsent(comp.formula(), f -> {
            List<SpaceGroup> out = new ArrayList<>();
            for (SpaceGroup g : SpaceGroups.all()) {
                if (g.order() < settings.opsMin() || g.order() > settings.opsMax()) continue;
                if (WyckoffAssignment.feasible(g, comp.countArray())) out.add(g);
            }
            return List.copyOf(out);
        });
    }
}
