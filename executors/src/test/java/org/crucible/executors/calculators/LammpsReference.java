package org.crucible.executors.calculators;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.crucible.core.Cell;
import org.crucible.core.Labels;
import org.crucible.core.Structure;

/**
 * Runs the real LAMMPS ({@code lmp}) on many structures in one process (a loop over {@code clear} /
 * {@code read_data}) and returns energy, forces and stress in Crucible's frame and units.
 *
 * <p>Each data file is written from the structure's own cell: rotated into LAMMPS' lower-triangular frame
 * (a along x, b in the xy plane; a left-handed cell uses -c, the same lattice), then tilt-reduced by integer
 * combinations of lattice vectors (same lattice) so |xy|, |xz| &lt;= lx/2 and |yz| &lt;= ly/2 as LAMMPS requires,
 * with positions wrapped into that box. Forces and the stress are rotated back with the same rotation.
 * Stress: LAMMPS' virial pressure tensor (bar) with ASE stress = -P / nktv2p, where nktv2p = 1.6021765e6 is
 * LAMMPS' own metal-units conversion from eV/Angstrom^3 to bar.
 */
final class LammpsReference {
    static final double NKTV2P = 1.6021765e6;

    private LammpsReference() {
    }

    /** A lower-triangular frame: rotation R (row-major; x' = R x) and the LAMMPS box. */
    record Frame(double[] rot, double lx, double ly, double lz, double xy, double xz, double yz, double[] positions) {
    }

    static Frame frame(Structure s) {
        Cell cell = s.cell();
        double[] a = cell.vector(0), b = cell.vector(1), c = cell.vector(2);
        if (cell.determinant() < 0) c = new double[] {-c[0], -c[1], -c[2]};
        double na = Math.sqrt(dot(a, a));
        double[] e1 = {a[0] / na, a[1] / na, a[2] / na};
        double bd = dot(b, e1);
        double[] bp = {b[0] - bd * e1[0], b[1] - bd * e1[1], b[2] - bd * e1[2]};
        double nb = Math.sqrt(dot(bp, bp));
        double[] e2 = {bp[0] / nb, bp[1] / nb, bp[2] / nb};
        double[] e3 = {e1[1] * e2[2] - e1[2] * e2[1], e1[2] * e2[0] - e1[0] * e2[2], e1[0] * e2[1] - e1[1] * e2[0]};
        double[] rot = {e1[0], e1[1], e1[2], e2[0], e2[1], e2[2], e3[0], e3[1], e3[2]};
        double[] ra = apply(rot, a), rb = apply(rot, b), rc = apply(rot, c);
        // tilt reduction (integer combinations: the same lattice)
        double k = Math.rint(rc[1] / rb[1]);
        for (int x = 0; x < 3; x++) rc[x] -= k * rb[x];
        k = Math.rint(rc[0] / ra[0]);
        for (int x = 0; x < 3; x++) rc[x] -= k * ra[x];
        k = Math.rint(rb[0] / ra[0]);
        for (int x = 0; x < 3; x++) rb[x] -= k * ra[x];
        Cell box = Cell.periodic(new double[][] {{ra[0], 0, 0}, {rb[0], rb[1], 0}, {rc[0], rc[1], rc[2]}});
        int n = s.size();
        double[] p = new double[3 * n];
        for (int i = 0; i < n; i++) {
            double[] q = apply(rot, s.position(i));
            double[] f = box.toFractional(q);
            for (int x = 0; x < 3; x++) f[x] = Cell.wrapUnit(f[x]);
            System.arraycopy(box.toCartesian(f), 0, p, 3 * i, 3);
        }
        return new Frame(rot, ra[0], rb[1], rc[2], rb[0], rc[0], rc[1], p);
    }

    /**
     * Runs LAMMPS on all structures.
     *
     * @param pairStyle  e.g. "sw"
     * @param pairCoeff  e.g. "* * /usr/share/lammps/potentials/Si.sw Si" (types are numbered in {@code species} order)
     * @param species    element symbols in LAMMPS type order
     */
    static List<Labels> run(Path dir, List<Structure> structures, String pairStyle, String pairCoeff, String[] species,
                            String extra) throws IOException, InterruptedException {
        List<Frame> frames = new ArrayList<>();
        for (int s = 0; s < structures.size(); s++) {
            Structure st = structures.get(s);
            Frame f = frame(st);
            frames.add(f);
            StringBuilder sb = new StringBuilder("LAMMPS data written by Crucible's LAMMPS comparison test\n\n");
            sb.append(st.size()).append(" atoms\n").append(species.length).append(" atom types\n\n");
            sb.append(String.format(Locale.ROOT, "0 %.17g xlo xhi%n0 %.17g ylo yhi%n0 %.17g zlo zhi%n%.17g %.17g %.17g xy xz yz%n%n",
                    f.lx(), f.ly(), f.lz(), f.xy(), f.xz(), f.yz()));
            sb.append("Masses\n\n");
            for (int t = 0; t < species.length; t++) {
                sb.append(t + 1).append(' ').append(org.crucible.core.Elements.bySymbol(species[t]).mass()).append('\n');
            }
            sb.append("\nAtoms # atomic\n\n");
            for (int i = 0; i < st.size(); i++) {
                int type = java.util.Arrays.asList(species).indexOf(st.symbol(i)) + 1;
                sb.append(String.format(Locale.ROOT, "%d %d %.17g %.17g %.17g%n", i + 1, type,
                        f.positions()[3 * i], f.positions()[3 * i + 1], f.positions()[3 * i + 2]));
            }
            Files.writeString(dir.resolve("data." + (s + 1)), sb.toString(), StandardCharsets.UTF_8);
        }
        String in = String.join("\n",
                "variable i loop " + structures.size(),
                "label loop",
                "clear",
                "units metal",
                "atom_style atomic",
                "boundary p p p",
                "read_data data.${i}",
                "pair_style " + pairStyle,
                "pair_coeff " + pairCoeff,
                extra,
                "compute p all pressure NULL virial",
                "thermo_style custom step pe c_p[1] c_p[2] c_p[3] c_p[4] c_p[5] c_p[6]",
                "dump d all custom 1 forces.${i} id fx fy fz",
                "dump_modify d sort id format float %.17g",
                "run 0",
                "print \"R ${i} $(pe:%.17g) $(c_p[1]:%.17g) $(c_p[2]:%.17g) $(c_p[3]:%.17g) $(c_p[4]:%.17g) $(c_p[5]:%.17g) $(c_p[6]:%.17g)\" append results.txt screen no",
                "undump d",
                "next i",
                "jump SELF loop",
                "");
        Files.writeString(dir.resolve("in.compare"), in, StandardCharsets.UTF_8);
        Process p = new ProcessBuilder("lmp", "-in", "in.compare", "-log", "log.lammps", "-screen", "none")
                .directory(dir.toFile()).redirectErrorStream(true).redirectOutput(dir.resolve("lmp.out").toFile()).start();
        if (!p.waitFor(300, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException("lmp did not finish in 300 s in " + dir);
        }
        if (p.exitValue() != 0) {
            throw new IOException("lmp failed with exit code " + p.exitValue() + ":\n" + Files.readString(dir.resolve("lmp.out"))
                    + "\n" + (Files.exists(dir.resolve("log.lammps")) ? Files.readString(dir.resolve("log.lammps")) : ""));
        }
        List<String> results = Files.readAllLines(dir.resolve("results.txt"));
        if (results.size() != structures.size()) throw new IOException("expected " + structures.size() + " results, got " + results.size());
        List<Labels> out = new ArrayList<>();
        for (int s = 0; s < structures.size(); s++) {
            String[] w = results.get(s).trim().split("\\s+");
            if (!w[1].equals(String.valueOf(s + 1))) throw new IOException("result line out of order: " + results.get(s));
            double e = Double.parseDouble(w[2]);
            double[] pr = new double[6]; // xx yy zz xy xz yz, bar
            for (int c = 0; c < 6; c++) pr[c] = Double.parseDouble(w[3 + c]);
            double[] sig = { // rotated frame, ASE sign, eV/A^3, row-major
                -pr[0], -pr[3], -pr[4], -pr[3], -pr[1], -pr[5], -pr[4], -pr[5], -pr[2]};
            for (int c = 0; c < 9; c++) sig[c] /= NKTV2P;
            double[] rot = frames.get(s).rot();
            double[] back = rotateTensorBack(rot, sig);
            double[] stress = {back[0], back[4], back[8], back[5], back[2], back[1]};
            List<String> dump = Files.readAllLines(dir.resolve("forces." + (s + 1)));
            int n = structures.get(s).size();
            double[] forces = new double[3 * n];
            int first = dump.indexOf("ITEM: ATOMS id fx fy fz") + 1;
            for (int i = 0; i < n; i++) {
                String[] v = dump.get(first + i).trim().split("\\s+");
                int id = Integer.parseInt(v[0]) - 1;
                double[] fr = {Double.parseDouble(v[1]), Double.parseDouble(v[2]), Double.parseDouble(v[3])};
                // F = R^T F'
                for (int x = 0; x < 3; x++) forces[3 * id + x] = rot[x] * fr[0] + rot[3 + x] * fr[1] + rot[6 + x] * fr[2];
            }
            out.add(new Labels(e, forces, stress));
        }
        return out;
    }

    /** R^T S R for row-major 3x3. */
    static double[] rotateTensorBack(double[] r, double[] s) {
        double[] out = new double[9];
        for (int a = 0; a < 3; a++) {
            for (int b = 0; b < 3; b++) {
                double v = 0;
                for (int i = 0; i < 3; i++) {
                    for (int j = 0; j < 3; j++) v += r[3 * i + a] * s[3 * i + j] * r[3 * j + b];
                }
                out[3 * a + b] = v;
            }
        }
        return out;
    }

    private static double[] apply(double[] r, double[] v) {
        return new double[] {r[0] * v[0] + r[1] * v[1] + r[2] * v[2], r[3] * v[0] + r[4] * v[1] + r[5] * v[2], r[6] * v[0] + r[7] * v[1] + r[8] * v[2]};
    }

    private static double dot(double[] a, double[] b) {
        return a[0] * b[0] + a[1] * b[1] + a[2] * b[2];
    }
}
