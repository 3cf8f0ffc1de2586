package org.crucible.dft.hpc.testing;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.crucible.core.Cell;
import org.crucible.core.Structure;
import org.crucible.core.testing.TestEnvironment;
import org.crucible.dft.hpc.DftTask;
import org.crucible.dft.input.Settings;
import org.crucible.dft.qe.QeInputGenerator;

/** Small real pw.x workloads (Si2, Si8 diamond) with the shared recipe examples/qe-si.yaml. */
public final class SiliconTasks {
    private SiliconTasks() {
    }

    /** Skips unless pw.x and Si.pz-vbc.UPF are installed; returns the generator of examples/qe-si.yaml. */
    public static QeInputGenerator assumePwAndRecipe() {
        TestEnvironment.assumeExecutable("pw.x", "quantum-espresso");
        assumeTrue(Files.isRegularFile(Path.of("/usr/share/espresso/pseudo/Si.pz-vbc.UPF")),
                "Si.pz-vbc.UPF missing: install Debian package quantum-espresso-data");
        Path recipe = TestEnvironment.repositoryRoot().resolve("examples/qe-si.yaml");
        try {
            // the shared recipe with coarser k-points (Si8: 2x2x2, as in machine-facts) so each run takes seconds
            String text = Files.readString(recipe).replaceAll("(?m)^kpoint_spacing:.*$", "kpoint_spacing: 0.6");
            return QeInputGenerator.fromSettings(Settings.parse(text, recipe + " (kpoint_spacing 0.6)"));
        } catch (java.io.IOException e) {
            throw new IllegalStateException("cannot read " + recipe, e);
        }
    }

    /** Si2 primitive diamond cell (a = 5.43 Angstrom) with atom 1 displaced by {@code shift} Angstrom along x. */
    public static Structure si2(double shift) {
        double a = 5.43;
        Cell cell = Cell.periodic(new double[][] {{0, a / 2, a / 2}, {a / 2, 0, a / 2}, {a / 2, a / 2, 0}});
        return Structure.of(cell, List.of("Si", "Si"), new double[][] {{0, 0, 0}, {a / 4 + shift, a / 4, a / 4}});
    }

    /** Si8 conventional diamond cell, rattled with the given seed (0.03 Angstrom). */
    public static Structure si8(long seed) {
        double a = 5.43;
        double[][] frac = {{0, 0, 0}, {0, .5, .5}, {.5, 0, .5}, {.5, .5, 0},
                {.25, .25, .25}, {.25, .75, .75}, {.75, .25, .75}, {.75, .75, .25}};
        Random rnd = new Random(seed);
        double[][] xyz = new double[8][3];
        for (int i = 0; i < 8; i++) for (int k = 0; k < 3; k++) xyz[i][k] = frac[i][k] * a + 0.03 * rnd.nextGaussian();
        return Structure.of(Cell.periodic(new double[][] {{a, 0, 0}, {0, a, 0}, {0, 0, a}}),
                List.of("Si", "Si", "Si", "Si", "Si", "Si", "Si", "Si"), xyz);
    }

    public static DftTask task(QeInputGenerator g, String name, Structure s) {
        return new DftTask(name, g.inputSet(s));
    }
}
