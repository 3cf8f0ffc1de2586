package org.crucible.core.bench;

import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.crucible.core.Cell;
import org.crucible.core.Structure;
import org.crucible.core.neighbors.NeighborList;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Neighbour-list build time per atom (ns/atom: each benchmark declares its atom count as operations per
 * invocation) for diamond Si, a = 5.431 Angstrom, positions rattled by 0.05 Angstrom (fixed seed), cutoff 5
 * Angstrom: a 1,000-atom 5x5x5 supercell (about 44 neighbours per atom) and a 16-atom 2x1x1 cell (cutoff close
 * to the cell height, so many periodic images). Run with {@code bench/jmh.sh core NeighborListBenchmark}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class NeighborListBenchmark {
    static final double CUTOFF = 5.0;
    Structure box1000;
    Structure cell16;

    static Structure diamond(int na, int nb, int nc, long seed) {
        double a = 5.431;
        double[][] basis = {{0, 0, 0}, {0, .5, .5}, {.5, 0, .5}, {.5, .5, 0}, {.25, .25, .25}, {.25, .75, .75}, {.75, .25, .75}, {.75, .75, .25}};
        int n = 8 * na * nb * nc;
        double[] xyz = new double[3 * n];
        Random rnd = new Random(seed);
        int k = 0;
        for (int i = 0; i < na; i++) {
            for (int j = 0; j < nb; j++) {
                for (int l = 0; l < nc; l++) {
                    for (double[] b : basis) {
                        xyz[k++] = (i + b[0]) * a + 0.05 * rnd.nextGaussian();
                        xyz[k++] = (j + b[1]) * a + 0.05 * rnd.nextGaussian();
                        xyz[k++] = (l + b[2]) * a + 0.05 * rnd.nextGaussian();
                    }
                }
            }
        }
        int[] z = new int[n];
        java.util.Arrays.fill(z, 14);
        return Structure.of(new Cell(new double[] {na * a, 0, 0, 0, nb * a, 0, 0, 0, nc * a}, new boolean[] {true, true, true}), z, xyz);
    }

    @Setup
    public void setup() {
        box1000 = diamond(5, 5, 5, 1);
        cell16 = diamond(2, 1, 1, 2);
    }

    @Benchmark
    @OperationsPerInvocation(1000)
    public NeighborList diamond1000Atoms() {
        return NeighborList.build(box1000, CUTOFF);
    }

    @Benchmark
    @OperationsPerInvocation(16)
    public NeighborList diamond16Atoms() {
        return NeighborList.build(cell16, CUTOFF);
    }
}
