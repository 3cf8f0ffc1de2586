package org.crucible.executors.potentials.bench;

import java.util.List;
import java.util.concurrent.TimeUnit;
import org.crucible.core.Structure;
import org.crucible.executors.calculators.StillingerWeber;
import org.crucible.executors.descriptors.AceBasis;
import org.crucible.executors.descriptors.AceParameters;
import org.crucible.executors.descriptors.LinearBasis;
import org.crucible.executors.potentials.Ard;
import org.crucible.executors.potentials.BayesianRidge;
import org.crucible.executors.potentials.FitOptions;
import org.crucible.executors.potentials.LeastSquaresProblem;
import org.crucible.executors.potentials.LinearPotential;
import org.crucible.executors.potentials.PotentialFitter;
import org.crucible.executors.potentials.SiStructures;
import org.crucible.executors.potentials.StreamingQr;
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
 * Cost of the potential's linear algebra and of committee evaluation, with the default ACE basis for Si
 * (F = 307) and Stillinger-Weber-labelled 8-16 atom structures (SiStructures.mixed). Single thread.
 *
 * <ul>
 *   <li>{@code qr2000Structures}: streaming weighted QR of the design rows of 2,000 structures (energy, 3N forces,
 *       6 virials each; 200 distinct structures' rows replayed 10 times), seconds per op;</li>
 *   <li>{@code brrSolve} / {@code ardSolve}: evidence maximisation and posterior on the reduced problem;</li>
 *   <li>{@code predictCommittee}: mean + K = 8 committee + uncertainty measures + D-optimality grade for one
 *       16-atom structure, against {@code calculateMeanOnly} (the basis evaluated for one coefficient vector).</li>
 * </ul>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 1, time = 5)
@Measurement(iterations = 3, time = 5)
@Fork(1)
public class PotentialBenchmark {
    private LinearBasis basis;
    private double[][] rows;
    private double[][] targets;
    private LeastSquaresProblem problem;
    private LinearPotential potential;
    private Structure sixteen;
    private double[][] one;

    @Setup
    public void setUp() {
        StillingerWeber sw = StillingerWeber.silicon();
        basis = new AceBasis(AceParameters.defaults(14));
        List<Structure> data = SiStructures.label(SiStructures.mixed(1, 200), sw);
        int f = basis.size();
        rows = new double[data.size()][];
        targets = new double[data.size()][];
        for (int i = 0; i < data.size(); i++) {
            Structure s = data.get(i);
            LinearBasis.DesignRows d = basis.designRows(s);
            int n = s.size();
            double[] all = new double[(1 + 3 * n + 6) * f];
            System.arraycopy(d.energy(), 0, all, 0, f);
            System.arraycopy(d.forces(), 0, all, f, 3 * n * f);
            System.arraycopy(d.stress(), 0, all, (1 + 3 * n) * f, 6 * f);
            rows[i] = all;
            double[] t = new double[1 + 3 * n + 6];
            t[0] = s.labels().energy();
            System.arraycopy(s.labels().forces(), 0, t, 1, 3 * n);
            System.arraycopy(s.labels().stress(), 0, t, 1 + 3 * n, 6);
            targets[i] = t;
        }
        problem = qr2000Structures();
        potential = PotentialFitter.fit(data, basis, FitOptions.defaults()).potential();
        sixteen = data.stream().filter(s -> s.size() == 16).findFirst().orElseThrow();
        one = new double[][] {potential.coefficients()};
    }

    @Benchmark
    public LeastSquaresProblem qr2000Structures() {
        int f = basis.size();
        StreamingQr qr = new StreamingQr(f);
        for (int rep = 0; rep < 10; rep++) {
            for (int i = 0; i < rows.length; i++) {
                double[] t = targets[i];
                for (int r = 0; r < t.length; r++) qr.add(rows[i], r * f, t[r], 1.0);
            }
        }
        return qr.problem();
    }

    @Benchmark
    public Object brrSolve() {
        return new BayesianRidge().fit(problem);
    }

    @Benchmark
    public Object ardSolve() {
        return new Ard().fit(problem);
    }

    @Benchmark
    public Object predictCommittee() {
        return potential.predict(sixteen);
    }

    @Benchmark
    public Object calculateMeanOnly() {
        return basis.evaluate(sixteen, one);
    }
}
