package org.crucible.executors.md;

import java.io.Serializable;

/**
 * One cycle of the entropy-maximisation annealing (entropy-maximisation paper, Sec. 1 and Fig. 1): the temperature
 * falls linearly from {@code tStartK} to {@code tEndK} (K) while the bias strength rises linearly from 0 to
 * {@code kMaxEv} (eV), over {@code stepsPerCycle} MD steps of {@code timestepFs} (fs) with a Langevin bath of damping
 * time {@code dampingFs} (fs). The ramps are applied as a staircase of {@code segments} equal pieces: piece
 * p = 1..segments runs at T = t_start + (t_end - t_start) p / segments and K = K_max p / segments, so the last piece
 * is at exactly (t_end, K_max). With {@code kMaxEv = 0} and {@code tEndK = tStartK} a cycle is plain constant-T
 * MD (the paper's unbiased reference).
 *
 * <pre>{@code
 * var paper = new AnnealingSchedule(10_000, 0, 1_000, 2_000, 1.0, 100, 50);
 * paper.temperature(2_000); // 0 K at the end of the cycle
 * }</pre>
 */
public record AnnealingSchedule(double tStartK, double tEndK, double kMaxEv, int stepsPerCycle, double timestepFs, double dampingFs, int segments)
        implements Serializable {
    public AnnealingSchedule {
        if (!(tStartK >= 0) || Double.isInfinite(tStartK)) throw new IllegalArgumentException("start temperature must be a finite number >= 0 K, got " + tStartK);
        if (!(tEndK >= 0) || Double.isInfinite(tEndK)) throw new IllegalArgumentException("end temperature must be a finite number >= 0 K, got " + tEndK);
        if (!(kMaxEv >= 0) || Double.isInfinite(kMaxEv)) throw new IllegalArgumentException("K_max must be a finite number >= 0 eV, got " + kMaxEv);
        if (stepsPerCycle < 1) throw new IllegalArgumentException("steps per cycle must be >= 1, got " + stepsPerCycle);
        if (!(timestepFs > 0) || timestepFs > 100) throw new IllegalArgumentException("time step must be in (0, 100] fs, got " + timestepFs);
        if (!(dampingFs > 0) || Double.isInfinite(dampingFs)) throw new IllegalArgumentException("damping time must be a positive number of fs, got " + dampingFs);
        if (segments < 1 || segments > stepsPerCycle) {
            throw new IllegalArgumentException("segments must be in [1, steps per cycle = " + stepsPerCycle + "], got " + segments);
        }
    }

    /** First step (exclusive) of piece {@code p} = 0..segments-1 is {@code end(p - 1)}; this is its last step. */
    public int end(int piece) {
        return (int) ((long) stepsPerCycle * (piece + 1) / segments);
    }

    /** T (K) of piece {@code p} (0-based). */
    public double temperature(int piece) {
        return tStartK + (tEndK - tStartK) * (piece + 1) / segments;
    }

    /** K (eV) of piece {@code p} (0-based). */
    public double k(int piece) {
        return kMaxEv * (piece + 1) / segments;
    }
}
