package org.crucible.core.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;
import java.util.List;
import org.crucible.core.Structure;
import org.crucible.core.io.ExtendedXyz;

/**
 * Thread CPU time per atom of extended-XYZ read and write on the frames of {@link ExtendedXyzBenchmark} (100 x
 * 1,000 Si atoms with energy, stress, forces), for a shared machine where wall-clock JMH scores are inflated by
 * other load. Usage: {@code java -cp ... org.crucible.core.bench.ExtendedXyzCpuTime [REPEATS]}; warms up for about
 * 5 s of CPU (enough for C2 to compile the parser, as JMH's warm-up does), then prints the median and the best of
 * REPEATS (default 15) passes over all frames, CPU and wall.
 */
public final class ExtendedXyzCpuTime {
    private ExtendedXyzCpuTime() {
    }

    public static void main(String[] args) {
        int repeats = args.length > 0 ? Integer.parseInt(args[0]) : 15;
        List<Structure> frames = ExtendedXyzBenchmark.frames();
        String text = ExtendedXyz.toString(frames);
        int atoms = ExtendedXyzBenchmark.FRAMES * ExtendedXyzBenchmark.ATOMS;
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        long warm = mx.getCurrentThreadCpuTime();
        while (mx.getCurrentThreadCpuTime() - warm < 5_000_000_000L) {
            read(text);
            write(frames, text.length());
        }
        double[][] cpu = new double[2][repeats], wall = new double[2][repeats];
        for (int r = 0; r < repeats; r++) {
            for (int what = 0; what < 2; what++) {
                long c0 = mx.getCurrentThreadCpuTime(), w0 = System.nanoTime();
                if (what == 0) read(text);
                else write(frames, text.length());
                cpu[what][r] = (mx.getCurrentThreadCpuTime() - c0) / 1e3 / atoms;
                wall[what][r] = (System.nanoTime() - w0) / 1e3 / atoms;
            }
        }
        String[] names = {"read", "write"};
        for (int what = 0; what < 2; what++) {
            Arrays.sort(cpu[what]);
            Arrays.sort(wall[what]);
            System.out.printf("%-5s us/atom CPU median %.3f best %.3f; wall median %.3f best %.3f (%d repeats)%n", names[what],
                    cpu[what][repeats / 2], cpu[what][0], wall[what][repeats / 2], wall[what][0], repeats);
        }
    }

    private static int read(String text) {
        return ExtendedXyz.open(new BufferedReader(new StringReader(text)), "bench").readAll().size();
    }

    private static int write(List<Structure> frames, int size) {
        StringBuilder sb = new StringBuilder(size);
        try {
            for (Structure s : frames) ExtendedXyz.write(sb, s);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return sb.length();
    }
}
