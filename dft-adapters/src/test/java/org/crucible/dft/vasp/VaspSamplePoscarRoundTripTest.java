package org.crucible.dft.vasp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.crucible.core.Structure;
import org.crucible.core.io.Poscar;
import org.crucible.core.testing.TestEnvironment;
import org.crucible.dft.input.InputSet;
import org.crucible.dft.input.Settings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The shared samples' real POSCARs go through the VASP writer and come back (core.io reader) unchanged. */
class VaspSamplePoscarRoundTripTest {
    @Test
    void samplePoscarsRoundTrip(@TempDir Path tmp) throws Exception {
        for (String sp : List.of("H", "C", "N", "O", "Al", "Fe")) {
            Files.createDirectories(tmp.resolve("lib/" + sp));
            Files.writeString(tmp.resolve("lib/" + sp + "/POTCAR"), "PAW " + sp + "\n");
        }
        var g = VaspInputGenerator.fromSettings(Settings.parse("potcar_dir: " + tmp.resolve("lib") + "\nencut: 520\nisif: 3\n", "v.yaml"));
        for (String dir : List.of("HCNOAl_175at_singlepoint_v544", "FeO_relax_converged_v535")) {
            Structure s = Poscar.read(TestEnvironment.assumeShared("dft-samples/vasp/" + dir + "/POSCAR"), w -> { });
            InputSet set = g.inputSet(s);
            Path out = tmp.resolve(dir);
            set.writeInput(out);
            Structure back = Poscar.read(out.resolve("POSCAR"), w -> { });
            assertEquals(s.size(), back.size(), dir);
            assertArrayEquals(s.atomicNumbers(), back.atomicNumbers(), dir + ": atom order kept");
            assertArrayEquals(s.positions(), back.positions(), 1e-9, dir);
            assertArrayEquals(s.cell().matrix(), back.cell().matrix(), 1e-12, dir);
            assertTrue(set.file("INCAR").contains("ISIF = 3\n"));
            // One POTCAR entry per species run, in POSCAR order.
            String[] runs = set.file("POSCAR").split("\n")[5].trim().split("\\s+");
            assertEquals(runs.length, set.file("POTCAR").split("PAW ", -1).length - 1, dir);
        }
    }
}
