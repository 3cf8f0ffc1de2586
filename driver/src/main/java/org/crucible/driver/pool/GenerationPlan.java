package org.crucible.driver.pool;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.crucible.executors.generators.Composition;
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
    private static final Map<Block, SpaceGroupGenerator> GENERATORS = new ConcurrentHashMap<>();

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
                        String volume, double volumeSpread, String label, boolean exactGroup, List<PoolEntry> given) implements Serializable {
        private static final long serialVersionUID = 1L;

        public Block {
            given = List.copyOf(given);
            if (!given.isEmpty() && given.size() != count) {
                throw new IllegalArgumentException("a block of given entries needs count = " + given.size() + ", got " + count);
            }
        }

        /** A generated block that accepts the first cell of the drawn Wyckoff sites whatever its actual symmetry. */
        public Block(long firstId, long count, String formula, int compositionIndex, int spaceGroup, double separationFactor,
                     String volume, double volumeSpread, String label) {
            this(firstId, count, formula, compositionIndex, spaceGroup, separationFactor, volume, volumeSpread, label, false, List.of());
        }

        /**
         * A block of entries made on the driver (offspring of a generation, relaxations to continue): entry {@code i}
         * becomes id {@code firstId + i}, its structure and state as given.
         */
        public static Block given(long firstId, String label, List<PoolEntry> entries) {
            String formula = entries.isEmpty() ? "" : entries.get(0).structure().formula();
            return new Block(firstId, entries.size(), formula, 0, 1, 0, "covalent", 0, label, false, entries);
        }

        SpaceGroupGenerator generator() {
            VolumeModel v = (volume.equals("metallic") ? VolumeModel.metallic() : VolumeModel.covalent()).withSpread(volumeSpread);
            return new SpaceGroupGenerator(SpaceGroupGenerator.Settings.of(Composition.parse(formula), spaceGroup)
                    .withVolume(v).withSeparation(MinimumSeparation.scaled(separationFactor)).withExactGroup(exactGroup));
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
                try {
                    var structure = GENERATORS.computeIfAbsent(b, Block::generator).generate(s, index);
                    return Optional.of(PoolEntry.of(id, structure.withInfo(Map.of()), b.label() + " " + b.formula() + " sg=" + b.spaceGroup()
                            + " seed=" + s + " candidate=" + index));
                } catch (GenerationException e) {
                    return Optional.empty();
                }
            }
        }
        throw new IllegalArgumentException("id " + id + " is outside the plan (size " + size() + ")");
    }
}
