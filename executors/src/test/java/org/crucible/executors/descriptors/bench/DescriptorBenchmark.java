package org.crucible.executors.descriptors.bench;

import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.crucible.core.Cell;
import org.crucible.core.Structure;
import org.crucible.executors.descriptors.AceBasis;
import org.crucible.executors.descriptors.AceParameters;
import org.crucible.executors.descriptors.AveragedSoap;
import org.crucible.executors.descriptors.LinearBasis;
import org.crucible.executors.descriptors.SoapParameters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Descriptor throughput on a 1,000-atom diamond Si box (5 x 5 x 5 conventional cells, a = 5.43 Angstrom, atoms
 * displaced by up to 0.05 Angstrom so no symmetry shortcut applies). Scores are milliseconds per call on the
 * whole box; divide by 1000 for microseconds per atom. Single thread.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class DescriptorBenchmark {
    private Structure box;
    private AveragedSoap soap;
    private AceBasis ace;
    private double[][] one;
    private double[][] eight;

    @Setup
    public void setUp() {
        Random rnd = new Random(1);
        box = siliconBox(rnd);
        soap = benchmarkSoap();
        ace = new AceBasis(AceParameters.defaults(14));
        one = coefficients(rnd, 1, ace.size());
        eight = coefficients(rnd, 8, ace.size());
        soap.describe(box);
    }

    /** The 1,000-atom box of the class comment; positions drawn from {@code rnd} (3000 draws). */
    static Structure siliconBox(Random rnd) {
        double a = 5.43;
        double[][] basis = {{0, 0, 0}, {0, 0.5, 0.5}, {0.5, 0, 0.5}, {0.5, 0.5, 0}, {0.25, 0.25, 0.25}, {0.25, 0.75, 0.75}, {0.75, 0.25, 0.75}, {0.75, 0.75, 0.25}};
        double[] xyz = new double[3000];
        int[] z = new int[1000];
        int p = 0;
        for (int i = 0; i < 5; i++) for (int j = 0; j < 5; j++) for (int k = 0; k < 5; k++) for (double[] b : basis) {
            xyz[3 * p] = (i + b[0]) * a + 0.05 * (rnd.nextDouble() - 0.5);
            xyz[3 * p + 1] = (j + b[1]) * a + 0.05 * (rnd.nextDouble() - 0.5);
            xyz[3 * p + 2] = (k + b[2]) * a + 0.05 * (rnd.nextDouble() - 0.5);
            z[p++] = 14;
        }
        return Structure.of(Cell.cubic(5 * a), z, xyz);
    }

    /** Averaged SOAP as benchmarked: nMax 8, lMax 6, sigma 0.0875, rCut 5 Angstrom, zeta 4, Si only. */
    static AveragedSoap benchmarkSoap() {
        return new AveragedSoap(new SoapParameters(8, 6, 0.0875, 5.0, 0.5, 1.0, 4, new int[] {14}));
    }

    private static double[][] coefficients(Random rnd, int k, int f) {
        double[][] c = new double[k][f];
        for (double[] row : c) for (int i = 0; i < f; i++) row[i] = rnd.nextGaussian() * 1e-3;
        return c;
    }

    /** Averaged SOAP, nMax 8, lMax 6, rCut 5 Angstrom. */
    @Benchmark
    public double[] soapAveraged() {
        return soap.describe(box);
    }

    /** ACE (default basis, 307 functions, rCut 5) energy, forces and stress for one coefficient vector. */
    @Benchmark
    public LinearBasis.CommitteeEvaluation aceEnergyForces() {
        return ace.evaluate(box, one);
    }

    /** Same for a committee of 8 coefficient vectors sharing one basis evaluation. */
    @Benchmark
    public LinearBasis.CommitteeEvaluation aceCommittee8() {
        return ace.evaluate(box, eight);
    }

    /** Per-atom features B_i only (used by mean pooling and D-optimality). */
    @Benchmark
    public double[] aceFeatures() {
        return ace.atomicFeatures(box);
    }
}
