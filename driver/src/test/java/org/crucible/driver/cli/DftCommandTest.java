package org.crucible.driver.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.crucible.core.testing.TestEnvironment;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code crucible dft ...} run in-process. */
class DftCommandTest {
    record Outcome(int exit, String out, String err) {
    }

    static Outcome run(String... args) {
        CommandLine cl = CrucibleCommand.commandLine();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        int exit = cl.execute(args);
        return new Outcome(exit, out.toString(), err.toString());
    }

    static final String SI2 = "2\nLattice=\"0.0 2.7155 2.7155 2.7155 0.0 2.7155 2.7155 2.7155 0.0\" Properties=species:S:1:pos:R:3 pbc=\"T T T\"\n"
            + "Si 0.0 0.0 0.0\nSi 1.35775 1.35775 1.35775\n";

    @Test
    void parseJsonHasTheAgreedKeys() throws Exception {
        Path dir = TestEnvironment.assumeShared("dft-samples/vasp/FeO_relax_converged_v535");
        Outcome o = run("dft", "parse", "--code", "vasp", dir.resolve("OUTCAR").toString(), "--json");
        assertEquals(0, o.exit(), o.err());
        JsonNode j = new ObjectMapper().readTree(o.out());
        assertEquals("ok", j.get("status").asText());
        assertEquals(4, j.get("n_atoms").asInt());
        assertEquals(-28.21851457, j.get("energy_eV").asDouble(), 1e-8);
        assertEquals(0.0107, j.get("max_force_eV_per_A").asDouble(), 1e-4);
        assertEquals(4, j.get("forces_eV_per_A").size());
        assertEquals(6, j.get("stress_GPa").size());
        // OUTCAR in kB: XX = -1.98922 (pressure sign); ASE sign in GPa: +0.198922.
        assertEquals(0.198922, j.get("stress_GPa").get(0).asDouble(), 1e-6);
        assertTrue(j.get("code_version").asText().startsWith("5.3.5"));
        Outcome all = run("dft", "parse", "--code", "vasp", dir.resolve("vasprun.xml").toString(), "--all-steps", "--json");
        assertEquals(28, new ObjectMapper().readTree(all.out()).get("steps").size());
    }

    @Test
    void parseNotOkIsStillExitZero() throws Exception {
        Path f = TestEnvironment.assumeShared("dft-samples/qe/nacl_scf_not_converged_qe67/nacl_scf_not_converged.out");
        Outcome o = run("dft", "parse", "--code", "qe", f.toString(), "--json");
        assertEquals(0, o.exit(), o.err());
        JsonNode j = new ObjectMapper().readTree(o.out());
        assertEquals("scf_not_converged", j.get("status").asText());
        assertTrue(j.get("energy_eV").isNull());
    }

    @Test
    void unparseableIsExitTwoNamingTheFile(@TempDir Path tmp) throws Exception {
        Path junk = Files.writeString(tmp.resolve("junk.castep"), "not castep\n");
        Outcome o = run("dft", "parse", "--code", "castep", junk.toString(), "--json");
        assertEquals(2, o.exit());
        assertTrue(o.err().contains("junk.castep"), o.err());
        assertEquals(2, run("dft", "parse", "--code", "nwchem", junk.toString()).exit());
    }

    @Test
    void writeOneDirectoryPerFrameAndRefusals(@TempDir Path tmp) throws Exception {
        Path in = Files.writeString(tmp.resolve("si.xyz"), SI2 + SI2.replace("1.35775 1.35775 1.35775", "1.4 1.35775 1.35775"));
        Path pseudo = Files.createDirectories(tmp.resolve("pseudo"));
        Files.writeString(pseudo.resolve("Si.pz-vbc.UPF"), "fake");
        Path settings = Files.writeString(tmp.resolve("qe.yaml"), "pseudo_dir: " + pseudo + "\npseudopotentials: {Si: Si.pz-vbc.UPF}\necutwfc: 16\n");
        Outcome o = run("dft", "write", "--code", "qe", in.toString(), "--settings", settings.toString(), "-o", tmp.resolve("out").toString());
        assertEquals(0, o.exit(), o.err());
        assertTrue(Files.readString(tmp.resolve("out/frame-0000/pw.in")).contains("Si  1.357750000000 1.357750000000 1.357750000000"));
        assertTrue(Files.readString(tmp.resolve("out/frame-0001/pw.in")).contains("Si  1.400000000000 1.357750000000"));
        Path orca = Files.writeString(tmp.resolve("orca.yaml"), "method: HF\nbasis: STO-3G\n");
        o = run("dft", "write", "--code", "orca", in.toString(), "--settings", orca.toString(), "-o", tmp.resolve("orca").toString());
        assertEquals(2, o.exit());
        assertTrue(o.err().contains("frame 0") && o.err().contains("periodic"), o.err());
        assertTrue(!Files.exists(tmp.resolve("orca")), "nothing written when a frame is refused");
        Path broken = Files.writeString(tmp.resolve("broken.xyz"), "2\nLattice=\"1 0 0 0 1 0 0 0 1\" Properties=species:S:1:pos:R:3\nSi 0 0\n");
        o = run("dft", "write", "--code", "qe", broken.toString(), "--settings", settings.toString(), "-o", tmp.resolve("c").toString());
        assertEquals(2, o.exit());
        assertTrue(o.err().contains("broken.xyz"), o.err());
        Path bad = Files.writeString(tmp.resolve("bad.yaml"), "pseudo_dir: /x\npseudopotentials: {Si: a}\necutwfc: -3\n");
        o = run("dft", "write", "--code", "qe", in.toString(), "--settings", bad.toString(), "-o", tmp.resolve("b").toString());
        assertEquals(2, o.exit());
        assertTrue(o.err().contains("bad.yaml") && o.err().contains("ecutwfc"), o.err());
    }

    @Test
    void everyFieldErrorOfARecipeIsReportedAtOnceWithExitTwoAndNothingWritten(@TempDir Path tmp) throws Exception {
        Path in = Files.writeString(tmp.resolve("si.xyz"), SI2);
        Path bad = Files.writeString(tmp.resolve("bad.yaml"), "pseudo_dir: /x\npseudopotentials: {Si: a}\necutwfc: -3\nconv_thr: zero\n"
                + "mixing_beta: 1.5\nkpoint_spacng: 0.3\n");
        Outcome o = run("dft", "write", "--code", "qe", in.toString(), "--settings", bad.toString(), "-o", tmp.resolve("out").toString());
        assertEquals(2, o.exit());
        assertTrue(o.err().contains("bad.yaml: 4 problems"), o.err());
        for (String line : new String[] {"line 3: field 'ecutwfc'", "line 4: field 'conv_thr'", "line 5: field 'mixing_beta'", "line 6: unknown field [kpoint_spacng]"}) {
            assertTrue(o.err().contains(line), line + " in " + o.err());
        }
        assertTrue(o.err().contains("did you mean 'kpoint_spacing'"), o.err());
        assertTrue(!o.err().contains("Exception") && !o.err().contains("\tat "), "no Java class names or stack trace: " + o.err());
        assertTrue(!Files.exists(tmp.resolve("out")), "nothing written");
    }

    @Test
    void runRealPwOnSi2(@TempDir Path tmp) throws Exception {
        TestEnvironment.assumeExecutable("pw.x", "quantum-espresso");
        Path settings = TestEnvironment.repositoryRoot().resolve("examples/qe-si.yaml");
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isRegularFile(Path.of("/usr/share/espresso/pseudo/Si.pz-vbc.UPF")), "Si.pz-vbc.UPF absent");
        Path in = TestEnvironment.repositoryRoot().resolve("examples/si2.xyz");
        Outcome o = run("dft", "run", "--code", "qe", in.toString(), "--settings", settings.toString(), "-o", tmp.toString(), "--json");
        assertEquals(0, o.exit(), o.err() + o.out());
        JsonNode j = new ObjectMapper().readTree(o.out()).get(0);
        assertEquals("ok", j.get("status").asText());
        assertEquals(2, j.get("n_atoms").asInt());
        assertEquals(0.0, j.get("max_force_eV_per_A").asDouble(), 1e-4);
        assertTrue(Files.exists(tmp.resolve("frame-0000/pw.out")));
    }
}
