package org.crucible.executors.relax;

import org.crucible.core.Structure;
import org.crucible.executors.calculators.Calculator;

/**
 * Minimises the enthalpy H = E + pV of a structure with a calculator, moving atoms and (optionally) the cell,
 * until a stop rule fires ({@link StopReason}). The semantics follow ASE's {@code Optimizer.run(fmax, steps)}
 * on a {@code UnitCellFilter}.
 *
 * <p>Implementations are immutable and thread-safe: all per-run state is local to {@link #relax}, and the same
 * inputs give the same result.
 *
 * <pre>{@code
 * RelaxResult r = new Lbfgs().relax(structure, StillingerWeber.silicon(), RelaxSettings.DEFAULT.withPressureGPa(1.0));
 * }</pre>
 */
public interface Relaxer {
    RelaxResult relax(Structure start, Calculator calculator, RelaxSettings settings);

    /** Short name for logs and provenance, e.g. "fire". */
    String name();
}
