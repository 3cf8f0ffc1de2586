package org.crucible.driver.store;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.Writer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.crucible.core.Cell;
import org.crucible.core.Elements;
import org.crucible.core.Labels;
import org.crucible.core.Structure;

/**
 * Extended XYZ text of training-store shards: one frame per {@link LabelRecord}, as ASE's {@code ase.io.read(...,
 * format="extxyz")} reads it. The comment line carries {@code Lattice}, {@code pbc}, {@code energy} (eV),
 * {@code stress} (3x3, eV/Angstrom^3, ASE sign convention) and the provenance keys; the atom lines carry species,
 * positions (Angstrom) and, for OK records, forces (eV/Angstrom). Doubles are written with {@link Double#toString}
 * so they read back bit for bit. Every string value is quoted.
 *
 * <p>This codec reads only what it writes (the store's own shards); general extxyz is the job of
 * {@code org.crucible.core.io}.
 */
public final class ShardCodec {
    private ShardCodec() {
    }

    /** Writes one frame. With {@code provenance} false only the physics keys are written (for export). */
    public static void write(Writer w, LabelRecord r, boolean provenance) throws IOException {
        w.write(frame(r, provenance));
    }

    /** The text of one frame as {@link #write} writes it (the store indexes frames by their byte offsets). */
    static String frame(LabelRecord r, boolean provenance) {
        Structure s = r.structure();
        Labels l = s.labels();
        StringBuilder sb = new StringBuilder();
        sb.append(s.size()).append('\n');
        double[] m = s.cell().matrix();
        sb.append("Lattice=\"");
        for (int i = 0; i < 9; i++) sb.append(i == 0 ? "" : " ").append(m[i]);
        sb.append("\" Properties=species:S:1:pos:R:3").append(l.hasForces() ? ":forces:R:3" : "");
        if (l.hasEnergy()) sb.append(" energy=").append(l.energy().doubleValue());
        if (l.hasStress()) {
            double[] v = l.stress();
            double[] full = {v[0], v[5], v[4], v[5], v[1], v[3], v[4], v[3], v[2]};
            sb.append(" stress=\"");
            for (int i = 0; i < 9; i++) sb.append(i == 0 ? "" : " ").append(full[i]);
            sb.append('"');
        }
        boolean[] pbc = s.cell().pbc();
        sb.append(" pbc=\"").append(pbc[0] ? 'T' : 'F').append(' ').append(pbc[1] ? 'T' : 'F').append(' ').append(pbc[2] ? 'T' : 'F').append('"');
        if (provenance) {
            Provenance p = r.provenance();
            sb.append(" task_hash=\"").append(r.taskHash()).append('"');
            sb.append(" status=\"").append(r.status().label()).append('"');
            if (!r.message().isEmpty()) sb.append(" message=\"").append(r.message()).append('"');
            sb.append(" code=\"").append(p.code()).append('"');
            sb.append(" code_version=\"").append(p.codeVersion()).append('"');
            sb.append(" settings_hash=\"").append(p.settingsHash()).append('"');
            sb.append(" job_id=\"").append(p.jobId()).append('"');
            sb.append(" host=\"").append(p.host()).append('"');
            sb.append(" cycle=").append(p.cycle());
            sb.append(" selector=\"").append(p.selector()).append('"');
            sb.append(" wall_time_s=").append(p.wallTimeSeconds());
            sb.append(" created=\"").append(p.created()).append('"');
            if (p.attempt() > 1) {
                // Only retries carry these keys, so a first attempt's frame is byte for byte what earlier versions wrote.
                sb.append(" attempt=").append(p.attempt());
                for (int k = 0; k < p.earlierFailures().size(); k++) {
                    Provenance.Failure f = p.earlierFailures().get(k);
                    String key = " attempt_" + (k + 1) + "_";
                    sb.append(key).append("job=\"").append(f.jobId()).append('"');
                    sb.append(key).append("host=\"").append(f.host()).append('"');
                    sb.append(key).append("created=\"").append(f.created()).append('"');
                    sb.append(key).append("reason=\"").append(f.reason()).append('"');
                }
            }
        } else {
            sb.append(" config_type=\"").append(r.provenance().selector()).append('"');
        }
        sb.append('\n');
        double[] x = s.positions();
        double[] f = l.hasForces() ? l.forces() : null;
        for (int i = 0; i < s.size(); i++) {
            sb.append(s.symbol(i));
            for (int k = 0; k < 3; k++) sb.append(' ').append(x[3 * i + k]);
            if (f != null) for (int k = 0; k < 3; k++) sb.append(' ').append(f[3 * i + k]);
            sb.append('\n');
        }
        return sb.toString();
    }

    /**
     * Reads every frame of a shard written by {@link #write} with provenance.
     *
     * @param source names the shard in error messages (with the line number)
     */
    public static List<LabelRecord> read(BufferedReader in, String source) throws IOException {
        List<LabelRecord> out = new ArrayList<>();
        forEach(in, source, (r, i) -> out.add(r));
        return out;
    }

    /** Receives the frames of a shard one at a time, with their index in the shard (0-based). */
    @FunctionalInterface
    interface FrameSink {
        void accept(LabelRecord r, int index) throws IOException;
    }

    /** Streams the frames of a shard to {@code sink}, holding one frame at a time; returns the number of frames. */
    static int forEach(BufferedReader in, String source, FrameSink sink) throws IOException {
        int[] lineNo = {0};
        int i = 0;
        LabelRecord r;
        while ((r = next(in, source, lineNo)) != null) sink.accept(r, i++);
        return i;
    }

    /**
     * The next frame of a shard, or null at its end; {@code lineNo[0]} counts the lines read so far (for messages).
     * A reader positioned at a frame's first byte (a seek to an indexed offset) reads that frame.
     */
    static LabelRecord next(BufferedReader in, String source, int[] lineNo) throws IOException {
        String header;
        while ((header = in.readLine()) != null) {
            lineNo[0]++;
            if (!header.isBlank()) break;
        }
        if (header == null) return null;
        int n;
        try {
            n = Integer.parseInt(header.trim());
        } catch (NumberFormatException e) {
            throw new StoreException(source + ":" + lineNo[0] + ": expected an atom count, got '" + header + "'");
        }
        String comment = in.readLine();
        lineNo[0]++;
        if (comment == null) throw new StoreException(source + ":" + lineNo[0] + ": truncated frame (no comment line)");
        Map<String, String> kv = keyValues(comment, source, lineNo[0]);
        boolean hasForces = kv.getOrDefault("Properties", "").contains("forces:R:3");
        int[] z = new int[n];
        double[] xyz = new double[3 * n];
        double[] forces = hasForces ? new double[3 * n] : null;
        for (int i = 0; i < n; i++) {
            String line = in.readLine();
            lineNo[0]++;
            if (line == null) throw new StoreException(source + ":" + lineNo[0] + ": truncated frame (" + i + " of " + n + " atoms)");
            String[] t = line.trim().split("\\s+");
            if (t.length != (hasForces ? 7 : 4)) throw new StoreException(source + ":" + lineNo[0] + ": expected " + (hasForces ? 7 : 4) + " columns, got " + t.length);
            try {
                z[i] = Elements.bySymbol(t[0]).z();
                for (int k = 0; k < 3; k++) xyz[3 * i + k] = Double.parseDouble(t[1 + k]);
                if (hasForces) for (int k = 0; k < 3; k++) forces[3 * i + k] = Double.parseDouble(t[4 + k]);
            } catch (IllegalArgumentException e) {
                throw new StoreException(source + ":" + lineNo[0] + ": " + e.getMessage());
            }
        }
        try {
            double[] lat = doubles(kv.get("Lattice"), 9);
            String[] pb = kv.getOrDefault("pbc", "T T T").split(" ");
            Cell cell = new Cell(lat, new boolean[] {pb[0].equals("T"), pb[1].equals("T"), pb[2].equals("T")});
            Double energy = kv.containsKey("energy") ? Double.valueOf(kv.get("energy")) : null;
            double[] stress = null;
            if (kv.containsKey("stress")) {
                double[] f9 = doubles(kv.get("stress"), 9);
                stress = new double[] {f9[0], f9[4], f9[8], f9[5], f9[2], f9[1]};
            }
            Labels labels = energy == null && forces == null ? Labels.NONE : new Labels(energy, forces, stress);
            Structure s = Structure.of(cell, z, xyz, Map.of(), labels);
            Provenance p = new Provenance(kv.get("code"), kv.get("code_version"), kv.get("settings_hash"), kv.get("job_id"),
                    kv.get("host"), Integer.parseInt(kv.get("cycle")), kv.get("selector"), Double.parseDouble(kv.get("wall_time_s")),
                    Instant.parse(kv.get("created")), 1, List.of());
            int attempt = Integer.parseInt(kv.getOrDefault("attempt", "1"));
            if (attempt > 1) {
                List<Provenance.Failure> failures = new ArrayList<>();
                for (int k = 1; k < attempt; k++) {
                    String key = "attempt_" + k + "_";
                    failures.add(new Provenance.Failure(kv.get(key + "job"), kv.get(key + "host"), Instant.parse(kv.get(key + "created")),
                            kv.get(key + "reason")));
                }
                p = p.asAttempt(attempt, failures);
            }
            return new LabelRecord(kv.get("task_hash"), s, LabelStatus.parse(kv.get("status")), kv.getOrDefault("message", ""), p);
        } catch (RuntimeException e) {
            throw new StoreException(source + ": frame ending at line " + lineNo[0] + ": " + e.getMessage(), e);
        }
    }

    private static double[] doubles(String v, int n) {
        if (v == null) throw new IllegalArgumentException("missing value");
        String[] t = v.trim().split("\\s+");
        if (t.length != n) throw new IllegalArgumentException("expected " + n + " numbers, got '" + v + "'");
        double[] d = new double[n];
        for (int i = 0; i < n; i++) d[i] = Double.parseDouble(t[i]);
        return d;
    }

    /** key=value and key="quoted value" pairs of a comment line. */
    static Map<String, String> keyValues(String line, String source, int lineNo) {
        Map<String, String> kv = new LinkedHashMap<>();
        int i = 0;
        int n = line.length();
        while (i < n) {
            while (i < n && line.charAt(i) == ' ') i++;
            if (i >= n) break;
            int eq = line.indexOf('=', i);
            if (eq < 0) throw new StoreException(source + ":" + lineNo + ": key without value at column " + (i + 1));
            String key = line.substring(i, eq);
            int j = eq + 1;
            String value;
            if (j < n && line.charAt(j) == '"') {
                int close = line.indexOf('"', j + 1);
                if (close < 0) throw new StoreException(source + ":" + lineNo + ": unterminated quote after " + key + "=");
                value = line.substring(j + 1, close);
                i = close + 1;
            } else {
                int sp = line.indexOf(' ', j);
                if (sp < 0) sp = n;
                value = line.substring(j, sp);
                i = sp;
            }
            kv.put(key, value);
        }
        return kv;
    }
}
