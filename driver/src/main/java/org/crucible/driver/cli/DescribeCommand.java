package org.crucible.driver.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import org.crucible.core.Elements;
import org.crucible.core.Structure;
import org.crucible.core.io.FormatException;
import org.crucible.core.io.StructureFormats;
import org.crucible.core.io.StructureReader;
import org.crucible.executors.descriptors.AceBasis;
import org.crucible.executors.descriptors.AceMeanDescriptor;
import org.crucible.executors.descriptors.AceParameters;
import org.crucible.executors.descriptors.AveragedSoap;
import org.crucible.executors.descriptors.FeatureStandardizer;
import org.crucible.executors.descriptors.FeatureStatistics;
import org.crucible.executors.descriptors.SoapParameters;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code crucible describe IN.extxyz --descriptor soap-avg|ace-mean [--param k=v ...] -o OUT.csv}: one row of
 * comma-separated numbers per frame, after one header line starting with {@code #} that records the descriptor,
 * its full parameters and the source; {@code -o OUT.npy} writes a NumPy float64 array instead (header in
 * {@code OUT.npy.txt}, see {@link RowSink}). See docs/descriptors.md for the equations and parameter names.
 *
 * <ul>
 *   <li>{@code soap-avg}: unit-length configuration-averaged SOAP (GAP-RSS eqs. 2-4). Parameters: nMax, lMax,
 *       sigmaAt, rCut, cutoffWidth, centralWeight, zeta, species (e.g. {@code species=Si+C}); species default to
 *       the union over all frames (the file is then read twice, streaming).</li>
 *   <li>{@code ace-mean}: mean-pooled ACE features, standardised over the frames of the file unless
 *       {@code standardize=false}. Parameters: elements, rCut, rIn, lambda, r0, maxDegree (e.g. {@code 14:12:10}),
 *       wL, lMax, standardize. Rows are held in memory for the standardisation (F doubles per frame).</li>
 * </ul>
 */
@Command(name = "describe", description = "Write a whole-cell descriptor (averaged SOAP or mean-pooled ACE) per frame as CSV.")
public final class DescribeCommand implements CliCommand, Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "IN", description = "Extended XYZ file of frames.")
    Path input;

    @Option(names = "--descriptor", required = true, paramLabel = "NAME", description = "soap-avg or ace-mean.")
    String descriptor;

    @Option(names = "--param", paramLabel = "KEY=VALUE", description = "Descriptor parameter (repeatable).")
    List<String> params = new ArrayList<>();

    @Option(names = {"-o", "--output"}, required = true, paramLabel = "OUT", description = "CSV file to write (or NumPy array for *.npy).")
    Path output;

    @Override
    public Integer call() {
        Map<String, String> kv = parseParams(params);
        int frames;
        try {
            switch (descriptor) {
                case "soap-avg" -> frames = soap(kv);
                case "ace-mean" -> frames = aceMean(kv);
                default -> throw new BadInputException("--descriptor must be soap-avg or ace-mean, got '" + descriptor + "'");
            }
        } catch (FormatException e) {
            throw new BadInputException(e.getMessage(), e);
        }
        spec.commandLine().getOut().println("wrote " + frames + " rows to " + output);
        return 0;
    }

    private int soap(Map<String, String> kv) {
        SoapParameters p;
        try {
            p = SoapParameters.defaults().with(kv);
        } catch (IllegalArgumentException e) {
            throw new BadInputException("--param: " + e.getMessage(), e);
        }
        if (p.species().length == 0) p = p.withSpecies(speciesIn(input));
        AveragedSoap soap = new AveragedSoap(p);
        int count = 0;
        String header = "# crucible describe soap-avg " + CliJson.line(p.toMap()) + " source=" + input.getFileName() + " columns=" + soap.size(p.species().length);
        try (StructureReader in = open(input); RowSink out = RowSink.open(output, header)) {
            while (in.hasNext()) {
                Structure s = StructureFiles.next(in);
                out.write(describeFrame(() -> soap.describe(s), count));
                count++;
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + output, e);
        }
        return count;
    }

    private int aceMean(Map<String, String> kv) {
        Map<String, String> rest = new LinkedHashMap<>(kv);
        boolean standardize = !"false".equalsIgnoreCase(rest.getOrDefault("standardize", "true"));
        rest.remove("standardize");
        Map<String, Object> spec = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : rest.entrySet()) {
            switch (e.getKey()) {
                case "elements" -> spec.put("elements", List.of(e.getValue().split("[+:,]")));
                case "maxDegree" -> {
                    List<Object> d = new ArrayList<>();
                    for (String t : e.getValue().split("[+:,]")) d.add(t.trim());
                    spec.put("maxDegree", d);
                }
                case "rCut", "rIn", "lambda", "r0", "wL", "lMax" -> spec.put(e.getKey(), e.getValue());
                default -> throw new BadInputException("--param: unknown ace-mean parameter '" + e.getKey()
                        + "' (known: elements, rCut, rIn, lambda, r0, maxDegree, wL, lMax, standardize)");
            }
        }
        if (!spec.containsKey("elements")) {
            List<Object> symbols = new ArrayList<>();
            for (int z : speciesIn(input)) symbols.add(Elements.byZ(z).symbol());
            spec.put("elements", symbols);
        }
        AceParameters p;
        try {
            p = AceParameters.fromMap(spec);
        } catch (IllegalArgumentException e) {
            throw new BadInputException("--param: " + e.getMessage(), e);
        }
        AceMeanDescriptor d = new AceMeanDescriptor(new AceBasis(p));
        List<double[]> rows = new ArrayList<>();
        try (StructureReader in = open(input)) {
            while (in.hasNext()) {
                Structure s = StructureFiles.next(in);
                rows.add(describeFrame(() -> d.describe(s), rows.size()));
            }
        }
        FeatureStandardizer z = null;
        if (standardize && !rows.isEmpty()) {
            FeatureStatistics st = new FeatureStatistics(d.size());
            rows.forEach(st::add);
            z = st.standardizer();
        }
        Map<String, Object> meta = new LinkedHashMap<>(p.toMap());
        meta.put("standardize", standardize);
        String header = "# crucible describe ace-mean " + CliJson.line(meta) + " source=" + input.getFileName() + " columns=" + d.size();
        try (RowSink out = RowSink.open(output, header)) {
            for (double[] r : rows) out.write(z == null ? r : z.apply(r));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + output, e);
        }
        return rows.size();
    }

    private interface Row {
        double[] get();
    }

    private double[] describeFrame(Row row, int frame) {
        try {
            return row.get();
        } catch (IllegalArgumentException e) {
            throw new BadInputException(input + ": frame " + frame + ": " + e.getMessage(), e);
        }
    }

    static Map<String, String> parseParams(List<String> params) {
        Map<String, String> kv = new LinkedHashMap<>();
        for (String p : params) {
            int eq = p.indexOf('=');
            if (eq <= 0) throw new BadInputException("--param must be KEY=VALUE, got '" + p + "'");
            String key = p.substring(0, eq).trim();
            if (kv.put(key, p.substring(eq + 1).trim()) != null) throw new BadInputException("--param " + key + " given twice");
        }
        return kv;
    }

    /** Descriptors read extended XYZ only (whatever the file is called). */
    static StructureReader open(Path path) {
        return StructureFiles.open(path, StructureFormats.Format.EXTXYZ, w -> { });
    }

    /** Sorted atomic numbers present in any frame of a file (one streaming pass). */
    static int[] speciesIn(Path path) {
        TreeSet<Integer> z = new TreeSet<>();
        try (StructureReader in = open(path)) {
            while (in.hasNext()) {
                for (int v : StructureFiles.next(in).atomicNumbers()) z.add(v);
            }
        }
        if (z.isEmpty()) throw new BadInputException(path + ": no atoms in any frame");
        return z.stream().mapToInt(Integer::intValue).toArray();
    }
}
