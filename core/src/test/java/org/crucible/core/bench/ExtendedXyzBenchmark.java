package org.crucible.core.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.crucible.core.Labels;
import org.crucible.core.Structure;
import org.crucible.core.io.ExtendedXyz;
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
 * Extended-XYZ read and write time per atom (ns/atom: each benchmark declares its atom count as operations per
 * invocation). The data: 100 frames of 1,000-atom rattled diamond Si (a = 5.431 Angstrom, positions rattled by
 * 0.05 Angstrom, fixed seed) with an energy, a 3x3 stress and forces, every real written with its shortest
 * round-trip decimal (17 significant digits at most), as {@code crucible calc} writes them: 100,000 atom lines of
 * species, 3 positions and 3 forces. Reading parses from an in-memory string (no disk); writing appends to a
 * {@link StringBuilder}. {@link #main} writes the same frames to a file for the ASE reference
 * ({@code bench/extxyz-ase.py}). Run with {@code bench/jmh.sh core ExtendedXyzBenchmark}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class ExtendedXyzBenchmark {
    static final int FRAMES = 100;
    static final int ATOMS = 1000;
    List<Structure> frames;
    String text;

    /** The benchmark frames: rattled 5x5x5 diamond Si with made-up but full-precision labels. */
    static List<Structure> frames() {
        List<Structure> out = new ArrayList<>();
        for (int f = 0; f < FRAMES; f++) {
            Structure s = NeighborListBenchmark.diamond(5, 5, 5, 100 + f);
            java.util.Random rnd = new java.util.Random(f);
            double[] forces = new double[3 * s.size()];
            for (int i = 0; i < forces.length; i++) forces[i] = rnd.nextGaussian();
            double[] stress = new double[6];
            for (int i = 0; i < 6; i++) stress[i] = 1e-3 * rnd.nextGaussian();
            out.add(s.withLabels(new Labels(-4337.0 + rnd.nextGaussian(), forces, stress)).withInfo(Map.of("config_type", "bench")));
        }
        return out;
    }

    @Setup
    public void setup() {
        frames = frames();
        text = ExtendedXyz.toString(frames);
    }

    @Benchmark
    @OperationsPerInvocation(FRAMES * ATOMS)
    public List<Structure> read() {
        return ExtendedXyz.open(new BufferedReader(new StringReader(text)), "bench").readAll();
    }

    @Benchmark
    @OperationsPerInvocation(FRAMES * ATOMS)
    public int write() {
        StringBuilder sb = new StringBuilder(text.length());
        try {
            for (Structure s : frames) ExtendedXyz.write(sb, s);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return sb.length();
    }

    /** Writes the benchmark frames to the file named by the first argument (input of {@code bench/extxyz-ase.py}). */
    public static void main(String[] args) {
        ExtendedXyz.write(Path.of(args[0]), frames());
        try {
            System.out.println(args[0] + ": " + Files.size(Path.of(args[0])) + " bytes, " + FRAMES + " frames of " + ATOMS + " atoms");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
