package org.crucible.driver.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import org.crucible.core.Structure;
import org.crucible.core.io.StructureReader;
import org.crucible.executors.descriptors.AveragedSoap;
import org.crucible.executors.descriptors.SoapParameters;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code crucible similarity A.extxyz B.extxyz [--param k=v ...]}: the configuration-averaged SOAP kernel
 * k = (p_A . p_B)^zeta and distance sqrt(2 - 2k) (GAP-RSS eq. 5) between every frame of A and every frame of B.
 * Species default to the union over both files so the vectors share channels. Output: a {@code #} header line
 * and one line "frameA frameB kernel distance" per pair.
 */
@Command(name = "similarity", description = "Averaged-SOAP kernel and distance between the frames of two extended XYZ files.")
public final class SimilarityCommand implements CliCommand, Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "A", description = "Extended XYZ file.")
    Path a;

    @Parameters(index = "1", paramLabel = "B", description = "Extended XYZ file.")
    Path b;

    @Option(names = "--param", paramLabel = "KEY=VALUE", description = "Averaged-SOAP parameter (repeatable), as for describe.")
    List<String> params = new ArrayList<>();

    @Override
    public Integer call() {
        try {
            return compare();
        } catch (org.crucible.core.io.FormatException e) {
            throw new BadInputException(e.getMessage(), e);
        }
    }

    private int compare() {
        Map<String, String> kv = DescribeCommand.parseParams(params);
        SoapParameters p;
        try {
            p = SoapParameters.defaults().with(kv);
        } catch (IllegalArgumentException e) {
            throw new BadInputException("--param: " + e.getMessage(), e);
        }
        if (p.species().length == 0) {
            // union of both files so the two descriptors share channels
            TreeSet<Integer> z = new TreeSet<>();
            for (int v : DescribeCommand.speciesIn(a)) z.add(v);
            for (int v : DescribeCommand.speciesIn(b)) z.add(v);
            p = p.withSpecies(z.stream().mapToInt(Integer::intValue).toArray());
        }
        AveragedSoap soap = new AveragedSoap(p);
        List<double[]> pa = describeAll(soap, a), pb = describeAll(soap, b);
        PrintWriter out = spec.commandLine().getOut();
        out.println("# averaged SOAP " + CliJson.line(p.toMap()) + "; columns: frameA frameB kernel distance");
        for (int i = 0; i < pa.size(); i++) {
            for (int j = 0; j < pb.size(); j++) {
                double k = AveragedSoap.kernel(pa.get(i), pb.get(j), p.zeta());
                out.printf("%d %d %.12f %.12f%n", i, j, k, Math.sqrt(Math.max(0, 2 - 2 * k)));
            }
        }
        out.flush();
        return 0;
    }

    private static List<double[]> describeAll(AveragedSoap soap, Path path) {
        List<double[]> rows = new ArrayList<>();
        try (StructureReader in = DescribeCommand.open(path)) {
            while (in.hasNext()) {
                Structure s = StructureFiles.next(in);
                try {
                    rows.add(soap.describe(s));
                } catch (IllegalArgumentException e) {
                    throw new BadInputException(path + ": frame " + rows.size() + ": " + e.getMessage(), e);
                }
            }
        }
        if (rows.isEmpty()) throw new BadInputException(path + ": no frames");
        return rows;
    }
}
