package org.crucible.driver.pool;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.crucible.core.Cell;
import org.crucible.core.Structure;
import org.crucible.executors.generators.CandidateGenerator;
import org.crucible.executors.generators.Composition;
import org.crucible.executors.generators.DimerGenerator;
import org.crucible.executors.generators.RandomCellGenerator;
import org.crucible.executors.generators.GenerationException;
import org.crucible.executors.generators.MinimumSeparation;
import org.crucible.executors.generators.SpaceGroupGenerator;
import org.crucible.executors.generators.VolumeModel;

/**
 * Which structure each pool id is: consecutive id blocks, each {@code count} candidates of one composition in one
 * space group (group 1, P1, for the random training cells). Candidate {@code id - firstId} of a block is
 * {@code SpaceGroupGenerator.generate(Seeds.mix(seed, group, compositionIndex), id - firstId)}, a pure function of the
 * id, so executors generate their partitions independently and a resumed run regenerates identical cells. A block may
 * instead carry entries made on the driver ({@link Block#given}: an evolutionary generation's offspring, relaxations
 * to continue), shipped with the plan; and a generated block may insist on its exact space group
 * ({@code exactGroup}: a cell whose symmetry finder result is a supergroup is redrawn).
 */
public record GenerationPlan(long seed, List<Block> blocks) implements Serializable {
    private static final long serialVersionUID = 1L;
    private static final Map<Block, CandidateGenerator> GENERATORS = new ConcurrentHashMap<>();

    public GenerationPlan {
        blocks = List.copyOf(blocks);
        long next = 0;
        for (Block b : blocks) {
            if (b.firstId() != next) throw new IllegalArgumentException("blocks must be consecutive: expected first id " + next + ", got " + b.firstId());
            next += b.count();
        }
    }

    /**
     * One block: ids {@code [firstId, firstId + count)}, composition, space group, minimum-separation factor (times the
     * mean covalent radius), volume model ({@code covalent} or {@code metallic}) and spread, and a label for
     * provenance ({@code training} or {@code search}).
     */
    public record Block(long firstId, long count, String formula, int compositionIndex, int spaceGroup, double separationFactor,
                        String volume, double volumeSpread, String label, String kind, List<Double> params, boolean exactGroup,
                        List<PoolEntry> given) implements Serializable {
        private static final long serialVersionUID = 1L;

        /** Generator kinds: space-group cells, AIRSS random cells, dimers and isolated atoms. */
        public static final List<String> KINDS = List.of("space-group", "airss", "dimers");

        public Block {
            params = List.copyOf(params);
            if (!KINDS.contains(kind)) throw new IllegalArgumentException("block kind must be one of " + KINDS + ", got " + kind);
            int need = kind.equals("space-group") ? 0 : kind.equals("airss") && params.size() != 4 ? 2 : 4;
            if (params.size() != need) throw new IllegalArgumentException(kind + " block needs " + need + " parameters, got " + params);
            given = List.copyOf(given);
            if (!given.isEmpty() && given.size() != count) {
                throw new IllegalArgumentException("a block of given entries needs count = " + given.size() + ", got " + count);
            }
        }

        /** A generated block of {@code kind} (no exact-group check, nothing given). */
        public Block(long firstId, long count, String formula, int compositionIndex, int spaceGroup, double separationFactor, String volume,
                     double volumeSpread, String label, String kind, List<Double> params) {
            this(firstId, count, formula, compositionIndex, spaceGroup, separationFactor, volume, volumeSpread, label, kind, params, false, List.of());
        }

        /**
         * A block of space-group cells that insists on its exact group: a cell whose symmetry (SpaceGroupFinder, 1e-3
         * Angstrom) is a supergroup of {@code spaceGroup} is redrawn.
         */
        public static Block exactGroup(long firstId, long count, String formula, int compositionIndex, int spaceGroup, double separationFactor,
                                       String volume, double volumeSpread, String label) {
            return new Block(firstId, count, formula, compositionIndex, spaceGroup, separationFactor, volume, volumeSpread, label, "space-group",
                    List.of(), true, List.of());
        }

        /**
         * A block of entries made on the driver (offspring of a generation, relaxations to continue): entry {@code i}
         * becomes id {@code firstId + i}, its structure and state as given.
         */
        public static Block given(long firstId, String label, List<PoolEntry> entries) {
            String formula = entries.isEmpty() ? "" : entries.get(0).structure().formula();
            return new Block(firstId, entries.size(), formula, 0, 1, 0, "covalent", 0, label, "space-group", List.of(), false, entries);
        }

        /** A block of space-group cells ({@link SpaceGroupGenerator}; group 1 is P1). */
        public Block(long firstId, long count, String formula, int compositionIndex, int spaceGroup, double separationFactor, String volume,
                     double volumeSpread, String label) {
            this(firstId, count, formula, compositionIndex, spaceGroup, separationFactor, volume, volumeSpread, label, "space-group", List.of());
        }

        /**
         * A block of AIRSS random cells of {@code formula} ({@link RandomCellGenerator}: opsMin..opsMax random symmetry
         * operations, no pressure in the cell's info); {@code spaceGroup} is 0.
         */
        public static Block airss(long firstId, long count, String formula, int compositionIndex, double separationFactor, String volume,
                                  double volumeSpread, String label, int opsMin, int opsMax) {
            return new Block(firstId, count, formula, compositionIndex, 0, separationFactor, volume, volumeSpread, label, "airss",
                    List.of((double) opsMin, (double) opsMax));
        }

        /**
         * A block of AIRSS random cells of {@code fuMin..fuMax} formula units of {@code formulaUnit} each
         * ({@link RandomCellGenerator}: the count drawn per cell, even atom counts with probability 0.8), otherwise as
         * {@link #airss(long, long, String, int, double, String, double, String, int, int)}.
         */
        public static Block airss(long firstId, long count, String formulaUnit, int fuMin, int fuMax, int compositionIndex, double separationFactor,
                                  String volume, double volumeSpread, String label, int opsMin, int opsMax) {
            return new Block(firstId, count, formulaUnit, compositionIndex, 0, separationFactor, volume, volumeSpread, label, "airss",
                    List.of((double) opsMin, (double) opsMax, (double) fuMin, (double) fuMax));
        }

        /**
         * A block of isolated atoms and dimers of the elements of {@code formula} ({@link DimerGenerator}: one atom per
         * element, then {@code bondLengths} bond lengths evenly over [rMin, rMax] Angstrom per pair, box edge in
         * Angstrom), made non-periodic (free molecules: energy and forces, no stress), so this block suits calculators
         * that handle open boundaries (the embedded potentials), not plane-wave codes.
         */
        public static Block dimers(long firstId, String formula, int compositionIndex, int bondLengths, double rMin, double rMax, double box,
                                   String label) {
            DimerGenerator g = new DimerGenerator(Composition.parse(formula).symbols(), rMin, rMax, bondLengths, box);
            return new Block(firstId, g.distinct(), formula, compositionIndex, 0, 0, "covalent", 0, label, "dimers",
                    List.of((double) bondLengths, rMin, rMax, box));
        }

        CandidateGenerator generator() {
            VolumeModel v = (volume.equals("metallic") ? VolumeModel.metallic() : VolumeModel.covalent()).withSpread(volumeSpread);
            return switch (kind) {
                case "airss" -> new RandomCellGenerator(RandomCellGenerator.Settings.of(Composition.parse(formula),
                                params.size() == 4 ? params.get(2).intValue() : 1, params.size() == 4 ? params.get(3).intValue() : 1)
                        .withOps(params.get(0).intValue(), params.get(1).intValue()).withVolume(v)
                        .withSeparation(MinimumSeparation.scaled(separationFactor)).withPressure(null));
                case "dimers" -> new DimerGenerator(Composition.parse(formula).symbols(), params.get(1), params.get(2), params.get(0).intValue(), params.get(3));
                default -> new SpaceGroupGenerator(SpaceGroupGenerator.Settings.of(Composition.parse(formula), spaceGroup)
                        .withVolume(v).withSeparation(MinimumSeparation.scaled(separationFactor)).withExactGroup(exactGroup));
            };
        }
    }

    /** Total number of ids. */
    public long size() {
        return blocks.isEmpty() ? 0 : blocks.get(blocks.size() - 1).firstId() + blocks.get(blocks.size() - 1).count();
    }

    /** Ids of the blocks with the given label (e.g. the training pool). */
    public List<long[]> ranges(String label) {
        List<long[]> out = new ArrayList<>();
        for (Block b : blocks) if (b.label().equals(label)) out.add(new long[] {b.firstId(), b.firstId() + b.count()});
        return out;
    }

    /** The entry of {@code id}, or empty when the generator could not meet its constraints for this candidate. */
    public Optional<PoolEntry> make(long id) {
        for (Block b : blocks) {
            if (id >= b.firstId() && id < b.firstId() + b.count()) {
                long index = id - b.firstId();
                if (!b.given().isEmpty()) return Optional.of(b.given().get((int) index).withId(id));
                long s = Seeds.mix(seed, b.spaceGroup(), b.compositionIndex());
                // blocks of the other kinds share group 0: their first id keeps their streams apart
                if (!b.kind().equals("space-group")) s = Seeds.mix(s, b.firstId());
                try {
                    var structure = GENERATORS.computeIfAbsent(b, Block::generator).generate(s, index);
                    if (b.kind().equals("dimers")) {
                        // free molecules: no stress label (a box's virial of two atoms only ill-conditions the fit) and
                        // no hull volume (ObservationWeights measures non-periodic points against the lowest energy)
                        structure = Structure.of(new Cell(structure.cell().matrix(), new boolean[] {false, false, false}),
                                structure.atomicNumbers(), structure.positions());
                    }
                    String what = b.kind().equals("space-group") ? " sg=" + b.spaceGroup() : " " + b.kind();
                    return Optional.of(PoolEntry.of(id, structure.withInfo(Map.of()), b.label() + " " + b.formula() + what
                            + " seed=" + Seeds.text(s) + " candidate=" + index));
                } catch (GenerationException e) {
                    return Optional.empty();
                }
            }
        }
        throw new IllegalArgumentException("id " + id + " is outside the plan (size " + size() + ")");
    }
}
