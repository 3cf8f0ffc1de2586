package org.crucible.driver.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.crucible.core.Cell;
import org.crucible.core.Structure;
import org.crucible.core.io.ExtendedXyz;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class DescriptorCommandsTest {
    @TempDir
    Path dir;

    private static Structure diamond(double a) {
        double[] f = {0, 0, 0, 0, 0.5, 0.5, 0.5, 0, 0.5, 0.5, 0.5, 0, 0.25, 0.25, 0.25, 0.25, 0.75, 0.75, 0.75, 0.25, 0.75, 0.75, 0.75, 0.25};
        double[] xyz = new double[24];
        for (int k = 0; k < 24; k++) xyz[k] = f[k] * a;
        return Structure.of(Cell.cubic(a), new int[] {14, 14, 14, 14, 14, 14, 14, 14}, xyz);
    }

    private static Structure bcc() {
        return Structure.of(Cell.cubic(3.08), new int[] {14, 14}, new double[] {0, 0, 0, 1.54, 1.54, 1.54});
    }

    private String[] run(String... args) {
        CommandLine cl = CrucibleCommand.commandLine();
        StringWriter out = new StringWriter(), err = new StringWriter();
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        int code = cl.execute(args);
        return new String[] {String.valueOf(code), out.toString(), err.toString()};
    }

    @Test
    void describeSoapAverageWritesOneUnitRowPerFrame() throws Exception {
        Path in = dir.resolve("pool.extxyz");
        ExtendedXyz.write(in, List.of(diamond(5.43), diamond(5.6), bcc()));
        Path out = dir.resolve("soap.csv");
        String[] r = run("describe", in.toString(), "--descriptor", "soap-avg", "--param", "nMax=4", "--param", "lMax=3", "--param", "rCut=4.5",
                "--param", "sigmaAt=0.4", "-o", out.toString());
        assertEquals("0", r[0], r[2]);
        List<String> lines = Files.readAllLines(out);
        assertEquals(4, lines.size());
        assertTrue(lines.get(0).startsWith("# crucible describe soap-avg {\"nMax\":4,\"lMax\":3"), lines.get(0));
        for (String line : lines.subList(1, 4)) {
            String[] cells = line.split(",");
            assertEquals(4 * 5 / 2 * 4, cells.length);
            double norm = 0;
            for (String c : cells) norm += Double.parseDouble(c) * Double.parseDouble(c);
            assertEquals(1.0, norm, 1e-12);
        }
    }

    @Test
    void describeAceMeanStandardisesColumnsOverTheFile() throws Exception {
        Path in = dir.resolve("pool.extxyz");
        ExtendedXyz.write(in, List.of(diamond(5.43), diamond(5.6), bcc(), diamond(5.2)));
        Path out = dir.resolve("ace.csv");
        String[] r = run("describe", in.toString(), "--descriptor", "ace-mean", "--param", "maxDegree=6:6", "--param", "lMax=2", "-o", out.toString());
        assertEquals("0", r[0], r[2]);
        List<String> lines = Files.readAllLines(out);
        assertEquals(5, lines.size());
        assertTrue(lines.get(0).contains("\"elements\":[\"Si\"]") && lines.get(0).contains("\"standardize\":true"), lines.get(0));
        int width = lines.get(1).split(",").length;
        double[] sum = new double[width];
        for (String line : lines.subList(1, 5)) {
            String[] cells = line.split(",");
            for (int k = 0; k < width; k++) sum[k] += Double.parseDouble(cells[k]);
        }
        for (double s : sum) assertEquals(0.0, s, 1e-9);
    }

    @Test
    void npyOutputHoldsTheSameNumbersAsCsvAndNumpyReadsIt() throws Exception {
        Path in = dir.resolve("pool.extxyz");
        ExtendedXyz.write(in, List.of(diamond(5.43), bcc(), diamond(5.6)));
        Path csv = dir.resolve("d.csv"), npy = dir.resolve("d.npy");
        String[] common = {"--descriptor", "soap-avg", "--param", "nMax=3", "--param", "lMax=2", "--param", "rCut=4", "--param", "sigmaAt=0.5"};
        assertEquals("0", run(concat(new String[] {"describe", in.toString(), "-o", csv.toString()}, common))[0]);
        assertEquals("0", run(concat(new String[] {"describe", in.toString(), "-o", npy.toString()}, common))[0]);
        List<String> lines = Files.readAllLines(csv);
        byte[] bytes = Files.readAllBytes(npy);
        assertEquals((byte) 0x93, bytes[0]);
        assertEquals("NUMPY", new String(bytes, 1, 5, java.nio.charset.StandardCharsets.US_ASCII));
        String header = new String(bytes, 10, 118, java.nio.charset.StandardCharsets.US_ASCII);
        int cols = lines.get(1).split(",").length;
        assertTrue(header.contains("'shape': (3, " + cols + ")"), header);
        java.nio.ByteBuffer data = java.nio.ByteBuffer.wrap(bytes, 128, bytes.length - 128).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        for (int r = 0; r < 3; r++) {
            String[] cells = lines.get(r + 1).split(",");
            for (String c : cells) assertEquals(Double.parseDouble(c), data.getDouble(), 0.0);
        }
        assertEquals(lines.get(0), Files.readAllLines(dir.resolve("d.npy.txt")).get(0));
        Path python = org.crucible.core.testing.TestEnvironment.assumeDebianPython("numpy");
        String outText = org.crucible.core.testing.Subprocess.output(java.time.Duration.ofSeconds(60), python.toString(), "-c",
                "import numpy,sys; a=numpy.load(sys.argv[1]); print(a.shape[0], a.shape[1], repr(float(a[1,0])))", npy.toString()).trim();
        assertEquals("3 " + cols + " " + Double.parseDouble(lines.get(2).split(",")[0]), outText);
    }

    private static String[] concat(String[] a, String[] b) {
        String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    @Test
    void similarityPrintsKernelAndDistanceForEveryPair() throws Exception {
        Path a = dir.resolve("a.extxyz"), b = dir.resolve("b.extxyz");
        ExtendedXyz.write(a, List.of(diamond(5.43)));
        ExtendedXyz.write(b, List.of(diamond(5.43), bcc()));
        String[] r = run("similarity", a.toString(), b.toString(), "--param", "nMax=6", "--param", "lMax=4", "--param", "rCut=5", "--param", "sigmaAt=0.5");
        assertEquals("0", r[0], r[2]);
        String[] lines = r[1].trim().split("\n");
        assertEquals(3, lines.length);
        assertTrue(lines[0].startsWith("#"));
        String[] self = lines[1].trim().split(" ");
        assertEquals(1.0, Double.parseDouble(self[2]), 1e-12);
        assertEquals(0.0, Double.parseDouble(self[3]), 1e-6);
        String[] other = lines[2].trim().split(" ");
        double k = Double.parseDouble(other[2]);
        assertTrue(k < 1.0, "diamond vs bcc kernel " + k);
        assertEquals(Math.sqrt(2 - 2 * k), Double.parseDouble(other[3]), 1e-9);
    }

    @Test
    void badInputExitsWithTwoAndNamesTheProblem() throws Exception {
        Path in = dir.resolve("pool.extxyz");
        ExtendedXyz.write(in, List.of(diamond(5.43)));
        String[] r = run("describe", in.toString(), "--descriptor", "soap-avg", "--param", "nmax=4", "-o", dir.resolve("x.csv").toString());
        assertEquals("2", r[0]);
        assertTrue(r[2].contains("nmax"), r[2]);
        r = run("describe", in.toString(), "--descriptor", "soup", "-o", dir.resolve("x.csv").toString());
        assertEquals("2", r[0]);
        assertTrue(r[2].contains("soup"), r[2]);
        Path broken = dir.resolve("broken.extxyz");
        Files.writeString(broken, "2\nLattice=\"5 0 0 0 5 0 0 0 5\" Properties=species:S:1:pos:R:3\nSi 0 0 0\nSi 1.0 abc 0\n");
        r = run("similarity", broken.toString(), in.toString());
        assertEquals("2", r[0]);
        assertTrue(r[2].contains("broken.extxyz") && r[2].contains("4"), r[2]);
    }
}
