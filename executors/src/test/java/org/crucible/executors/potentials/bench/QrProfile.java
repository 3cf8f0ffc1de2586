package org.crucible.executors.potentials.bench;

import org.crucible.executors.potentials.StreamingQr;

/**
 * Streaming QR throughput by block size, in thread CPU time (robust on a shared, oversubscribed machine):
 * java -cp ... QrProfile ROWS F.
 */
public final class QrProfile {
    public static void main(String[] args) {
        int rows = Integer.parseInt(args[0]), f = Integer.parseInt(args[1]);
        java.util.Random r = new java.util.Random(1);
        double[] data = new double[Math.min(rows, 20000) * f];
        for (int i = 0; i < data.length; i++) data[i] = r.nextGaussian();
        for (int rep = 0; rep < 2; rep++) {
            for (int block : new int[] {32, 64, 128, 256, 512, 1232}) {
                StreamingQr qr = new StreamingQr(f, block);
                var mx = java.lang.management.ManagementFactory.getThreadMXBean();
                long t0 = mx.getCurrentThreadCpuTime();
                for (int i = 0; i < rows; i++) qr.add(data, (i % 20000) * f, 1.0, 1.0);
                qr.problem();
                double s = (mx.getCurrentThreadCpuTime() - t0) / 1e9;
                System.out.printf("rows %d F %d block %d: %.2f s CPU (%.2f GFlop/s)%n", rows, f, block, s, 2.0 * rows * (f + 1) * (f + 1) / s / 1e9);
            }
        }
    }
}
