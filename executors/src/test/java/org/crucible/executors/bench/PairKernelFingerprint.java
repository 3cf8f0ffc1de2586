package org.crucible.executors.bench;

import java.nio.file.Path;
import java.util.Random;
import org.crucible.core.Cell;
import org.crucible.core.Labels;
import org.crucible.core.Structure;
import org.crucible.executors.calculators.Calculator;
import org.crucible.executors.calculators.Eam;
import org.crucible.executors.calculators.LennardJones;

/**
 * A fingerprint (a hash of the bits) of EAM ({@code AlCu.eam.alloy}) and Lennard-Jones energies, forces and stresses
 * on random Al-Cu fcc alloys of 4 to 864 atoms, three steps each (lists rebuilt, then reused): equal before and after a
 * change that must not move a result by a bit (session 40's half lists: {@code cc30babbbae5d06f} on both sides). Run
 * it against two class paths. Usage: {@code java -cp ... org.crucible.executors.bench.PairKernelFingerprint}.
 */
public final class PairKernelFingerprint {
    private PairKernelFingerprint() {
    }

    public static void main(String[] args) {
        Eam eam = Eam.fromFile(Path.of("/usr/share/lammps/potentials/AlCu.eam.alloy"));
        LennardJones lj = LennardJones.parse("Al:eps=0.3,sigma=2.5,rc=6/Cu:eps=0.2,sigma=2.3");
        double[][] fcc = {{0, 0, 0}, {0, .5, .5}, {.5, 0, .5}, {.5, .5, 0}};
        long h = 17;
        Random rng = new Random(5);
        for (int reps : new int[] {1, 2, 3, 4, 6}) {
            int n = 4 * reps * reps * reps;
            double[] x = new double[3 * n];
            int[] z = new int[n];
            int q = 0;
            for (int i = 0; i < reps; i++) {
                for (int j = 0; j < reps; j++) {
                    for (int k = 0; k < reps; k++) {
                        for (double[] b : fcc) {
                            x[3 * q] = (i + b[0]) * 4.05 + 0.2 * (rng.nextDouble() - .5);
                            x[3 * q + 1] = (j + b[1]) * 4.05 + 0.2 * (rng.nextDouble() - .5);
                            x[3 * q + 2] = (k + b[2]) * 4.05 + 0.2 * (rng.nextDouble() - .5);
                            z[q++] = rng.nextBoolean() ? 13 : 29;
                        }
                    }
                }
            }
            Structure s = Structure.of(Cell.cubic(4.05 * reps), z, x);
            for (int step = 0; step < 3; step++) {
                for (Calculator c : new Calculator[] {eam, lj}) {
                    Labels l = c.calculate(s);
                    h = h * 31 + Double.doubleToLongBits(l.energy());
                    for (double f : l.forces()) h = h * 31 + Double.doubleToLongBits(f);
                    for (double f : l.stress()) h = h * 31 + Double.doubleToLongBits(f);
                }
                double[] p = s.positions();
                for (int i = 0; i < p.length; i++) p[i] += 0.05 * (rng.nextDouble() - .5);
                s = s.withPositions(p);
            }
        }
        System.out.println(Long.toHexString(h));
    }
}
