package org.crucible.driver.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import org.crucible.core.Structure;
import org.crucible.executors.descriptors.LinearBasis;
import org.crucible.executors.potentials.FitOptions;
import org.crucible.executors.potentials.FitResult;
import org.crucible.executors.potentials.PotentialFitter;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code crucible bench entropy-curve --train NAME=FILE ... --test NAME=FILE ... --sizes 10,20,40,80}: a learning
 * curve (docs/entropy-max.md). For each labelled training set, a seeded permutation of its configurations is drawn
 * once (seed {@code --seed}) and its first N configurations, for every N of {@code --sizes}, are fitted as
 * {@code crucible fit} would (same basis spec, committee, seed, no outlier exclusion); every model is tested on every
 * labelled held-out set. The subsets are nested (the 20 contain the 10), so the curve shows the effect of more data,
 * not of another draw. Errors are RMSEs: energy meV/atom, forces meV/Angstrom.
 */
@Command(name = "entropy-curve", description = "Learning curve: fit the linear ACE potential to the first N configurations (a seeded permutation) "
        + "of each labelled training set for every N of --sizes and report energy and force RMSEs on each labelled held-out set.")
public final class EntropyCurveCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--train", required = true, paramLabel = "NAME=FILE", description = "a labelled training set (extended XYZ); repeat for each set")
    List<String> train;

    @Option(names = "--test", required = true, paramLabel = "NAME=FILE", description = "a labelled held-out set (extended XYZ); repeat for each set")
    List<String> test;

    @Option(names = "--sizes", split = ",", defaultValue = "10,20,40,80", paramLabel = "N,...", description = "training-set sizes (default ${DEFAULT-VALUE})")
    List<Integer> sizes;

    @Option(names = "--basis", defaultValue = "ace", paramLabel = "SPEC", description = "as crucible fit --basis (default: ${DEFAULT-VALUE})")
    String basisSpec;

    @Option(names = "--committee", defaultValue = "4", paramLabel = "K", description = "committee size (default: ${DEFAULT-VALUE})")
    int committee;

    @Option(names = "--seed", converter = SeedConverter.class, defaultValue = "1", paramLabel = "SEED",
            description = "seed of the permutations and of the committee draw (default: ${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--virials", description = "also fit stresses (default: energies and forces only)")
    boolean virials;

    @Option(names = "--json", description = "print one JSON document instead of a table")
    boolean json;

    /** One point of the curve: a model fitted to {@code size} configurations of {@code train}, tested on {@code test}. */
    record Point(String train, int size, String test, FitResult.Errors errors) {
    }

    @Override
    public Integer call() {
        if (sizes.isEmpty()) throw new BadInputException("--sizes: give at least one size");
        for (int n : sizes) if (n < 1) throw new BadInputException("--sizes: value " + n + " must be at least 1");
        Map<String, List<Structure>> trainSets = named(train, "--train", "training");
        Map<String, List<Structure>> testSets = named(test, "--test", "test");
        int largest = sizes.stream().mapToInt(Integer::intValue).max().orElseThrow();
        for (var e : trainSets.entrySet()) {
            if (e.getValue().size() < largest) {
                throw new BadInputException("--train " + e.getKey() + ": " + e.getValue().size() + " configurations, fewer than the largest size " + largest);
            }
        }
        List<Structure> all = new ArrayList<>();
        trainSets.values().forEach(all::addAll);
        LinearBasis basis = FitCommand.basis(basisSpec, all);
        FitOptions options;
        try {
            options = FitOptions.defaults().withCommitteeSize(committee).withSeed(seed).withFitVirials(virials).withOutlierSigmas(Double.POSITIVE_INFINITY);
        } catch (IllegalArgumentException e) {
            throw new BadInputException("fit options: " + e.getMessage());
        }
        List<Point> points = new ArrayList<>();
        for (var e : trainSets.entrySet()) {
            List<Structure> shuffled = permuted(e.getValue(), seed);
            for (int n : sizes) {
                FitResult fit;
                try {
                    fit = PotentialFitter.fit(shuffled.subList(0, n), basis, options);
                } catch (IllegalArgumentException ex) {
                    throw new BadInputException("--train " + e.getKey() + " (" + n + " configurations): " + ex.getMessage());
                }
                points.add(new Point(e.getKey(), n, "(training)", fit.trainingErrors()));
                for (var t : testSets.entrySet()) points.add(new Point(e.getKey(), n, t.getKey(), PotentialFitter.errors(fit.potential(), t.getValue())));
            }
        }
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            Map<String, Object> doc = new LinkedHashMap<>();
            doc.put("basis", basis.spec());
            doc.put("committee", committee);
            doc.put("seed", org.crucible.driver.pool.Seeds.json(seed));
            doc.put("sizes", sizes);
            List<Map<String, Object>> rows = new ArrayList<>();
            for (Point p : points) {
                Map<String, Object> r = new LinkedHashMap<>();
                r.put("train", p.train());
                r.put("size", p.size());
                r.put("test", p.test());
                r.put("rmse_energy_meV_per_atom", p.errors().energyMeVPerAtom());
                r.put("rmse_forces_meV_per_A", p.errors().forcesMeVPerAngstrom());
                rows.add(r);
            }
            doc.put("points", rows);
            out.println(CliJson.pretty(doc));
        } else {
            out.printf("RMSE energy meV/atom / forces meV/Angstrom; basis %s, committee %d, seed %s%n", basisSpec, committee, org.crucible.driver.pool.Seeds.text(seed));
            List<String> header = new ArrayList<>(List.of("train", "N", "(training)"));
            header.addAll(testSets.keySet());
            TextTable t = new TextTable(header.toArray(String[]::new));
            int per = testSets.size() + 1;
            for (int i = 0; i < points.size(); i += per) {
                List<String> row = new ArrayList<>(List.of(points.get(i).train(), Integer.toString(points.get(i).size())));
                for (int j = 0; j < per; j++) {
                    FitResult.Errors er = points.get(i + j).errors();
                    row.add(String.format("%.1f / %.0f", er.energyMeVPerAtom(), er.forcesMeVPerAngstrom()));
                }
                t.row(row.toArray(String[]::new));
            }
            out.print(t.render());
        }
        out.flush();
        return 0;
    }

    /** NAME=FILE items read as labelled sets, in the order given; names must be distinct. */
    private static Map<String, List<Structure>> named(List<String> items, String option, String what) {
        Map<String, List<Structure>> out = new LinkedHashMap<>();
        for (String item : items) {
            int eq = item.indexOf('=');
            if (eq <= 0 || eq == item.length() - 1) throw new BadInputException(option + " '" + item + "': expected NAME=FILE");
            String name = item.substring(0, eq).strip();
            if (out.containsKey(name)) throw new BadInputException(option + " '" + item + "': the name " + name + " is given twice");
            out.put(name, FitCommand.read(Path.of(item.substring(eq + 1).strip()), what));
        }
        return out;
    }

    /** A seeded Fisher-Yates permutation of {@code s} (a copy). */
    static List<Structure> permuted(List<Structure> s, long seed) {
        List<Structure> out = new ArrayList<>(s);
        SplittableRandom rng = new SplittableRandom(seed);
        for (int i = out.size() - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            Structure t = out.get(i);
            out.set(i, out.get(j));
            out.set(j, t);
        }
        return out;
    }
}
