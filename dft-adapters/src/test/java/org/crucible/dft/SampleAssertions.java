package org.crucible.dft;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Checks a parsed result against a sample README's expected values with the tolerances. */
public final class SampleAssertions {
    private SampleAssertions() {
    }

    /** Energy to 1e-6 relative (pass null when the README says there is none). */
    public static void energy(DftResult r, Double expectedEv) {
        if (expectedEv == null) {
            assertNull(r.energy(), "no final energy expected in " + r.source());
            return;
        }
        assertNotNull(r.energy(), "energy missing in " + r.source());
        assertEquals(expectedEv, r.energy(), 1e-6 * Math.abs(expectedEv), "energy (eV) of " + r.source());
    }

    /** max |F| to 1e-4 eV/Angstrom (null: no forces expected). */
    public static void maxForce(DftResult r, Double expected) {
        if (expected == null) {
            assertNull(r.forces(), "no forces expected in " + r.source());
            return;
        }
        assertNotNull(r.forces(), "forces missing in " + r.source());
        assertEquals(expected, r.maxForce(), 1e-4, "max |F| (eV/A) of " + r.source());
    }

    public static void basics(DftResult r, int nAtoms, DftStatus status) {
        assertEquals(nAtoms, r.nAtoms(), "atom count of " + r.source());
        assertEquals(status, r.status(), "status of " + r.source() + " (message: " + r.message() + ")");
        if (status == DftStatus.OK) {
            assertNotNull(r.energy());
            assertTrue(Double.isFinite(r.energy()));
        }
    }
}
