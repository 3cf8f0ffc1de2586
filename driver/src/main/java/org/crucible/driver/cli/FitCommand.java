package org.crucible.driver.cli;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import org.crucible.core.Elements;
import org.crucible.core.Structure;
import org.crucible.core.io.ExtendedXyz;
import org.crucible.core.io.FormatException;
import org.crucible.executors.descriptors.AceBasis;
import org.crucible.executors.descriptors.AceParameters;
import org.crucible.executors.descriptors.LinearBasis;
import org.crucible.executors.potentials.FitOptions;
import org.crucible.executors.potentials.FitResult;
import org.crucible.executors.potentials.ModelFile;
import org.crucible.executors.potentials.LinearPotential;
import org.crucible.executors.potentials.PotentialFitter;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code crucible fit TRAIN.extxyz [--test TEST.extxyz] [--basis SPEC] [--solver brr|ard] -o MODEL.json}: fits the
 * uncertainty-aware linear potential (docs/potential.md) and prints a JSON summary with training and test RMSEs
 * (energy meV/atom, forces meV/Angstrom, stress meV/Angstrom^3) and the fitted hyperparameters.
 *
 * <p>Basis specifications: {@code ace} (ACE defaults for the elements of the training data),
 * {@code ace:key=value,...} with the keys of the ACE spec (rCut, rIn, lambda, r0, maxDegree as 16/16, wL, lMax,
 * elements as Si/O), or the path of a JSON file holding a basis spec.
 */
@Command(name = "fit", description = "Fit the uncertainty-aware linear ACE potential to labelled structures (extended XYZ) and write a model file.")
public final class FitCommand implements CliCommand, Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "TRAIN.extxyz", description = "Labelled training structures (energy, forces, optionally stress).")
    Path train;

    @Option(names = "--test", paramLabel = "TEST.extxyz", description = "Labelled structures to report test errors on.")
    Path test;

    @Option(names = {"-o", "--output"}, required = true, paramLabel = "MODEL.json", description = "Model file to write.")
    Path output;

    @Option(names = "--basis", defaultValue = "ace", paramLabel = "SPEC", description = "ace, ace:key=value,... or a JSON basis spec file (default: ${DEFAULT-VALUE}).")
    String basisSpec;

    @Option(names = "--solver", defaultValue = "brr", paramLabel = "brr|ard", description = "Bayesian ridge (brr) or ARD (ard) (default: ${DEFAULT-VALUE}).")
    String solver;

    @Option(names = "--committee", defaultValue = "8", paramLabel = "K", description = "Committee size (default: ${DEFAULT-VALUE}).")
    int committee;

    @Option(names = "--seed", converter = SeedConverter.class, paramLabel = "SEED", defaultValue = "0", description = "Seed of the committee draw (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--no-virials", description = "Do not fit stresses.")
    boolean noVirials;

    @Option(names = "--outlier-sigmas", defaultValue = "3", paramLabel = "X",
            description = "Exclude structures with max force > mean + X sd; 'inf' keeps all (default: ${DEFAULT-VALUE}).")
    String outlierSigmas;

    @Option(names = "--reference-energy", paramLabel = "EL=EV", split = ",",
            description = "Isolated-atom energies in eV, e.g. Si=-0.82 (default: fitted jointly as 1-body terms).")
    List<String> referenceEnergies;

    @Override
    public Integer call() throws IOException {
        List<Structure> trainSet = read(train, "training");
        List<Structure> testSet = test == null ? List.of() : read(test, "test");
        LinearBasis basis = basis(basisSpec, trainSet);
        FitOptions options;
        try {
            options = FitOptions.defaults().withSolver(solver).withCommitteeSize(committee).withSeed(seed)
                    .withFitVirials(!noVirials).withOutlierSigmas(parseSigmas(outlierSigmas))
                    .withReferenceEnergies(parseReferenceEnergies(referenceEnergies));
        } catch (IllegalArgumentException e) {
            throw new BadInputException("fit options: " + e.getMessage());
        }
        long t0 = System.nanoTime();
        FitResult fit;
        try {
            fit = PotentialFitter.fit(trainSet, basis, options);
        } catch (IllegalArgumentException e) {
            throw new BadInputException(train + ": " + e.getMessage());
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        ModelFile.write(fit, output);

        Map<String, Object> out = new LinkedHashMap<>();
        out.put("model", output.toString());
        out.put("basis", basis.spec());
        out.put("basis_functions", basis.size());
        out.put("solver", solver);
        out.put("committee_size", committee);
        out.put("seed", org.crucible.driver.pool.Seeds.json(seed));
        out.put("data_sha256", fit.dataHash());
        out.put("structures_train", trainSet.size());
        out.put("structures_fitted", fit.structuresFitted());
        out.put("structures_excluded", fit.excluded().size());
        out.put("observations", fit.observations());
        out.put("train", errors(fit.trainingErrors()));
        if (!testSet.isEmpty()) out.put("test", errors(PotentialFitter.errors(fit.potential(), testSet)));
        Map<String, Double> lowest = lowestEnergyPerComposition(trainSet, testSet);
        out.put("train_by_energy_window", byWindow(fit.potential(), trainSet, lowest));
        if (!testSet.isEmpty()) out.put("test_by_energy_window", byWindow(fit.potential(), testSet, lowest));
        out.put("hyperparameters", new TreeMap<>(fit.posterior().hyperparameters()));
        Map<String, Double> e0 = new LinkedHashMap<>();
        fit.potential().referenceEnergies().forEach((z, e) -> e0.put(Elements.byZ(z).symbol(), e));
        out.put("reference_energies_eV", e0);
        out.put("fit_seconds", Math.round(seconds * 1000) / 1000.0);
        spec.commandLine().getOut().println(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(out));
        return 0;
    }

    /** Window edges in eV/atom above the lowest energy per atom of the same reduced composition (issue 23's ranges). */
    static final double[] WINDOWS = {0.0, 0.1, 0.6, 2.0, Double.POSITIVE_INFINITY};

    /**
     * The lowest energy per atom of each reduced composition over the training and test structures with an energy:
     * the reference "above the minimum" of the energy windows (a structure is compared with its own composition only).
     */
    static Map<String, Double> lowestEnergyPerComposition(List<Structure> train, List<Structure> test) {
        Map<String, Double> lowest = new java.util.HashMap<>();
        for (List<Structure> set : List.of(train, test)) {
            for (Structure s : set) {
                if (s.labels().hasEnergy()) lowest.merge(reducedComposition(s), s.labels().energy() / s.size(), Math::min);
            }
        }
        return lowest;
    }

    /**
     * Errors of the fitted potential per window of energy above the minimum (0-0.1, 0.1-0.6, 0.6-2, above 2
     * eV/atom): a potential is usually most accurate near the minima it was fitted around, and random-search starts sit
     * in the upper windows. Every structure of the set counts, including any the outlier rule left out of the fit.
     */
    static List<Map<String, Object>> byWindow(LinearPotential pot, List<Structure> set, Map<String, Double> lowest) {
        List<Map<String, Object>> rows = new ArrayList<>();
        for (int w = 0; w + 1 < WINDOWS.length; w++) {
            double lo = WINDOWS[w], hi = WINDOWS[w + 1];
            List<Structure> in = new ArrayList<>();
            for (Structure s : set) {
                if (!s.labels().hasEnergy()) continue;
                double above = s.labels().energy() / s.size() - lowest.get(reducedComposition(s));
                if (above >= lo && above < hi) in.add(s);
            }
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("window_eV_per_atom", Double.isInfinite(hi) ? "above " + fmt(lo) : fmt(lo) + "-" + fmt(hi));
            if (in.isEmpty()) {
                m.put("structures", 0);
            } else {
                m.putAll(errors(PotentialFitter.errors(pot, in)));
            }
            rows.add(m);
        }
        return rows;
    }

    /** "Si" for Si16 and Si8, "C1Si1" for Si4C4: counts divided by their greatest common divisor, elements sorted. */
    static String reducedComposition(Structure s) {
        org.crucible.config.campaign.Composition c = new org.crucible.config.campaign.Composition(new TreeMap<>(s.composition())).reduced();
        return c.counts().size() == 1 ? c.counts().keySet().iterator().next() : c.formula();
    }

    private static String fmt(double v) {
        return v == Math.rint(v) ? String.valueOf((long) v) : String.valueOf(v);
    }

    private static Map<String, Object> errors(FitResult.Errors e) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("structures", e.structures());
        m.put("rmse_energy_meV_per_atom", finite(e.energyMeVPerAtom()));
        m.put("rmse_forces_meV_per_A", finite(e.forcesMeVPerAngstrom()));
        m.put("rmse_stress_meV_per_A3", finite(e.stressMeVPerAngstrom3()));
        return m;
    }

    private static Double finite(double v) {
        return Double.isFinite(v) ? v : null;
    }

    static List<Structure> read(Path file, String what) {
        if (!Files.isRegularFile(file)) throw new BadInputException(what + " file " + file + " does not exist");
        List<Structure> s;
        try {
            s = ExtendedXyz.read(file);
        } catch (FormatException e) {
            throw new BadInputException(e.getMessage());
        }
        if (s.isEmpty()) throw new BadInputException(file + ": no structures");
        for (int i = 0; i < s.size(); i++) {
            if (!s.get(i).labels().hasEnergy() && !s.get(i).labels().hasForces()) {
                throw new BadInputException(file + ", frame " + (i + 1) + ": no energy or forces (a " + what + " structure needs labels)");
            }
        }
        return s;
    }

    /** ace | ace:key=value,... | path to a JSON spec. */
    static LinearBasis basis(String text, List<Structure> data) {
        try {
            Map<String, Object> m;
            if (text.equals("ace") || text.startsWith("ace:")) {
                m = new LinkedHashMap<>();
                m.put("type", "ace");
                if (text.length() > 4) {
                    for (String kv : text.substring(4).split(",")) {
                        int eq = kv.indexOf('=');
                        if (eq <= 0) throw new BadInputException("--basis '" + text + "': expected key=value, got '" + kv + "'");
                        String key = kv.substring(0, eq).strip(), value = kv.substring(eq + 1).strip();
                        if (key.equals("maxDegree") || key.equals("elements")) m.put(key, Arrays.asList(value.split("/")));
                        else m.put(key, value);
                    }
                }
            } else {
                Path p = Path.of(text);
                if (!Files.isRegularFile(p)) throw new BadInputException("--basis '" + text + "': neither 'ace[:key=value,...]' nor an existing JSON file");
                m = new ObjectMapper().readValue(p.toFile(), new TypeReference<Map<String, Object>>() { });
            }
            if (!m.containsKey("elements")) {
                TreeSet<String> els = new TreeSet<>();
                for (Structure s : data) for (int i = 0; i < s.size(); i++) els.add(s.symbol(i));
                m.put("elements", new ArrayList<>(els));
            }
            if (!"ace".equals(m.get("type"))) throw new BadInputException("--basis '" + text + "': only type 'ace' is available, got " + m.get("type"));
            return new AceBasis(AceParameters.fromMap(m));
        } catch (IllegalArgumentException e) {
            throw new BadInputException("--basis '" + text + "': " + e.getMessage());
        } catch (IOException e) {
            throw new BadInputException("--basis '" + text + "': cannot read JSON: " + e.getMessage());
        }
    }

    static double parseSigmas(String text) {
        if (text.equalsIgnoreCase("inf")) return Double.POSITIVE_INFINITY;
        try {
            return Double.parseDouble(text);
        } catch (NumberFormatException e) {
            throw new BadInputException("--outlier-sigmas '" + text + "' is not a number or 'inf'");
        }
    }

    static Map<Integer, Double> parseReferenceEnergies(List<String> items) {
        if (items == null || items.isEmpty()) return null;
        Map<Integer, Double> out = new TreeMap<>();
        for (String item : items) {
            int eq = item.indexOf('=');
            if (eq <= 0) throw new BadInputException("--reference-energy '" + item + "': expected ELEMENT=EV, e.g. Si=-0.82");
            try {
                out.put(Elements.bySymbol(item.substring(0, eq).strip()).z(), Double.parseDouble(item.substring(eq + 1).strip()));
            } catch (IllegalArgumentException e) {
                throw new BadInputException("--reference-energy '" + item + "': " + e.getMessage());
            }
        }
        return out;
    }
}
