package org.crucible.executors.generators.bench;

import java.util.concurrent.TimeUnit;
import org.crucible.core.Structure;
import org.crucible.executors.generators.Composition;
import org.crucible.executors.generators.RandomCellGenerator;
import org.crucible.executors.generators.SpaceGroupGenerator;
import org.crucible.executors.symmetry.SpaceGroupFinder;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Single-thread throughput of candidate generation and symmetry finding (one core). Run:
 * {@code java -cp ... org.openjdk.jmh.Main RandomCellBenchmark -f 1 -wi 2 -i 3}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(1)
@Threads(1)
@Warmup(iterations = 2, time = 5)
@Measurement(iterations = 3, time = 10)
public class RandomCellBenchmark {
    private RandomCellGenerator random;
    private SpaceGroupGenerator diamondGroup;
    private Structure si16;
    private long index;

    @Setup
    public void setup() {
        random = new RandomCellGenerator(RandomCellGenerator.Settings.of(Composition.parse("Si"), 16, 16));
        diamondGroup = new SpaceGroupGenerator(SpaceGroupGenerator.Settings.of(Composition.parse("Si16"), 141));
        si16 = diamondGroup.generate(1, 0);
    }

    /** AIRSS-style random Si16 cell, 1-8 symmetry operations, GAP-RSS defaults, Niggli-reduced. */
    @Benchmark
    public Structure randomSi16() {
        return random.generate(2026, index++);
    }

    /** Si16 in I4_1/amd (141). */
    @Benchmark
    public Structure spaceGroupSi16() {
        return diamondGroup.generate(2026, index++);
    }

    /** Space group of a 16-atom I4_1/amd cell. */
    @Benchmark
    public int findSpaceGroupSi16() {
        return SpaceGroupFinder.find(si16, 1e-3).number();
    }
}
