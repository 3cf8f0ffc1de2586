package org.crucible.driver.cli;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.concurrent.Callable;
import java.util.stream.LongStream;
import org.crucible.driver.pool.PoolEntry;
import org.crucible.driver.pool.PoolException;
import org.crucible.driver.pool.PoolFiles;
import org.crucible.core.Structure;
import org.crucible.core.io.ExtendedXyz;
import org.crucible.executors.generators.CandidateGenerator;
import org.crucible.executors.generators.Composition;
import org.crucible.executors.generators.DimerGenerator;
import org.crucible.executors.generators.GenerationException;
import org.crucible.executors.generators.LatticeSampler;
import org.crucible.executors.generators.MinimumSeparation;
import org.crucible.executors.generators.RandomCellGenerator;
import org.crucible.executors.generators.SpaceGroupGenerator;
import org.crucible.executors.generators.VolumeModel;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code crucible generate}: candidate structures, written as extended XYZ ({@code .extxyz}, {@code .xyz}) or as a
 * pool (a Parquet dataset, docs/pools.md) at any other path or Hadoop URI, streamed one candidate at a time (one
 * partition file in memory). Candidate i of a seed is the same in every run, so {@code --first} splits a pool between
 * machines; the pool id of a candidate is its index.
 */
@Command(name = "generate", description = "Generate candidate structures (random AIRSS cells, space-group crystals, dimers).")
public final class GenerateCommand implements CliCommand, Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--composition", paramLabel = "FORMULA", required = true, description = "Atoms per cell, e.g. Si16, Na4Cl4 (for dimers: the elements).")
    String composition;

    @Option(names = "--method", paramLabel = "METHOD", defaultValue = "random", description = "random | spacegroup | dimers (default ${DEFAULT-VALUE}).")
    String method;

    @Option(names = "--spacegroup", paramLabel = "N", description = "Space-group number 1..230 (method spacegroup).")
    Integer spaceGroup;

    @Option(names = "--count", paramLabel = "N", defaultValue = "10", description = "Number of candidates (default ${DEFAULT-VALUE}).")
    long count;

    @Option(names = "--first", paramLabel = "I", defaultValue = "0", description = "Index of the first candidate (default ${DEFAULT-VALUE}).")
    long first;

    @Option(names = "--seed", converter = SeedConverter.class, paramLabel = "SEED", defaultValue = "0", description = "Random seed (default ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--symmetry-ops", paramLabel = "RANGE", defaultValue = "1-8", description = "Range of symmetry operations for random cells (default ${DEFAULT-VALUE}).")
    String ops;

    @Option(names = "--volume", paramLabel = "KIND", defaultValue = "covalent", description = "covalent (14.5 r^3) | metallic (5.5 r^3) (default ${DEFAULT-VALUE}).")
    String volume;

    @Option(names = "--wide", description = "Wide volume range (+-25 %%) instead of the narrow one (+-5 %%).")
    boolean wide;

    @Option(names = "--min-separation", paramLabel = "X", defaultValue = "1.8", description = "Minimum separation in units of the mean covalent radius (default ${DEFAULT-VALUE}).")
    double minSeparation;

    @Option(names = "--max-length", paramLabel = "ANGSTROM", defaultValue = "100", description = "Longest lattice vector, Angstrom (default ${DEFAULT-VALUE}).")
    double maxLength;

    @Option(names = "--primitive", description = "Write the primitive cell (method spacegroup).")
    boolean primitive;

    @Option(names = "--exact", description = "Method spacegroup: reject candidates whose symmetry is a supergroup (checked with SpaceGroupFinder).")
    boolean exact;

    @Option(names = "--partitions", defaultValue = "1", description = "Pool output: number of partition files (default ${DEFAULT-VALUE}).")
    int partitions;

    @Option(names = {"-o", "--output"}, required = true, paramLabel = "OUT",
            description = "An .extxyz/.xyz file, or a pool: a directory (no extension, or .parquet) or Hadoop URI (file:, hdfs:) that every command reading structures reads.")
    Path output;

    @Override
    public Integer call() {
        if (count < 0 || first < 0) throw new BadInputException("--count and --first must be >= 0, got " + count + " and " + first);
        CandidateGenerator g = generator();
        boolean pool = isPool(output);
        if (partitions < 1) throw new BadInputException("--partitions must be >= 1, got " + partitions);
        String provenance = "generate " + method + " " + composition + (spaceGroup != null ? " sg=" + spaceGroup : "") + " seed=" + org.crucible.driver.pool.Seeds.text(seed);
        try {
            if (pool) {
                String uri = StructureFiles.poolUri(output).orElse(output.toAbsolutePath().normalize().toUri().toString());
                try {
                    PoolFiles.requireReplaceable(uri);
                } catch (PoolException e) {
                    throw new BadInputException("-o " + output + ": " + e.getMessage());
                }
                writePool(uri, g, provenance);
            } else {
                try (BufferedWriter w = Files.newBufferedWriter(output)) {
                    for (long i = first; i < first + count; i++) ExtendedXyz.write(w, g.generate(seed, i));
                }
            }
        } catch (GenerationException e) {
            throw new BadInputException("--composition " + composition + (spaceGroup != null ? " --spacegroup " + spaceGroup : "")
                    + ": " + e.getMessage(), e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + output, e);
        }
        spec.commandLine().getOut().printf("wrote %d %s candidates of %s (seed %s, first %d) to %s%n", count, method, composition, org.crucible.driver.pool.Seeds.text(seed), first, output);
        return 0;
    }

    /**
     * Whether {@code -o} names a pool (a Hadoop URI, or a name without extension or ending in {@code .parquet}) rather
     * than an extended XYZ file ({@code .extxyz}, {@code .xyz}). Any other extension is refused before anything is
     * generated: {@code -o out.cif} or {@code -o pool.crpool} would otherwise become a pool directory of that name.
     */
    static boolean isPool(Path output) {
        if (StructureFiles.poolUri(output).isPresent()) return true;
        String name = output.getFileName() == null ? "" : output.getFileName().toString();
        String lower = name.toLowerCase(java.util.Locale.ROOT);
        if (lower.endsWith(".extxyz") || lower.endsWith(".xyz")) return false;
        int dot = name.lastIndexOf('.');
        if (dot <= 0 || lower.endsWith(".parquet")) return true;
        throw new BadInputException("-o " + output + ": generate writes extended XYZ (a name ending in .extxyz or .xyz) or a pool "
                + "(a directory name without extension or ending in .parquet, or a file:/hdfs: URI; docs/pools.md), not '"
                + name.substring(dot) + "'" + (lower.endsWith(".crpool") ? " (the .crpool format of earlier versions is gone)" : ""));
    }

    /** Writes candidates first..first+count-1 as a pool in contiguous partitions, each generated as it is written. */
    private void writePool(String uri, CandidateGenerator g, String provenance) {
        PoolFiles.begin(uri);
        long n = 0;
        for (int p = 0; p < partitions; p++) {
            long from = first + count * p / partitions, to = first + count * (p + 1) / partitions;
            Iterator<PoolEntry> entries = LongStream.range(from, to)
                    .mapToObj(i -> PoolEntry.of(i, g.generate(seed, i).withInfo(java.util.Map.of()), provenance + " candidate=" + i)).iterator();
            n += PoolFiles.writePartition(PoolFiles.tempOf(uri), p, entries);
        }
        PoolFiles.commit(uri, n);
    }

    private CandidateGenerator generator() {
        Composition c;
        try {
            c = Composition.parse(composition);
        } catch (IllegalArgumentException e) {
            throw new BadInputException("--composition: " + e.getMessage());
        }
        VolumeModel v = switch (volume) {
            case "covalent" -> VolumeModel.covalent();
            case "metallic" -> VolumeModel.metallic();
            default -> throw new BadInputException("--volume '" + volume + "': write covalent or metallic");
        };
        if (wide) v = v.wide();
        if (!(minSeparation > 0)) throw new BadInputException("--min-separation must be > 0, got " + minSeparation);
        MinimumSeparation d = MinimumSeparation.scaled(minSeparation);
        LatticeSampler lattice;
        try {
            lattice = new LatticeSampler(LatticeSampler.DEFAULT.minLength(), maxLength, LatticeSampler.DEFAULT.minHeightFraction());
        } catch (IllegalArgumentException e) {
            throw new BadInputException("--max-length: " + e.getMessage());
        }
        try {
            return switch (method) {
                case "random" -> {
                    int[] range = range(ops, "--symmetry-ops");
                    yield new RandomCellGenerator(RandomCellGenerator.Settings.of(c, 1, 1).withOps(range[0], range[1])
                            .withVolume(v).withSeparation(d).withLattice(lattice));
                }
                case "spacegroup" -> {
                    if (spaceGroup == null) throw new BadInputException("--method spacegroup needs --spacegroup N (1..230)");
                    if (spaceGroup < 1 || spaceGroup > 230) throw new BadInputException("--spacegroup must be 1..230, got " + spaceGroup);
                    yield new SpaceGroupGenerator(SpaceGroupGenerator.Settings.of(c, spaceGroup).withVolume(v).withSeparation(d)
                            .withLattice(lattice).withPrimitive(primitive).withExactGroup(exact));
                }
                case "dimers" -> new DimerGenerator(c.symbols(), 1.5, 4.0, 10, 15.0);
                default -> throw new BadInputException("--method '" + method + "': write random, spacegroup or dimers");
            };
        } catch (GenerationException e) {
            throw new BadInputException("--composition " + composition + (spaceGroup != null ? " --spacegroup " + spaceGroup : "")
                    + ": " + e.getMessage(), e);
        }
    }

    private static int[] range(String text, String option) {
        String[] f = text.split("-");
        try {
            int a = Integer.parseInt(f[0].trim());
            int b = f.length > 1 ? Integer.parseInt(f[1].trim()) : a;
            if (f.length > 2 || a < 1 || b < a) throw new NumberFormatException();
            return new int[] {a, b};
        } catch (NumberFormatException e) {
            throw new BadInputException(option + " '" + text + "': write a range such as 1-8 or a single number >= 1");
        }
    }
}
