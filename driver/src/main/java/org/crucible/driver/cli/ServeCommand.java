package org.crucible.driver.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.SocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.crucible.core.Structure;
import org.crucible.core.io.StructureReader;
import org.crucible.driver.interop.CommitteeForceField;
import org.crucible.driver.interop.IpiClient;
import org.crucible.driver.interop.IpiException;
import org.crucible.driver.interop.IpiUnits;
import org.crucible.executors.potentials.LinearPotential;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code crucible serve MODEL.json --structure FILE (--ipi [HOST:]PORT | --unix NAME)}: a fitted potential as an
 * i-PI client, so that i-PI or ASE ({@code SocketIOCalculator}) drive MD, path-integral MD or relaxations
 * with it. The server sends only cell and positions; species come from {@code --structure} and its atom count must
 * match the server's (exit 2 otherwise). See docs/interop.md.
 */
@Command(name = "serve", description = "Serve a fitted potential over the i-PI socket protocol to an i-PI server (i-PI, ASE SocketIOCalculator).")
public final class ServeCommand implements CliCommand, Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "MODEL.json", description = "A fitted potential (crucible fit).")
    Path model;

    @Option(names = "--structure", required = true, paramLabel = "FILE",
            description = "The system (extended XYZ, POSCAR or CIF): species and periodicity; the server sends cell and positions only.")
    Path structure;

    @Option(names = "--frame", defaultValue = "0", paramLabel = "I", description = "Which frame of --structure (default ${DEFAULT-VALUE}).")
    int frame;

    @Option(names = "--ipi", paramLabel = "[HOST:]PORT", description = "Connect to an i-PI server over TCP (host default 127.0.0.1).")
    String ipi;

    @Option(names = "--unix", paramLabel = "NAME", description = "Connect to the UNIX socket /tmp/ipi_NAME (as i-PI and ASE name it).")
    String unix;

    @Option(names = "--units", defaultValue = "ase", paramLabel = "U",
            description = "Bohr and Hartree values of the server: ase (CODATA 2014 as ase.units), ipi (i-PI's table) or codata2018 (default ${DEFAULT-VALUE}).")
    String units;

    @Option(names = "--committee", description = "Send the committee spread as JSON in the extras string (K + 1 evaluations per step).")
    boolean committee;

    @Option(names = "--connect-timeout-s", defaultValue = "30", paramLabel = "S",
            description = "Keep trying to connect for S seconds while the server is not yet listening (default ${DEFAULT-VALUE}).")
    double connectTimeout;

    @Override
    public Integer call() throws IOException, InterruptedException {
        SocketAddress address = address(ipi, unix);
        IpiUnits u;
        try {
            u = IpiUnits.byName(units);
        } catch (IllegalArgumentException e) {
            throw new BadInputException("--units: " + e.getMessage(), e);
        }
        if (!(connectTimeout >= 0)) throw new BadInputException("--connect-timeout-s must be >= 0, got " + connectTimeout);
        if (!java.nio.file.Files.isRegularFile(model)) throw new BadInputException("MODEL.json: model file " + model + " does not exist");
        LinearPotential potential = PotentialOptions.load(model, "MODEL.json");
        Structure system = system(structure, frame);
        IpiClient.ForceField ff = committee ? new CommitteeForceField(potential) : IpiClient.ForceField.of(potential);
        PrintWriter out = spec.commandLine().getOut();
        try (SocketChannel ch = connect(address, connectTimeout)) {
            IpiClient.Summary s = new IpiClient(ch, system, ff, u).run();
            out.printf("served %d geometries of %s to %s (%s)%n", s.evaluations(), system.formula(), describe(address),
                    s.exitReceived() ? "the server sent EXIT" : "the server closed the connection");
            out.flush();
            return 0;
        } catch (IpiException e) {
            if (e.badInput()) throw new BadInputException(structure + ": " + e.getMessage(), e);
            throw e;
        }
    }

    /** {@code --ipi [HOST:]PORT} or {@code --unix NAME}, exactly one, validated. */
    static SocketAddress address(String ipi, String unix) {
        if ((ipi == null) == (unix == null)) throw new BadInputException("give exactly one of --ipi [HOST:]PORT and --unix NAME");
        if (unix != null) {
            if (unix.isEmpty() || unix.contains("/") || unix.contains("\0") || ("/tmp/ipi_" + unix).length() > 107) {
                throw new BadInputException("--unix: '" + unix + "' must be a non-empty name without '/' of at most 98 characters (the socket is /tmp/ipi_NAME)");
            }
            return IpiClient.unixSocket(unix);
        }
        int colon = ipi.lastIndexOf(':');
        String host = colon < 0 ? "127.0.0.1" : ipi.substring(0, colon);
        String port = colon < 0 ? ipi : ipi.substring(colon + 1);
        if (host.startsWith("[") && host.endsWith("]")) host = host.substring(1, host.length() - 1);
        if (host.isEmpty()) throw new BadInputException("--ipi: '" + ipi + "' has an empty host (give HOST:PORT or PORT)");
        int p;
        try {
            p = Integer.parseInt(port);
        } catch (NumberFormatException e) {
            throw new BadInputException("--ipi: '" + ipi + "': port '" + port + "' is not a number (give HOST:PORT or PORT)");
        }
        if (p < 1 || p > 65535) throw new BadInputException("--ipi: port " + p + " is outside 1..65535");
        return IpiClient.inet(host, p);
    }

    private static Structure system(Path file, int frame) {
        if (frame < 0) throw new BadInputException("--frame must be >= 0, got " + frame);
        try (StructureReader frames = CalcCommand.open(file, new PrintWriter(System.err, true))) {
            for (int i = 0; CalcCommand.next(frames, file); i++) {
                Structure s = CalcCommand.read(frames, file);
                if (i == frame) return s;
            }
        }
        throw new BadInputException("--structure: " + file + " has no frame " + frame);
    }

    private static SocketChannel connect(SocketAddress address, double timeoutSeconds) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + (long) (timeoutSeconds * 1e9);
        while (true) {
            try {
                return IpiClient.connect(address);
            } catch (java.net.SocketException e) {
                if (System.nanoTime() > deadline) {
                    throw new IOException("cannot connect to the i-PI server at " + describe(address) + ": " + e.getMessage(), e);
                }
                Thread.sleep(100);
            }
        }
    }

    private static String describe(SocketAddress a) {
        return a instanceof java.net.UnixDomainSocketAddress u ? u.getPath().toString() : a.toString();
    }
}
