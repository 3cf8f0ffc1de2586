package org.crucible.driver.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.crucible.core.Cell;
import org.crucible.core.Structure;

/**
 * Reads the structures the {@code dft} commands take: extended XYZ frames (ASE's format: atom count, a comment
 * line of key=value pairs with {@code Lattice="ax ay az bx by bz cx cy cz"}, {@code pbc="T T T"} and
 * {@code Properties=species:S:1:pos:R:3...}, then one line per atom). A frame without {@code Lattice} is a
 * molecule (no cell, no periodicity). Integer-valued keys such as {@code charge} and {@code multiplicity} are
 * kept in the structure's info. Errors name the file and line.
 *
 * <p>This reader covers what the DFT commands need; core's full extended XYZ support lives in
 * {@code org.crucible.core.io} (branch core-io).
 */
final class StructureFiles {
    private static final Pattern KV = Pattern.compile("([A-Za-z_][\\w\\-]*)\\s*=\\s*(\"[^\"]*\"|'[^']*'|\\{[^}]*\\}|\\S+)");

    private StructureFiles() {
    }

    static List<Structure> read(Path file) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file);
        } catch (IOException e) {
            throw new BadInputException("cannot read " + file + ": " + e.getMessage(), e);
        }
        List<Structure> out = new ArrayList<>();
        int i = 0;
        while (i < lines.size()) {
            if (lines.get(i).isBlank()) {
                i++;
                continue;
            }
            int n;
            try {
                n = Integer.parseInt(lines.get(i).trim());
            } catch (NumberFormatException e) {
                throw new BadInputException(file + ":" + (i + 1) + ": expected the atom count of an extended XYZ frame, got '" + lines.get(i).trim() + "'");
            }
            if (n < 1) throw new BadInputException(file + ":" + (i + 1) + ": atom count must be >= 1, got " + n);
            if (i + 2 + n > lines.size()) {
                throw new BadInputException(file + ":" + (i + 1) + ": frame announces " + n + " atoms but the file ends at line " + lines.size());
            }
            Map<String, String> kv = new LinkedHashMap<>();
            Matcher m = KV.matcher(lines.get(i + 1));
            while (m.find()) {
                String v = m.group(2);
                if ((v.startsWith("\"") && v.endsWith("\"")) || (v.startsWith("'") && v.endsWith("'"))) v = v.substring(1, v.length() - 1);
                kv.put(m.group(1), v);
            }
            int commentLine = i + 2;
            Cell cell = Cell.NONE;
            if (kv.containsKey("Lattice")) {
                double[] mat = numbers(kv.get("Lattice"), 9, file, commentLine, "Lattice");
                boolean[] pbc = {true, true, true};
                if (kv.containsKey("pbc")) {
                    String[] t = kv.get("pbc").trim().split("\\s+");
                    if (t.length != 3) throw new BadInputException(file + ":" + commentLine + ": pbc needs 3 flags, got '" + kv.get("pbc") + "'");
                    for (int k = 0; k < 3; k++) pbc[k] = t[k].equalsIgnoreCase("T") || t[k].equalsIgnoreCase("true");
                }
                try {
                    cell = new Cell(mat, pbc);
                } catch (IllegalArgumentException e) {
                    throw new BadInputException(file + ":" + commentLine + ": " + e.getMessage(), e);
                }
            }
            String props = kv.getOrDefault("Properties", "species:S:1:pos:R:3");
            int speciesCol = -1;
            int posCol = -1;
            int col = 0;
            String[] p = props.split(":");
            if (p.length % 3 != 0) throw new BadInputException(file + ":" + commentLine + ": malformed Properties '" + props + "'");
            for (int k = 0; k < p.length; k += 3) {
                int width = Integer.parseInt(p[k + 2]);
                if (p[k].equals("species")) speciesCol = col;
                if (p[k].equals("pos")) posCol = col;
                col += width;
            }
            if (speciesCol < 0 || posCol < 0) throw new BadInputException(file + ":" + commentLine + ": Properties must include species and pos");
            List<String> symbols = new ArrayList<>();
            double[][] xyz = new double[n][3];
            for (int a = 0; a < n; a++) {
                int ln = i + 2 + a;
                String[] t = lines.get(ln).trim().split("\\s+");
                if (t.length < col) throw new BadInputException(file + ":" + (ln + 1) + ": expected " + col + " columns, got " + t.length);
                symbols.add(t[speciesCol]);
                for (int k = 0; k < 3; k++) {
                    try {
                        xyz[a][k] = Double.parseDouble(t[posCol + k]);
                    } catch (NumberFormatException e) {
                        throw new BadInputException(file + ":" + (ln + 1) + ": cannot read coordinate '" + t[posCol + k] + "'");
                    }
                    if (!Double.isFinite(xyz[a][k])) throw new BadInputException(file + ":" + (ln + 1) + ": coordinate is not finite");
                }
            }
            Structure s;
            try {
                s = Structure.of(cell, symbols, xyz);
            } catch (IllegalArgumentException e) {
                throw new BadInputException(file + ":" + (i + 1) + ": " + e.getMessage(), e);
            }
            for (String key : new String[] {"charge", "multiplicity"}) {
                if (kv.containsKey(key)) {
                    try {
                        s = s.withInfo(key, Integer.parseInt(kv.get(key)));
                    } catch (NumberFormatException e) {
                        throw new BadInputException(file + ":" + commentLine + ": " + key + " must be an integer, got '" + kv.get(key) + "'");
                    }
                }
            }
            out.add(s);
            i += 2 + n;
        }
        return out;
    }

    private static double[] numbers(String text, int count, Path file, int line, String key) {
        String[] t = text.trim().split("\\s+");
        if (t.length != count) throw new BadInputException(file + ":" + line + ": " + key + " needs " + count + " numbers, got " + t.length);
        double[] v = new double[count];
        for (int k = 0; k < count; k++) {
            try {
                v[k] = Double.parseDouble(t[k]);
            } catch (NumberFormatException e) {
                throw new BadInputException(file + ":" + line + ": " + key + ": cannot read '" + t[k] + "'");
            }
        }
        return v;
    }
}
