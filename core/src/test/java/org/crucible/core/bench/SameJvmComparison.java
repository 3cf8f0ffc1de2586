package org.crucible.core.bench;

import java.io.File;
import java.net.URL;
import java.net.URLClassLoader;
import java.util.Arrays;
import java.util.function.Function;

/**
 * Before and after in one JVM, so that machine load hits both alike: loads a task class (a
 * {@code Function<String, double[]>} returning CPU times, e.g. {@link NeighborListCpuTask}) from two class paths in two
 * class loaders whose parent is the platform loader (so each side has its own copy of every Crucible class and its own
 * JIT profile), then calls them in turn, ROUNDS times, alternating which goes first; prints each round's median and
 * best, then the median of the round medians. Usage:
 * {@code java -cp core/target/test-classes org.crucible.core.bench.SameJvmComparison BEFORE_CP AFTER_CP CLASS ARG ROUNDS}.
 */
public final class SameJvmComparison {
    private SameJvmComparison() {
    }

    public static void main(String[] args) throws Exception {
        String[] cps = {args[0], args[1]};
        String cls = args[2], arg = args[3];
        int rounds = Integer.parseInt(args[4]);
        @SuppressWarnings("unchecked")
        Function<String, double[]>[] f = new Function[2];
        for (int k = 0; k < 2; k++) {
            String[] parts = cps[k].split(":");
            URL[] urls = new URL[parts.length];
            for (int i = 0; i < parts.length; i++) urls[i] = new File(parts[i]).toURI().toURL();
            ClassLoader l = new URLClassLoader(urls, ClassLoader.getPlatformClassLoader());
            f[k] = (Function<String, double[]>) l.loadClass(cls).getDeclaredConstructor().newInstance();
        }
        String[] name = {"before", "after"};
        double[][] med = new double[2][rounds];
        for (int r = 0; r < rounds; r++) {
            for (int k0 = 0; k0 < 2; k0++) {
                int k = (r % 2 == 0) ? k0 : 1 - k0;
                double[] c = f[k].apply(arg);
                Arrays.sort(c);
                med[k][r] = c[c.length / 2];
                System.out.printf("round %d %-6s %s: median %.3f best %.3f us/atom%n", r, name[k], arg, c[c.length / 2], c[0]);
            }
        }
        for (int k = 0; k < 2; k++) {
            double[] m = med[k].clone();
            Arrays.sort(m);
            System.out.printf("%-6s %s: median of round medians %.3f (range %.3f-%.3f)%n", name[k], arg, m[rounds / 2], m[0], m[rounds - 1]);
        }
    }
}
