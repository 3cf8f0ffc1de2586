package org.crucible.dft.input;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.crucible.dft.DftCode;
import org.crucible.dft.DftInputException;
import org.junit.jupiter.api.Test;

/**
 * The one recipe schema: one name and one default for the k-point spacing, the old spelling read with a warning,
 * every field error of a file reported at once, and resolved settings that read back to themselves.
 */
class RecipeSchemaTest {
    private static final String BASE = "code: qe\npseudo_dir: /usr/share/espresso/pseudo\npseudopotentials: {Si: Si.pz-vbc.UPF}\necutwfc: 16\n";

    @Test
    void oneDefaultSpacingForRecipeFilesWithUnitsOf2PiPerAngstrom() {
        DftRecipe r = DftRecipe.resolve(DftCode.QE, Settings.parse(BASE, "q.yaml"), RecipeDefaults.CURRENT);
        assertEquals(0.2, r.settings().get("kpoint_spacing"));
        assertEquals("none", r.settings().get("smearing"));
        assertEquals(64.0, r.settings().get("ecutrho"));
        assertEquals(3600, r.timeoutSeconds());
        // 0.2 1/Angstrom with 2 pi included: 6x6x6 for conventional diamond Si (a = 5.431 Angstrom).
        assertEquals(List.of(6, 6, 6), java.util.Arrays.stream(KpointMesh.ofSpacing(0.2).gridFor(org.crucible.core.Cell.cubic(5.431))).boxed().toList());
        DftRecipe legacy = DftRecipe.resolve(DftCode.QE, Settings.parse(BASE, "q.yaml"), RecipeDefaults.LEGACY_INLINE);
        assertEquals(0.3, legacy.settings().get("kpoint_spacing"));
        assertEquals("mv", legacy.settings().get("smearing"));
    }

    @Test
    void theOldSpellingIsReadWithOneWarningNamingFileLineOldAndNewKey() {
        List<String> warnings = new ArrayList<>();
        DftRecipe r = DftRecipe.resolve(DftCode.QE, Settings.parse(BASE + "kspacing: 0.45\n", "q.yaml", warnings::add), RecipeDefaults.CURRENT);
        assertEquals(0.45, r.settings().get("kpoint_spacing"));
        assertEquals(List.of("q.yaml line 5: `kspacing` is deprecated, write `kpoint_spacing`"), warnings);
        var e = assertThrows(DftInputException.class, () -> DftRecipe.resolve(DftCode.QE,
                Settings.parse(BASE + "kspacing: 0.45\nkpoint_spacing: 0.3\n", "q.yaml", warnings::add), RecipeDefaults.CURRENT));
        assertTrue(e.getMessage().contains("line 5") && e.getMessage().contains("line 6") && e.getMessage().contains("`kspacing`")
                && e.getMessage().contains("`kpoint_spacing`"), e.getMessage());
    }

    @Test
    void everyFieldErrorOfAFileIsReportedAtOnceWithItsLine() {
        String text = "code: qe\npseudopotentials: {Si: Si.pz-vbc.UPF}\necutwfc: -3\ndegauss: abc\nmixing_beta: 2\necutwfcc: 20\n";
        var e = assertThrows(DftInputException.class, () -> DftRecipe.resolve(DftCode.QE, Settings.parse(text, "q.yaml"), RecipeDefaults.CURRENT));
        String m = e.getMessage();
        assertTrue(m.startsWith("q.yaml: 4 problems"), m);
        assertTrue(m.contains("line 3: field 'ecutwfc': expected a positive number, got -3.0"), m);
        assertTrue(m.contains("line 4: field 'degauss': expected a number, got \"abc\""), m);
        assertTrue(m.contains("line 5: field 'mixing_beta': must be <= 1, got 2.0"), m);
        assertTrue(m.contains("line 6: unknown field [ecutwfcc]") && m.contains("did you mean 'ecutwfc'"), m);
        assertTrue(m.indexOf("line 3") < m.indexOf("line 4") && m.indexOf("line 4") < m.indexOf("line 5"), "in file order: " + m);
        // One problem keeps the one-line form.
        var one = assertThrows(DftInputException.class, () -> DftRecipe.resolve(DftCode.QE, Settings.parse(BASE + "degauss: -1\n", "q.yaml"),
                RecipeDefaults.CURRENT));
        assertEquals("q.yaml line 5: field 'degauss': expected a positive number, got -1.0", one.getMessage());
        // The other codes report all their field errors too.
        var v = assertThrows(DftInputException.class, () -> DftRecipe.resolve(DftCode.VASP, Settings.parse("encut: x\nisif: 7\nsigma: -1\n", "v.yaml"),
                RecipeDefaults.CURRENT));
        assertTrue(v.getMessage().startsWith("v.yaml: 4 problems") && v.getMessage().contains("potcar_dir") && v.getMessage().contains("line 1: field 'encut'")
                && v.getMessage().contains("line 2: field 'isif'") && v.getMessage().contains("line 3: field 'sigma'"), v.getMessage());
    }

    @Test
    void integersBeyondTheirRangeAreFieldErrorsNotCrashes() {
        // found by ConfigFuzzTest: timeout_seconds 2147483648 threw NumberFormatException out of the loader
        var e = assertThrows(DftInputException.class, () -> DftRecipe.resolve(DftCode.QE,
                Settings.parse(BASE + "timeout_seconds: 2147483648\nkpoints: [2, 4294967297, 2]\n", "q.yaml"), RecipeDefaults.CURRENT));
        String m = e.getMessage();
        assertTrue(m.startsWith("q.yaml: 2 problems"), m);
        assertTrue(m.contains("line 5: field 'timeout_seconds': expected an integer from -2147483648 to 2147483647, got 2147483648"), m);
        assertTrue(m.contains("line 6: field 'kpoints'"), m);
    }

    @Test
    void resolvedSettingsReadBackToTheSameRecipe() {
        DftRecipe r = DftRecipe.resolve(DftCode.QE, Settings.parse(BASE + "smearing: mv\ncontrol: {tprnfor: true, nstep: 3}\nkpoints: [2, 3, 4]\n", "q.yaml"),
                RecipeDefaults.CURRENT);
        DftRecipe again = DftRecipe.resolve(DftCode.QE, Settings.of(r.settings(), "record"), RecipeDefaults.LEGACY_INLINE);
        assertEquals(r.canonicalJson(), again.canonicalJson(), "a record has every setting: defaults no longer matter");
        assertEquals(r.generator().inputSet(si2()).files(), again.generator().inputSet(si2()).files());
    }

    @Test
    void legacyInlineTextIsTheOldSettingsValue() {
        DftRecipe legacy = DftRecipe.resolve(DftCode.QE, Settings.parse("pseudopotentials: {Si: Si.pz-vbc.UPF}\necutwfc: 16\n", "c.yaml"),
                RecipeDefaults.LEGACY_INLINE);
        assertEquals("DftSettings[pseudoDir=/usr/share/espresso/pseudo, pseudopotentials={Si=Si.pz-vbc.UPF}, ecutwfcRy=16.0, ecutrhoRy=64.0, "
                + "kspacing=0.3, smearing=mv, degaussRy=0.01, timeoutSeconds=3600]", legacy.legacyInlineText());
        DftRecipe slash = DftRecipe.resolve(DftCode.QE, Settings.parse("pseudo_dir: /opt/pp/\npseudopotentials: {Si: Si.UPF}\nkspacing: 0.5\n"
                + "smearing: none\ntimeout_seconds: 60\n", "c.yaml", w -> { }), RecipeDefaults.LEGACY_INLINE);
        assertEquals("DftSettings[pseudoDir=/opt/pp/, pseudopotentials={Si=Si.UPF}, ecutwfcRy=30.0, ecutrhoRy=120.0, "
                + "kspacing=0.5, smearing=none, degaussRy=0.01, timeoutSeconds=60]", slash.legacyInlineText(), "pseudo_dir as written");
    }

    private static org.crucible.core.Structure si2() {
        double a = 5.43;
        var fcc = new org.crucible.core.Cell(new double[] {0, a / 2, a / 2, a / 2, 0, a / 2, a / 2, a / 2, 0}, new boolean[] {true, true, true});
        return org.crucible.core.Structure.of(fcc, new int[] {14, 14}, new double[] {0, 0, 0, a / 4, a / 4, a / 4});
    }
}
