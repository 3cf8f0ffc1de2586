package org.crucible.core.bench;

import org.crucible.core.neighbors.NeighborList;

/**
 * Prints a hash of every entry (order, neighbour, image, displacement bits) of the neighbour lists of the benchmark
 * structures, to check that a change to {@link NeighborList} leaves the list identical entry for entry: run on the
 * code before and after and compare. Usage: {@code java -cp ... org.crucible.core.bench.NeighborListFingerprint}.
 */
public final class NeighborListFingerprint {
    private NeighborListFingerprint() {
    }

    public static void main(String[] args) {
        long h = 17;
        for (var s : new org.crucible.core.Structure[] {NeighborListBenchmark.diamond(5, 5, 5, 1), NeighborListBenchmark.diamond(2, 1, 1, 2),
                NeighborListBenchmark.diamond(1, 1, 1, 3)}) {
            for (double cut : new double[] {2.5, 5.0, 9.0}) {
                NeighborList nl = NeighborList.build(s, cut);
                for (int i = 0; i <= s.size(); i++) h = 31 * h + nl.start(Math.min(i, s.size() - 1) + (i == s.size() ? 1 : 0));
                for (int k = 0; k < nl.size(); k++) {
                    h = 31 * h + nl.neighbor(k);
                    h = 31 * h + Double.doubleToRawLongBits(nl.dx(k)) + 7 * Double.doubleToRawLongBits(nl.dy(k)) + 13 * Double.doubleToRawLongBits(nl.dz(k));
                    h = 31 * h + nl.image(k, 0) + 3 * nl.image(k, 1) + 9 * nl.image(k, 2);
                }
            }
        }
        System.out.printf("neighbour-list fingerprint %016x%n", h);
    }
}
