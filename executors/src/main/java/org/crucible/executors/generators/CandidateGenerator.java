package org.crucible.executors.generators;

import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.crucible.core.Structure;

/**
 * A source of candidate structures that is a pure function of (seed, index): candidate i of seed s is the same
 * structure whichever executor, partition or resumed run asks for it (see {@link CandidateRandom}).
 *
 * <pre>{@code
 * CandidateGenerator g = new RandomCellGenerator(RandomCellGenerator.Settings.of(Composition.parse("Si16")));
 * Structure c17 = g.generate(2024L, 17L);
 * }</pre>
 */
@FunctionalInterface
public interface CandidateGenerator {
    /**
     * Candidate {@code index} (>= 0) of run {@code seed}.
     *
     * @throws GenerationException when a constraint cannot be met within the bounded number of attempts
     */
    Structure generate(long seed, long index);

    /** Candidates first, first + 1, ..., first + count - 1, lazily. */
    default Stream<Structure> stream(long seed, long first, long count) {
        return LongStream.range(first, first + count).mapToObj(i -> generate(seed, i));
    }
}
