package org.crucible.dft;

import java.util.Locale;

/**
 * How a DFT run ended, as read from its own output. Only {@link #OK} results are labels Crucible may train on.
 *
 * <ul>
 *   <li>{@code ok}: the electronic loop of the reported step converged and the program ended normally (or, for
 *       a file that carries no status such as an ORCA {@code .engrad}, the file is complete);</li>
 *   <li>{@code scf_not_converged}: the program says the electronic loop did not reach its threshold; any energy
 *       reported is the last iterate, not a result;</li>
 *   <li>{@code incomplete}: the output stops early (killed, wall time, truncated) with no error message;</li>
 *   <li>{@code failed}: the program reported an error; {@link DftResult#message()} holds it.</li>
 * </ul>
 */
public enum DftStatus {
    OK, SCF_NOT_CONVERGED, INCOMPLETE, FAILED;

    /** Lower-case name used in JSON and reports ({@code ok}, {@code scf_not_converged}, ...). */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }
}
