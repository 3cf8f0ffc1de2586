package org.crucible.driver.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.crucible.core.Cell;
import org.crucible.core.Labels;
import org.crucible.core.Structure;
import org.crucible.core.io.ExtendedXyz;
import org.crucible.executors.potentials.LinearPotential;
import org.crucible.executors.potentials.ModelFile;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code crucible serve} against Debian's ASE: {@code SocketIOCalculator} is the i-PI server and drives a short
 * VelocityVerlet MD (UNIX socket) and a BFGS relaxation (loopback TCP) of Si8 with a model fitted by {@code crucible
 * fit}, and ASE's {@code IPIProtocol} sends rattled geometries to a client with {@code --committee}; every energy ASE received equals {@code crucible calc --potential} on the same positions to 1e-8 eV, and
 * forces and stress equal the Java model's.
 */
class ServeCommandAseTest {
    static final String PYTHON = "/usr/bin/python3";
    static final AtomicInteger SOCKETS = new AtomicInteger();

    @TempDir
    static Path dir;
    static Path model;
    static Path si8;
    static Path script;
    static LinearPotential potential;

    @BeforeAll
    static void fitModelAndWriteTheSystem() throws Exception {
        Path train = dir.resolve("train.extxyz");
        ExtendedXyz.write(train, FitCommandTest.rattledSi8(1, 40));
        model = dir.resolve("model.json");
        String[] r = FitCommandTest.run("fit", train.toString(), "--basis", FitCommandTest.BASIS, "-o", model.toString());
        assertEquals("0", r[0], r[2]);
        potential = ModelFile.read(model).potential();
        si8 = dir.resolve("si8.extxyz");
        ExtendedXyz.write(si8, List.of(FitCommandTest.rattledSi8(11, 1).get(0).withLabels(Labels.NONE)));
        script = dir.resolve("ase_socket_server.py");
        try (InputStream in = ServeCommandAseTest.class.getResourceAsStream("/interop/ase_socket_server.py")) {
            Files.copy(in, script, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    record Run(String[] serve, List<JsonNode> records) {
    }

    /** Starts ASE's server, runs {@code crucible serve} against it in this JVM, returns serve's result and ASE's records. */
    static Run drive(String mode, String transport, int steps, Path serverStructure, String... serveArgs) throws Exception {
        Path out = dir.resolve(mode + "-" + SOCKETS.incrementAndGet() + ".jsonl");
        Path err = dir.resolve(out.getFileName() + ".stderr");
        Process py = new ProcessBuilder(PYTHON, script.toString(), mode, transport, serverStructure.toString(), Integer.toString(steps), out.toString())
                .redirectError(err.toFile()).start();
        try {
            BufferedReader stdout = new BufferedReader(new InputStreamReader(py.getInputStream(), StandardCharsets.UTF_8));
            String first = stdout.readLine();
            assertEquals("LISTENING", first, () -> "ASE server did not start: " + read(err));
            List<String> args = new ArrayList<>(List.of("serve", model.toString()));
            args.addAll(List.of(serveArgs));
            String[] serve = FitCommandTest.run(args.toArray(String[]::new));
            List<JsonNode> records = new ArrayList<>();
            if (serve[0].equals("0")) {
                assertTrue(py.waitFor(60, TimeUnit.SECONDS), "ASE finished");
                assertEquals(0, py.exitValue(), () -> read(err));
                ObjectMapper json = new ObjectMapper();
                for (String line : Files.readAllLines(out)) records.add(json.readTree(line));
            }
            return new Run(serve, records);
        } finally {
            py.destroyForcibly();
            py.waitFor(10, TimeUnit.SECONDS);
        }
    }

    static String read(Path p) {
        try {
            return Files.readString(p);
        } catch (java.io.IOException e) {
            return "(no " + p + ")";
        }
    }

    /** The structure ASE held at each recorded force call (positions and cell exactly as ASE had them). */
    static List<Structure> structures(List<JsonNode> records) {
        List<Structure> out = new ArrayList<>();
        int[] z = new int[8];
        java.util.Arrays.fill(z, 14);
        for (JsonNode r : records) {
            if (!r.has("energy")) continue;
            double[] x = new double[24];
            double[] c = new double[9];
            for (int i = 0; i < 24; i++) x[i] = r.get("positions").get(i).asDouble();
            for (int i = 0; i < 9; i++) c[i] = r.get("cell").get(i).asDouble();
            out.add(Structure.of(new Cell(c, new boolean[] {true, true, true}), z, x));
        }
        return out;
    }

    /** ASE's energies against {@code crucible calc --potential --json} on the same positions; forces and stress against the model. */
    static void assertAseSawTheModel(List<JsonNode> records) throws Exception {
        double maxDe = maxEnergyDifference(records, true);
        assertTrue(maxDe <= 1e-8, "largest |E_ASE - E_calc| = " + maxDe + " eV");
    }

    /** Largest |E_ASE - E_calc| over the records; with {@code checkForces} also forces and stress against the model. */
    static double maxEnergyDifference(List<JsonNode> records, boolean checkForces) throws Exception {
        List<Structure> frames = structures(records);
        Path xyz = dir.resolve("seen-" + SOCKETS.incrementAndGet() + ".extxyz");
        ExtendedXyz.write(xyz, frames);
        String[] calc = FitCommandTest.run("calc", xyz.toString(), "--potential", model.toString(), "--json");
        assertEquals("0", calc[0], calc[2]);
        String[] lines = calc[1].strip().split("\n");
        assertEquals(frames.size(), lines.length);
        ObjectMapper json = new ObjectMapper();
        double maxDe = 0;
        for (int k = 0; k < frames.size(); k++) {
            JsonNode rec = records.get(k);
            double eJava = json.readTree(lines[k]).get("energy_eV").asDouble();
            double eAse = rec.get("energy").asDouble();
            maxDe = Math.max(maxDe, Math.abs(eJava - eAse));
            if (!checkForces) continue;
            Labels l = potential.calculate(frames.get(k));
            for (int i = 0; i < 24; i++) assertEquals(l.forces()[i], rec.get("forces").get(i).asDouble(), 1e-8, "force " + i + " of frame " + k);
            for (int i = 0; i < 6; i++) assertEquals(l.stress()[i], rec.get("stress").get(i).asDouble(), 1e-10, "stress " + i + " of frame " + k);
        }
        return maxDe;
    }

    /** The units matter: a client converting with CODATA 2018 against ASE's CODATA 2014 is off by ~8e-9 of the energy. */
    @Test
    void mismatchedUnitsShowAsAnEnergyOffset() throws Exception {
        String name = "crucible-test-" + ProcessHandle.current().pid() + "-" + SOCKETS.incrementAndGet();
        Run run = drive("md", "unix:" + name, 3, si8, "--structure", si8.toString(), "--unix", name, "--units", "codata2018");
        assertEquals("0", run.serve()[0], run.serve()[2]);
        double maxDe = maxEnergyDifference(run.records().subList(0, run.records().size() - 1), false);
        double e = Math.abs(run.records().get(0).get("energy").asDouble());
        double expected = e * (1 - org.crucible.driver.interop.IpiUnits.ASE.hartreeEv() / org.crucible.driver.interop.IpiUnits.CODATA_2018.hartreeEv());
        assertTrue(maxDe > 1e-8 && Math.abs(maxDe - expected) < 0.3 * expected, "offset " + maxDe + " eV, expected about " + expected);
    }

    @Test
    void aseRunsVelocityVerletThroughAUnixSocket() throws Exception {
        String name = "crucible-test-" + ProcessHandle.current().pid() + "-" + SOCKETS.incrementAndGet();
        Run run = drive("md", "unix:" + name, 50, si8, "--structure", si8.toString(), "--unix", name);
        assertEquals("0", run.serve()[0], run.serve()[2]);
        List<JsonNode> frames = run.records().subList(0, run.records().size() - 1);
        assertEquals(51, frames.size(), "the initial state and 50 steps");
        assertTrue(run.serve()[1].contains("served 51 geometries of Si8"), run.serve()[1]);
        double lo = Double.POSITIVE_INFINITY, hi = Double.NEGATIVE_INFINITY;
        for (JsonNode r : frames) {
            lo = Math.min(lo, r.get("energy").asDouble());
            hi = Math.max(hi, r.get("energy").asDouble());
        }
        assertTrue(hi - lo > 1e-3, "the MD moved the atoms: energies span " + (hi - lo) + " eV");
        assertAseSawTheModel(frames);
        assertFalse(Files.exists(Path.of("/tmp/ipi_" + name)), "ASE removed its socket");
    }

    static int freePort() throws java.io.IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    @Test
    void aseRelaxesThroughLoopbackTcp() throws Exception {
        int port = freePort();
        Run run = drive("relax", "port:" + port, 15, si8, "--structure", si8.toString(), "--ipi", "127.0.0.1:" + port);
        assertEquals("0", run.serve()[0], run.serve()[2]);
        List<JsonNode> frames = run.records().subList(0, run.records().size() - 1);
        assertTrue(frames.size() >= 5, "BFGS steps: " + frames.size());
        double first = frames.get(0).get("energy").asDouble(), last = frames.get(frames.size() - 1).get("energy").asDouble();
        assertTrue(last < first - 1e-3, "the relaxation lowered the energy: " + first + " -> " + last);
        assertAseSawTheModel(frames);
    }

    /** ASE's IPIProtocol as the server, sending EXIT at the end; the committee spread arrives as JSON extras. */
    @Test
    void committeeSpreadTravelsInTheExtrasAndExitEndsTheClient() throws Exception {
        int port = freePort();
        Run run = drive("points", "port:" + port, 6, si8, "--structure", si8.toString(), "--ipi", Integer.toString(port), "--committee");
        assertEquals("0", run.serve()[0], run.serve()[2]);
        assertTrue(run.serve()[1].contains("served 6 geometries") && run.serve()[1].contains("the server sent EXIT"), run.serve()[1]);
        List<JsonNode> frames = run.records().subList(0, run.records().size() - 1);
        assertEquals(6, frames.size());
        ObjectMapper json = new ObjectMapper();
        List<Structure> seen = structures(frames);
        for (int k = 0; k < frames.size(); k++) {
            JsonNode extras = json.readTree(frames.get(k).get("extras").asText());
            var p = potential.predict(seen.get(k), false);
            assertEquals(p.sigmaEnergy(), extras.get("committee_sigma_energy_eV").asDouble(), 1e-12);
            assertEquals(p.maxForceSpread(), extras.get("committee_max_force_spread_eV_per_A").asDouble(), 1e-12);
            assertTrue(extras.get("committee_sigma_energy_eV").asDouble() > 0);
            assertEquals(8, extras.get("committee_force_spread_eV_per_A").size());
        }
        assertAseSawTheModel(frames);
    }

    @Test
    void anAtomCountThatDiffersFromTheServersIsExit2() throws Exception {
        Structure s8 = ExtendedXyz.read(si8).get(0);
        Structure s7 = Structure.of(s8.cell(), java.util.Arrays.copyOf(s8.atomicNumbers(), 7), java.util.Arrays.copyOf(s8.positions(), 21));
        Path si7 = dir.resolve("si7.extxyz");
        ExtendedXyz.write(si7, List.of(s7));
        String name = "crucible-test-" + ProcessHandle.current().pid() + "-" + SOCKETS.incrementAndGet();
        Run run = drive("md", "unix:" + name, 3, si8, "--structure", si7.toString(), "--unix", name);
        assertEquals("2", run.serve()[0], run.serve()[1] + run.serve()[2]);
        assertTrue(run.serve()[2].contains("si7.extxyz") && run.serve()[2].contains("8 atoms") && run.serve()[2].contains("has 7"), run.serve()[2]);
    }

    @Test
    void badSocketOptionsAreExit2NamingTheOption() {
        String[][] cases = {
                {"--structure", "S", "--unix", "a", "--ipi", "1234"},
                {"--structure", "S"},
                {"--structure", "S", "--ipi", "localhost:70000"},
                {"--structure", "S", "--ipi", "localhost:http"},
                {"--structure", "S", "--ipi", ":31415"},
                {"--structure", "S", "--unix", "a/b"},
                {"--structure", "S", "--unix", "x", "--units", "furlongs"},
        };
        String[] expected = {"exactly one", "exactly one", "outside 1..65535", "not a number", "empty host", "--unix", "--units"};
        for (int i = 0; i < cases.length; i++) {
            List<String> args = new ArrayList<>(List.of("serve", model.toString()));
            args.addAll(List.of(cases[i]).stream().map(a -> a.equals("S") ? si8.toString() : a).toList());
            String[] r = FitCommandTest.run(args.toArray(String[]::new));
            assertEquals("2", r[0], String.join(" ", args) + ": " + r[2]);
            assertTrue(r[2].contains(expected[i]), r[2]);
        }
    }
}
