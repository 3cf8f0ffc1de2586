package org.crucible.executors.symmetry;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.crucible.core.Structure;
import org.crucible.core.testing.Subprocess;

/** Test helper: asks Debian's spglib for the space-group number of many structures in one python call. */
public final class SpglibBridge {
    private static final String SCRIPT = String.join("\n",
            "import sys, json, spglib",
            "prec = float(sys.argv[2])",
            "out = []",
            "for line in open(sys.argv[1]):",
            "    d = json.loads(line)",
            "    ds = spglib.get_symmetry_dataset((d['l'], d['f'], d['z']), symprec=prec)",
            "    out.append(str(ds['number'] if ds is not None else 0))",
            "print(' '.join(out))");

    private SpglibBridge() {
    }

    /** Space-group numbers (0 when spglib finds none) at symprec (Angstrom). */
    public static int[] numbers(Path python, List<Structure> structures, double symprec) throws IOException, InterruptedException {
        Path in = Files.createTempFile("crucible-spglib", ".jsonl");
        try {
            List<String> lines = new ArrayList<>();
            for (Structure s : structures) lines.add(json(s));
            Files.write(in, lines, StandardCharsets.US_ASCII);
            String text = Subprocess.output(Duration.ofSeconds(120), python.toString(), "-c", SCRIPT, in.toString(), Double.toString(symprec)).trim();
            String[] f = text.split("\\s+");
            if (f.length != structures.size()) throw new IOException("spglib answered " + f.length + " numbers for " + structures.size() + ": " + text);
            int[] out = new int[f.length];
            for (int i = 0; i < f.length; i++) out[i] = Integer.parseInt(f[i]);
            return out;
        } finally {
            Files.deleteIfExists(in);
        }
    }

    private static String json(Structure s) {
        StringBuilder sb = new StringBuilder("{\"l\":[");
        double[] m = s.cell().matrix();
        for (int r = 0; r < 3; r++) {
            sb.append(r > 0 ? "," : "").append(String.format(Locale.ROOT, "[%.12f,%.12f,%.12f]", m[3 * r], m[3 * r + 1], m[3 * r + 2]));
        }
        sb.append("],\"f\":[");
        double[] f = s.cell().toFractionalAll(s.positions());
        for (int i = 0; i < s.size(); i++) {
            sb.append(i > 0 ? "," : "").append(String.format(Locale.ROOT, "[%.12f,%.12f,%.12f]", f[3 * i], f[3 * i + 1], f[3 * i + 2]));
        }
        sb.append("],\"z\":[");
        for (int i = 0; i < s.size(); i++) sb.append(i > 0 ? "," : "").append(s.atomicNumber(i));
        return sb.append("]}").toString();
    }
}
