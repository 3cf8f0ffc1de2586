package org.crucible.core.io;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.crucible.core.testing.TestEnvironment;

/**
 * Runs {@code ase_io.py} (test resource) with Debian's Python and ASE and parses what it prints: the reference
 * side of the round-trip tests. Skips the calling test when that Python or ASE is missing.
 */
final class AseReference {
    /** One frame as ASE sees it; floats are exact (Python repr). */
    record Frame(List<String> symbols, double[] positions, double[] cell, boolean[] pbc, Double energy, double[] forces,
            double[] stress, Map<String, String> infoJson, Map<String, String[]> arrays) {
    }

    private AseReference() {
    }

    static List<Frame> run(String... args) throws IOException, InterruptedException {
        Path py = TestEnvironment.assumeDebianPython("ase", "numpy");
        Path script;
        try {
            script = Path.of(AseReference.class.getResource("ase_io.py").toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
        List<String> cmd = new ArrayList<>(List.of(py.toString(), script.toString()));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(false).start();
        byte[] err = p.getErrorStream().readAllBytes();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException("ASE reference timed out: " + cmd);
        }
        assertEquals(0, p.exitValue(), () -> "ASE reference failed: " + cmd + "\n" + new String(err, StandardCharsets.UTF_8));
        return parse(out);
    }

    private static List<Frame> parse(String out) {
        List<Frame> frames = new ArrayList<>();
        Map<String, String> cur = null;
        Map<String, String> info = null;
        Map<String, String[]> arrays = null;
        for (String line : (out + "frame end\n").split("\n")) {
            String[] kv = line.split(" ", 2);
            String key = kv[0], rest = kv.length > 1 ? kv[1] : "";
            if (key.equals("frame")) {
                if (cur != null) {
                    frames.add(new Frame(List.of(cur.get("symbols").split(" ")), doubles(cur.get("positions")), doubles(cur.get("cell")),
                            bools(cur.get("pbc")), cur.get("energy").equals("none") ? null : Double.parseDouble(cur.get("energy")),
                            cur.get("forces").equals("none") ? null : doubles(cur.get("forces")),
                            cur.get("stress").equals("none") ? null : doubles(cur.get("stress")), info, arrays));
                }
                cur = new LinkedHashMap<>();
                info = new LinkedHashMap<>();
                arrays = new LinkedHashMap<>();
            } else if (key.equals("info")) {
                String[] iv = rest.split(" ", 2);
                info.put(iv[0], iv[1]);
            } else if (key.equals("array")) {
                String[] av = rest.split(" ");
                arrays.put(av[0], av);
            } else if (!key.isEmpty()) {
                cur.put(key, rest);
            }
        }
        return frames;
    }

    static double[] doubles(String s) {
        if (s.isBlank()) return new double[0];
        String[] t = s.trim().split(" ");
        double[] out = new double[t.length];
        for (int i = 0; i < t.length; i++) out[i] = Double.parseDouble(t[i]);
        return out;
    }

    private static boolean[] bools(String s) {
        String[] t = s.split(" ");
        boolean[] out = new boolean[t.length];
        for (int i = 0; i < t.length; i++) out[i] = t[i].equals("T");
        return out;
    }
}
