package org.crucible.driver.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.crucible.core.Structure;
import org.crucible.executors.calculators.EnvironmentFeatures;
import org.crucible.executors.descriptors.NearestNeighbourEntropy;
import org.crucible.executors.descriptors.TrainingSetCoverage;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code crucible compare-sets A.extxyz B.extxyz ... [--splits N] [--test-fraction F] [--seed S] [--json]}: the
 * entropy-maximisation paper's Table I surrogate ({@link TrainingSetCoverage}): the mean nearest-neighbour distance,
 * in per-atom descriptor space standardised over all sets, from each set's test atoms to each set's training atoms,
 * averaged over seeded random train/test splits by configuration. The descriptors are the entropy bias's per-atom
 * features ({@link EnvironmentFeatures#tungsten}: four radial shells and two angular invariants, r_c = 5 Angstrom).
 * Also prints each set's size and the nearest-neighbour entropy S (nats) of all its atoms in the standardised space
 * (the paper's entropy figure; higher is more diverse).
 */
@Command(name = "compare-sets", description = "Mean nearest-neighbour descriptor distance from each set's test part to each set's training part "
        + "(entropy-maximisation paper, Table I), and each set's descriptor entropy.")
public final class CompareSetsCommand implements CliCommand, Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(arity = "2..*", paramLabel = "SET", description = "Extended XYZ files (or other structure files), one set each.")
    List<Path> files = new ArrayList<>();

    @Option(names = "--splits", paramLabel = "N", description = "random train/test splits averaged over (default ${DEFAULT-VALUE})")
    int splits = 10;

    @Option(names = "--test-fraction", paramLabel = "F", description = "fraction of each set's configurations in its test part (default ${DEFAULT-VALUE})")
    double testFraction = 0.5;

    @Option(names = "--seed", converter = SeedConverter.class, paramLabel = "S", description = "seed of the splits (default ${DEFAULT-VALUE})")
    long seed = 1;

    @Option(names = "--nearest-neighbour", paramLabel = "D", description = "the element's nearest-neighbour distance, Angstrom, that scales the "
            + "features' lengths (default ${DEFAULT-VALUE}, bcc W)")
    double nearestNeighbour = EnvironmentFeatures.TUNGSTEN_NEAREST_NEIGHBOUR;

    @Option(names = "--json", description = "print one JSON document instead of tables")
    boolean json;

    @Override
    public Integer call() {
        if (splits < 1) throw new BadInputException("--splits: value " + splits + " must be at least 1");
        if (!(testFraction > 0 && testFraction < 1)) throw new BadInputException("--test-fraction: value " + testFraction + " must be in (0, 1)");
        if (!(nearestNeighbour > 0) || nearestNeighbour > 6.5) throw new BadInputException("--nearest-neighbour: value " + nearestNeighbour + " must be in (0, 6.5] Angstrom");
        EnvironmentFeatures features = EnvironmentFeatures.forNearestNeighbour(nearestNeighbour, 0.03);
        List<List<double[][]>> sets = new ArrayList<>();
        for (Path f : files) {
            List<Structure> frames = StructureFiles.readAll(f);
            if (frames.size() < 2) throw new BadInputException(f + ": " + frames.size() + " structure; a train/test split needs at least 2");
            List<double[][]> rows = new ArrayList<>();
            for (int i = 0; i < frames.size(); i++) {
                Structure s = frames.get(i);
                if (s.size() == 0) throw new BadInputException(f + ": frame " + i + " has no atoms");
                rows.add(features.compute(s));
            }
            sets.add(rows);
        }
        double[][] d = TrainingSetCoverage.meanNearestDistances(sets, splits, testFraction, seed);
        List<List<double[][]>> z = TrainingSetCoverage.standardised(sets);
        double[] entropy = new double[sets.size()];
        int[] atoms = new int[sets.size()];
        for (int s = 0; s < sets.size(); s++) {
            double[][] all = z.get(s).stream().flatMap(java.util.Arrays::stream).toArray(double[][]::new);
            atoms[s] = all.length;
            entropy[s] = all.length >= 2 ? NearestNeighbourEntropy.entropy(all) : Double.NaN;
        }
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            Map<String, Object> doc = new LinkedHashMap<>();
            doc.put("sets", files.stream().map(Path::toString).toList());
            doc.put("splits", splits);
            doc.put("test_fraction", testFraction);
            doc.put("seed", org.crucible.driver.pool.Seeds.json(seed));
            doc.put("descriptor", "entropy-bias features (4 radial, 2 angular; r_c 5 Angstrom), standardised over all sets");
            List<Map<String, Object>> sizes = new ArrayList<>();
            for (int s = 0; s < sets.size(); s++) {
                sizes.add(Map.of("set", files.get(s).toString(), "configurations", sets.get(s).size(), "atoms", atoms[s], "entropy", entropy[s]));
            }
            doc.put("set_statistics", sizes);
            List<List<Double>> rows = new ArrayList<>();
            for (double[] r : d) rows.add(java.util.Arrays.stream(r).boxed().toList());
            doc.put("mean_nearest_distance_train_by_test", rows);
            out.println(CliJson.pretty(doc));
        } else {
            TextTable stats = new TextTable("set", "configurations", "atoms", "entropy S (nats)");
            for (int s = 0; s < sets.size(); s++) {
                stats.row(files.get(s).getFileName().toString(), Integer.toString(sets.get(s).size()), Integer.toString(atoms[s]), String.format("%.3f", entropy[s]));
            }
            out.print(stats.render());
            out.println();
            out.printf("mean nearest-neighbour distance (standardised descriptor units), %d splits, test fraction %.2f, seed %s%n", splits, testFraction, org.crucible.driver.pool.Seeds.text(seed));
            String[] header = new String[sets.size() + 1];
            header[0] = "train \\ test";
            for (int s = 0; s < sets.size(); s++) header[s + 1] = files.get(s).getFileName().toString();
            TextTable t = new TextTable(header);
            for (int a = 0; a < sets.size(); a++) {
                String[] row = new String[sets.size() + 1];
                row[0] = files.get(a).getFileName().toString();
                for (int b = 0; b < sets.size(); b++) row[b + 1] = String.format("%.4f", d[a][b]);
                t.row(row);
            }
            out.print(t.render());
        }
        out.flush();
        return 0;
    }
}
