package org.crucible.executors.potentials;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.IntStream;
import org.crucible.core.Elements;
import org.crucible.core.Labels;
import org.crucible.core.Structure;
import org.crucible.executors.descriptors.LinearBasis;

/**
 * Fits a {@link LinearPotential} to labelled structures: reference energies (given, or fitted jointly as per-element
 * 1-body columns on top of the isolated atoms' energies when the data holds isolated atoms, as GAP's e0), GAP-RSS
 * observation weights, outlier
 * exclusion, a streamed QR of the weighted design (energies per atom, forces, virials per atom), the Bayesian
 * solve, the committee draw and the D-optimality active set.
 *
 * <p>Where fitting lives: here, in {@code executors}, as a pure library with no Spark dependency. Design rows are
 * accumulated into {@link StreamingQr} factors over fixed contiguous chunks of the data (so the result does not
 * depend on thread scheduling); a Spark driver can run the same accumulation per partition on executors and
 * {@link StreamingQr#merge} the (F+1)^2 factors, never shipping design matrices. The solve and the committee
 * draw (F^3) run wherever {@link #fit} is called (the driver).
 *
 * <p>Per structure s with N atoms and sigmas from {@link ObservationWeights}: energy row sum_i B_i / N against
 * (E - sum E0)/N with sigma_E; each force component row against F with sigma_F; each stress row times V/N (the
 * virial per atom) against stress V/N with sigma_V.
 *
 * <p>Committee: c_k = c + L xi_k, xi_k ~ N(0, I) from {@code java.util.Random(seed)} (whose Gaussian algorithm
 * is specified, so the same data and seed give identical committees on every JVM).
 */
public final class PotentialFitter {
    /** Fixed number of accumulation chunks (not the core count) so results are bit-identical on any machine. */
    static final int CHUNKS = 8;

    private PotentialFitter() {
    }

    public static FitResult fit(List<Structure> data, LinearBasis basis, FitOptions options) {
        if (data.isEmpty()) throw new IllegalArgumentException("no training structures");
        for (int i = 0; i < data.size(); i++) {
            Labels l = data.get(i).labels();
            if (!l.hasEnergy() && !l.hasForces()) {
                throw new IllegalArgumentException("training structure " + i + " (" + data.get(i).formula() + ") has neither energy nor forces");
            }
        }
        String dataHash = dataHash(data);
        List<FitResult.Excluded> excluded = outliers(data, options.outlierSigmas());
        boolean[] drop = new boolean[data.size()];
        for (FitResult.Excluded e : excluded) drop[e.index()] = true;
        List<Structure> kept = new ArrayList<>();
        for (int i = 0; i < data.size(); i++) if (!drop[i]) kept.add(data.get(i));

        // Reference energies: given (isolated-atom energies), or fitted jointly with the coefficients as one
        // 1-body column per element (energy row n_z / N, zero force and virial rows). Estimating them
        // beforehand from mean energies would be wrong: a basis without a constant function cannot absorb the
        // offset between that mean and the true isolated-atom energy.
        boolean jointE0 = options.referenceEnergies() == null;
        int[] species = species(kept);
        Map<Integer, Double> e0;
        if (jointE0) {
            // the fit starts from the isolated atoms' energies where the data holds them (GAP's e0) and fits the rest
            // jointly: the prior then shrinks only that remainder, not a DFT code's -100 eV/atom pseudo-atom offset
            // (a constant shift per atom moves only E0: PotentialTest). Measured effect small (forces 1e-8 eV/A in that
            // test); the pw.x GAP-RSS collapse of docs/gap-rss.md happens with and without it. Embedded potentials'
            // isolated atoms are at 0 eV: the same fit as without them.
            e0 = new TreeMap<>();
            Map<Integer, Double> isolated = isolatedAtomEnergies(kept);
            for (int z : species) e0.put(z, isolated.getOrDefault(z, 0.0));
        } else {
            e0 = new TreeMap<>(options.referenceEnergies());
            for (int z : species) {
                if (!e0.containsKey(z)) throw new IllegalArgumentException("no reference energy given for element " + Elements.byZ(z).symbol());
            }
        }
        // hull and weights use energies relative to a composition fit, which only shifts each
        // composition's points uniformly (and is exact for one element)
        double[][] sigmas = sigmas(kept, jointE0 ? fitReferenceEnergies(kept) : e0, options.weights());

        int f = basis.size();
        int[] oneBody = jointE0 ? species : new int[0];
        int chunks = Math.min(CHUNKS, kept.size());
        StreamingQr[] parts = new StreamingQr[chunks];
        IntStream.range(0, chunks).parallel().forEach(c -> {
            StreamingQr qr = new StreamingQr(f + oneBody.length);
            int from = (int) ((long) kept.size() * c / chunks), to = (int) ((long) kept.size() * (c + 1) / chunks);
            for (int i = from; i < to; i++) addStructure(qr, basis, oneBody, kept.get(i), e0, sigmas[i], options.fitVirials());
            parts[c] = qr;
        });
        StreamingQr total = parts[0];
        for (int c = 1; c < chunks; c++) total.merge(parts[c]);
        LeastSquaresProblem problem = total.problem();
        Posterior joint = "ard".equals(options.solver())
                ? new Ard(options.ardThreshold(), 300, 1e-6).fit(problem)
                : new BayesianRidge().fit(problem);
        Posterior posterior = joint;
        if (jointE0) {
            double[] m = joint.mean();
            for (int a = 0; a < oneBody.length; a++) e0.put(oneBody[a], e0.get(oneBody[a]) + m[f + a]);
            // E0 is kept at its posterior mean; the committee samples the basis coefficients conditioned on it
            posterior = joint.conditionedOnRest(f);
        }
        double[][] committee = sampleCommittee(posterior, options.committeeSize(), options.seed());

        ActiveSet active = null;
        if (options.activeSet()) active = activeSet(kept, basis, options);
        LinearPotential potential = new LinearPotential(basis, posterior.mean(), committee, e0, active, options.epsilon());
        FitResult.Errors errors = errors(potential, kept);
        return new FitResult(potential, posterior, excluded, dataHash, options.seed(), kept.size(), problem.observations(), errors);
    }

    /** K draws c + L xi from the posterior, seeded. */
    public static double[][] sampleCommittee(Posterior posterior, int k, long seed) {
        int f = posterior.features();
        double[] mean = posterior.mean();
        double[] l = posterior.covarianceFactor();
        int g = posterior.factorColumns();
        Random random = new Random(seed);
        double[][] out = new double[k][f];
        double[] xi = new double[g];
        for (int m = 0; m < k; m++) {
            for (int j = 0; j < g; j++) xi[j] = random.nextGaussian();
            for (int i = 0; i < f; i++) {
                double s = mean[i];
                for (int j = 0; j < g; j++) s += l[i * g + j] * xi[j];
                out[m][i] = s;
            }
        }
        return out;
    }

    /** RMSE of the mean model of {@code potential} against the labels of {@code structures}. */
    public static FitResult.Errors errors(LinearPotential potential, List<Structure> structures) {
        double se = 0, sf = 0, ss = 0;
        long ne = 0, nf = 0, ns = 0;
        for (Structure s : structures) {
            Labels ref = s.labels();
            Labels got = potential.calculate(s);
            if (ref.hasEnergy()) {
                double d = (got.energy() - ref.energy()) / s.size();
                se += d * d;
                ne++;
            }
            if (ref.hasForces()) {
                double[] a = ref.forces(), b = got.forces();
                for (int j = 0; j < a.length; j++) sf += (a[j] - b[j]) * (a[j] - b[j]);
                nf += a.length;
            }
            if (ref.hasStress() && got.hasStress()) {
                double[] a = ref.stress(), b = got.stress();
                for (int j = 0; j < 6; j++) ss += (a[j] - b[j]) * (a[j] - b[j]);
                ns += 6;
            }
        }
        return new FitResult.Errors(structures.size(), ne == 0 ? Double.NaN : 1000 * Math.sqrt(se / ne),
                nf == 0 ? Double.NaN : 1000 * Math.sqrt(sf / nf), ns == 0 ? Double.NaN : 1000 * Math.sqrt(ss / ns));
    }

    /** SHA-256 over content hashes and the exact bits of every label, in order. */
    public static String dataHash(List<Structure> data) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            ByteBuffer buf = ByteBuffer.allocate(8);
            for (Structure s : data) {
                md.update(s.contentHash().getBytes(StandardCharsets.US_ASCII));
                Labels l = s.labels();
                md.update((byte) (l.hasEnergy() ? 1 : 0));
                if (l.hasEnergy()) md.update(buf.clear().putDouble(l.energy()).array());
                md.update((byte) (l.hasForces() ? 1 : 0));
                if (l.hasForces()) for (double v : l.forces()) md.update(buf.clear().putDouble(v).array());
                md.update((byte) (l.hasStress() ? 1 : 0));
                if (l.hasStress()) for (double v : l.stress()) md.update(buf.clear().putDouble(v).array());
            }
            return HexFormat.of().formatHex(md.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 unavailable", e);
        }
    }

    /**
     * Structures whose largest per-atom force norm exceeds mean + k sd of that quantity over the data set (the
     * outlier rule of the NN-ensemble paper), in input order.
     */
    public static List<FitResult.Excluded> outliers(List<Structure> data, double k) {
        List<FitResult.Excluded> out = new ArrayList<>();
        if (Double.isInfinite(k)) return out;
        double[] maxF = new double[data.size()];
        double sum = 0, sum2 = 0;
        int n = 0;
        for (int i = 0; i < data.size(); i++) {
            Labels l = data.get(i).labels();
            maxF[i] = l.hasForces() ? l.maxForce() : Double.NaN;
            if (l.hasForces()) {
                sum += maxF[i];
                sum2 += maxF[i] * maxF[i];
                n++;
            }
        }
        if (n < 3) return out;
        double mean = sum / n;
        double sd = Math.sqrt(Math.max(0, sum2 / n - mean * mean));
        double threshold = mean + k * sd;
        for (int i = 0; i < data.size(); i++) {
            if (maxF[i] > threshold) {
                out.add(new FitResult.Excluded(i, data.get(i).contentHash(), maxF[i],
                        String.format("max force %.3f eV/A > mean %.3f + %.1f sd %.3f = %.3f eV/A", maxF[i], mean, k, sd, threshold)));
            }
        }
        return out;
    }

    /**
     * Energies of the isolated atoms in {@code data} (eV) per atomic number: structures of one atom with no periodic
     * direction and an energy label; the mean when an element has several.
     */
    public static Map<Integer, Double> isolatedAtomEnergies(List<Structure> data) {
        Map<Integer, double[]> sums = new TreeMap<>();
        for (Structure s : data) {
            if (s.size() != 1 || !s.labels().hasEnergy() || !s.cell().isMolecular()) continue;
            double[] acc = sums.computeIfAbsent(s.atomicNumber(0), z -> new double[2]);
            acc[0] += s.labels().energy();
            acc[1] += 1;
        }
        Map<Integer, Double> out = new TreeMap<>();
        for (var e : sums.entrySet()) out.put(e.getKey(), e.getValue()[0] / e.getValue()[1]);
        return out;
    }

    /**
     * Per-element reference energies by least squares of E against composition (a 1-body model), with a 1e-8
     * ridge so elements that only ever appear together stay determined.
     */
    public static Map<Integer, Double> fitReferenceEnergies(List<Structure> data) {
        TreeSet<Integer> species = new TreeSet<>();
        for (Structure s : data) for (int i = 0; i < s.size(); i++) species.add(s.atomicNumber(i));
        Integer[] zs = species.toArray(new Integer[0]);
        int m = zs.length;
        double[] ata = new double[m * m];
        double[] atb = new double[m];
        int used = 0;
        for (Structure s : data) {
            if (!s.labels().hasEnergy()) continue;
            double[] counts = new double[m];
            for (int i = 0; i < s.size(); i++) counts[java.util.Arrays.binarySearch(zs, s.atomicNumber(i))] += 1;
            // per-atom equation so large cells do not dominate
            double w = 1.0 / s.size();
            for (int a = 0; a < m; a++) {
                atb[a] += counts[a] * w * s.labels().energy() * w;
                for (int b = 0; b < m; b++) ata[a * m + b] += counts[a] * w * counts[b] * w;
            }
            used++;
        }
        if (used == 0) throw new IllegalArgumentException("no energies in the training data: reference energies must be given");
        for (int a = 0; a < m; a++) ata[a * m + a] += 1e-8;
        double[] l = Ard.Factor.cholesky(ata, m, 0);
        if (l == null) throw new IllegalStateException("reference-energy normal equations are singular");
        double[] sol = new Ard.Factor(l, m).solve(atb);
        Map<Integer, Double> out = new TreeMap<>();
        for (int a = 0; a < m; a++) out.put(zs[a], sol[a]);
        return out;
    }

    private static double[][] sigmas(List<Structure> kept, Map<Integer, Double> e0, ObservationWeights w) {
        int n = kept.size();
        double[] v = new double[n];
        double[] e = new double[n];
        for (int i = 0; i < n; i++) {
            Structure s = kept.get(i);
            boolean periodic = s.cell().isFullyPeriodic() && s.cell().hasVolume();
            v[i] = periodic ? s.cell().volume() / s.size() : Double.NaN;
            if (s.labels().hasEnergy()) {
                double ref = 0;
                for (int a = 0; a < s.size(); a++) ref += e0.get(s.atomicNumber(a));
                e[i] = (s.labels().energy() - ref) / s.size();
            } else {
                e[i] = Double.NaN;
            }
        }
        // structures without energy sit at the lowest weight band: hull computed from the others
        List<Integer> withE = new ArrayList<>();
        for (int i = 0; i < n; i++) if (!Double.isNaN(e[i])) withE.add(i);
        double[] vv = new double[withE.size()], ee = new double[withE.size()];
        for (int k = 0; k < vv.length; k++) {
            vv[k] = v[withE.get(k)];
            ee[k] = e[withE.get(k)];
        }
        double[] de = ObservationWeights.energyAboveHull(vv, ee);
        double[][] out = new double[n][];
        for (int i = 0; i < n; i++) out[i] = w.sigmas(0);
        for (int k = 0; k < vv.length; k++) out[withE.get(k)] = w.sigmas(de[k]);
        return out;
    }

    private static void addStructure(StreamingQr qr, LinearBasis basis, int[] oneBody, Structure s, Map<Integer, Double> e0, double[] sigma, boolean virials) {
        LinearBasis.DesignRows rows = basis.designRows(s);
        int f = basis.size();
        int width = f + oneBody.length;
        int n = s.size();
        Labels l = s.labels();
        double[] row = new double[width];
        if (l.hasEnergy()) {
            double ref = 0;
            for (int a = 0; a < n; a++) ref += e0.get(s.atomicNumber(a));
            for (int j = 0; j < f; j++) row[j] = rows.energy()[j] / n;
            for (int a = 0; a < n; a++) {
                int col = java.util.Arrays.binarySearch(oneBody, s.atomicNumber(a));
                if (col >= 0) row[f + col] += 1.0 / n;
            }
            qr.add(row, 0, (l.energy() - ref) / n, 1.0 / sigma[0]);
            java.util.Arrays.fill(row, 0.0);
        }
        if (l.hasForces()) {
            double[] fr = rows.forces();
            double[] target = l.forces();
            for (int c = 0; c < 3 * n; c++) {
                System.arraycopy(fr, c * f, row, 0, f);
                qr.add(row, 0, target[c], 1.0 / sigma[1]);
            }
        }
        if (virials && l.hasStress() && s.cell().isFullyPeriodic() && s.cell().hasVolume()) {
            double scale = s.cell().volume() / n;
            double[] sr = rows.stress();
            double[] target = l.stress();
            for (int c = 0; c < 6; c++) {
                for (int j = 0; j < f; j++) row[j] = sr[c * f + j] * scale;
                qr.add(row, 0, target[c] * scale, 1.0 / sigma[2]);
            }
        }
    }

    private static int[] species(List<Structure> data) {
        TreeSet<Integer> zs = new TreeSet<>();
        for (Structure s : data) for (int i = 0; i < s.size(); i++) zs.add(s.atomicNumber(i));
        return zs.stream().mapToInt(Integer::intValue).toArray();
    }

    private static ActiveSet activeSet(List<Structure> kept, LinearBasis basis, FitOptions options) {
        int f = basis.size();
        int total = 0;
        for (Structure s : kept) total += s.size();
        double[] rows = new double[Math.multiplyExact(total, f)];
        int at = 0;
        for (Structure s : kept) {
            double[] b = basis.atomicFeatures(s);
            System.arraycopy(b, 0, rows, at, b.length);
            at += b.length;
        }
        return ActiveSet.select(rows, total, f, options.gammaSelect(), options.gammaBreak());
    }

}
