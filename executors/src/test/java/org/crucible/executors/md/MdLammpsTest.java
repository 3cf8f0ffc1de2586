package org.crucible.executors.md;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.crucible.core.Cell;
import org.crucible.core.Elements;
import org.crucible.core.Structure;
import org.crucible.core.testing.TestEnvironment;
import org.crucible.executors.calculators.Eam;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The NVE integrator against LAMMPS' {@code fix nve}: the same CuNi EAM alloy (108 atoms, thermally displaced),
 * the same initial velocities and masses (the EAM file's), 50 steps of 1 fs. Positions, velocities and energies
 * agree to the round-off that LAMMPS' rounded unit constants (ftm2v = 1/1.0364269e-4, 6e-9 relative to CODATA)
 * allow.
 */
class MdLammpsTest {
    static final String POT = "/usr/share/lammps/potentials/";

    @TempDir
    Path dir;

    static Structure fcc(Random rng, String[] elements, double a, int k, double displacement) {
        int n = 4 * k * k * k;
        double[][] basis = {{0, 0, 0}, {0.5, 0.5, 0}, {0.5, 0, 0.5}, {0, 0.5, 0.5}};
        double[] xyz = new double[3 * n];
        int[] z = new int[n];
        int i = 0;
        for (int x = 0; x < k; x++) {
            for (int y = 0; y < k; y++) {
                for (int w = 0; w < k; w++) {
                    for (double[] b : basis) {
                        xyz[3 * i] = (x + b[0] + 0.25) * a + displacement * rng.nextGaussian();
                        xyz[3 * i + 1] = (y + b[1] + 0.25) * a + displacement * rng.nextGaussian();
                        xyz[3 * i + 2] = (w + b[2] + 0.25) * a + displacement * rng.nextGaussian();
                        z[i] = Elements.bySymbol(elements[rng.nextInt(elements.length)]).z();
                        i++;
                    }
                }
            }
        }
        return Structure.of(Cell.cubic(k * a), z, xyz);
    }

    @Test
    void velocityVerletFollowsLammpsFixNve() throws Exception {
        TestEnvironment.assumeExecutable("lmp", "lammps");
        Eam eam = Eam.fromFile(Path.of(POT + "CuNi.eam.alloy"));
        String[] species = eam.elements();
        Structure s = fcc(new Random(3), new String[] {"Cu", "Ni"}, 3.56, 3, 0.05);
        Map<String, Double> masses = Map.of(species[0], eam.masses()[0], species[1], eam.masses()[1]);
        int steps = 50;
        MdSettings set = MdSettings.nve(1.0, steps).withMasses(masses);
        double[] v0 = Velocities.maxwellBoltzmann(MolecularDynamics.masses(s, set), 600, new SplittableRandom(4), true);
        List<MdFrame> frames = new ArrayList<>();
        MdFrame last = new MolecularDynamics(eam, set).run(s, v0, null, frames::add);

        int n = s.size();
        double l = s.cell().get(0, 0);
        StringBuilder data = new StringBuilder("velocity Verlet comparison\n\n").append(n).append(" atoms\n2 atom types\n\n");
        data.append(String.format(Locale.ROOT, "0 %.17g xlo xhi%n0 %.17g ylo yhi%n0 %.17g zlo zhi%n%nAtoms # atomic%n%n", l, l, l));
        for (int i = 0; i < n; i++) {
            int type = Arrays.asList(species).indexOf(s.symbol(i)) + 1;
            double[] p = s.position(i);
            data.append(String.format(Locale.ROOT, "%d %d %.17g %.17g %.17g%n", i + 1, type, p[0], p[1], p[2]));
        }
        data.append("\nVelocities\n\n");
        for (int i = 0; i < n; i++) { // LAMMPS metal velocities are Angstrom/ps
            data.append(String.format(Locale.ROOT, "%d %.17g %.17g %.17g%n", i + 1, 1000 * v0[3 * i], 1000 * v0[3 * i + 1], 1000 * v0[3 * i + 2]));
        }
        Files.writeString(dir.resolve("data.md"), data.toString());
        Files.writeString(dir.resolve("in.md"), String.join("\n",
                "units metal", "atom_style atomic", "boundary p p p", "read_data data.md",
                "pair_style eam/alloy", "pair_coeff * * " + POT + "CuNi.eam.alloy " + String.join(" ", species),
                "neighbor 1.0 bin", "neigh_modify every 1 delay 0 check yes",
                "timestep 0.001", "fix 1 all nve",
                "thermo_style custom step pe ke", "thermo_modify format float %.17g", "thermo 1",
                "dump d all custom " + steps + " final.dump id xu yu zu vx vy vz", "dump_modify d sort id format float %.17g",
                "run " + steps, ""));
        Process p = new ProcessBuilder("lmp", "-in", "in.md", "-log", "log.lammps", "-screen", "none").directory(dir.toFile())
                .redirectErrorStream(true).redirectOutput(dir.resolve("lmp.out").toFile()).start();
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "lmp finished");
        assertEquals(0, p.exitValue(), () -> {
            try {
                return Files.readString(dir.resolve("lmp.out"));
            } catch (java.io.IOException e) {
                return e.toString();
            }
        });
        // thermo lines "step pe ke"
        double[] pe = new double[steps + 1];
        double[] ke = new double[steps + 1];
        int seen = 0;
        for (String line : Files.readAllLines(dir.resolve("log.lammps"))) {
            String[] w = line.trim().split("\\s+");
            if (w.length == 3 && w[0].matches("\\d+") && w[1].matches("-?[0-9.eE+-]+")) {
                int st = Integer.parseInt(w[0]);
                pe[st] = Double.parseDouble(w[1]);
                ke[st] = Double.parseDouble(w[2]);
                seen++;
            }
        }
        assertEquals(steps + 1, seen, "thermo lines in log.lammps");
        double dpe = 0, dke = 0;
        for (MdFrame f : frames) {
            int st = (int) f.step();
            dpe = Math.max(dpe, Math.abs(f.potentialEnergy() - pe[st]));
            dke = Math.max(dke, Math.abs(f.kineticEnergy() - ke[st]));
        }
        List<String> dump = Files.readAllLines(dir.resolve("final.dump"));
        int first = dump.lastIndexOf("ITEM: ATOMS id xu yu zu vx vy vz") + 1;
        double dx = 0, dv = 0;
        double[] x = last.structure().positions(), v = last.velocities();
        for (int i = 0; i < n; i++) {
            String[] w = dump.get(first + i).trim().split("\\s+");
            int id = Integer.parseInt(w[0]) - 1;
            for (int c = 0; c < 3; c++) {
                dx = Math.max(dx, Math.abs(x[3 * id + c] - Double.parseDouble(w[1 + c])));
                dv = Math.max(dv, Math.abs(v[3 * id + c] - Double.parseDouble(w[4 + c]) / 1000));
            }
        }
        System.out.printf(Locale.ROOT, "MD vs LAMMPS fix nve (%d atoms, %d steps): max |dx| %.3g A, |dv| %.3g A/fs, |dPE| %.3g eV, |dKE| %.3g eV%n",
                n, steps, dx, dv, dpe, dke);
        // LAMMPS' ftm2v = 1/1.0364269e-4 is 6e-9 relative off CODATA; that alone gives about 1.5e-8 Angstrom after
        // 50 steps here (with LAMMPS' constant substituted in MdUnits the maxima were 1.8e-15 Angstrom, 6.7e-12 eV)
        assertTrue(dx < 1e-7, "positions differ by " + dx + " Angstrom");
        assertTrue(dv < 5e-9, "velocities differ by " + dv + " Angstrom/fs");
        assertTrue(dpe < 3e-6, "potential energies differ by " + dpe + " eV");
        assertTrue(dke < 1e-6 * Math.abs(ke[0]), "kinetic energies differ by " + dke + " eV");
        assertTrue(Math.abs(last.potentialEnergy() - frames.get(0).potentialEnergy()) > 0.1, "the atoms moved");
    }
}
