package org.crucible.executors.relax;

/**
 * Limited-memory BFGS (D. C. Liu and J. Nocedal, Math. Program. 45, 503 (1989); J. Nocedal, Math. Comp. 35,
 * 773 (1980)) with ASE's step rule: the two-loop recursion over the last {@code memory} pairs
 * s = x_k+1 - x_k, y = g_k - g_k+1 (g the generalised forces), initial inverse Hessian 1/alpha, no line search,
 * the step scaled so no atom (or cell row) moves more than {@code maxStep} Angstrom.
 *
 * <p>Two safeguards ASE lacks, both standard: a pair with y.s &lt;= 0 (negative curvature, seen when a random
 * cell passes a saddle) is not stored, and a direction that is not downhill (p.g &lt;= 0) resets the memory and
 * falls back to a steepest-descent step g/alpha.
 */
public final class Lbfgs extends AbstractRelaxer {
    private final double maxStep, alpha;
    private final int memory;
    private final boolean exp;

    /** ASE's defaults: maxstep 0.2 Angstrom, memory 100, alpha 70 eV/Angstrom^2. */
    public Lbfgs() {
        this(0.2, 100, 70.0);
    }

    public Lbfgs(double maxStep, int memory, double alpha) {
        this(maxStep, memory, alpha, false);
    }

    /**
     * L-BFGS preconditioned with the Exp preconditioner ({@link ExpPreconditioner}, Packwood et al. 2016): the
     * initial inverse Hessian of the two-loop recursion is P^-1 instead of 1/alpha. ASE's defaults otherwise.
     */
    public static Lbfgs exp() {
        return new Lbfgs(0.2, 100, 70.0, true);
    }

    private Lbfgs(double maxStep, int memory, double alpha, boolean exp) {
        if (!(maxStep > 0) || memory < 1 || !(alpha > 0)) {
            throw new IllegalArgumentException("L-BFGS parameters out of range: maxStep=" + maxStep + " memory=" + memory + " alpha=" + alpha);
        }
        this.maxStep = maxStep;
        this.memory = memory;
        this.alpha = alpha;
        this.exp = exp;
    }

    @Override
    public String name() {
        return exp ? "precon-lbfgs" : "lbfgs";
    }

    @Override
    protected Stepper newStepper(int dimension, UnitCellFilter filter) {
        ExpPreconditioner precon = exp ? new ExpPreconditioner(filter.initialStructure(), filter.relaxesCell(), alpha) : null;
        return new Stepper() {
            final double[][] s = new double[memory][dimension];
            final double[][] y = new double[memory][dimension];
            final double[] rho = new double[memory];
            final double[] a = new double[memory];
            final double[] x0 = new double[dimension];
            final double[] g0 = new double[dimension];
            final double[] q = new double[dimension];
            int stored, head; // ring buffer: newest pair at head - 1
            boolean started;

            @Override
            public void step(double[] x, double[] g, double enthalpy, org.crucible.core.Structure current) {
                if (started) {
                    double[] sn = s[head], yn = y[head];
                    double ys = 0;
                    for (int i = 0; i < dimension; i++) {
                        sn[i] = x[i] - x0[i];
                        yn[i] = g0[i] - g[i];
                        ys += yn[i] * sn[i];
                    }
                    if (ys > 1e-16) {
                        if (precon != null) precon.observe(sn, yn);
                        rho[head] = 1.0 / ys;
                        head = (head + 1) % memory;
                        stored = Math.min(stored + 1, memory);
                    }
                }
                started = true;
                // two-loop recursion: q = H g
                for (int i = 0; i < dimension; i++) q[i] = g[i];
                for (int k = 0; k < stored; k++) {
                    int idx = Math.floorMod(head - 1 - k, memory);
                    double dot = 0;
                    for (int i = 0; i < dimension; i++) dot += s[idx][i] * q[i];
                    a[idx] = rho[idx] * dot;
                    for (int i = 0; i < dimension; i++) q[i] -= a[idx] * y[idx][i];
                }
                double h0 = 1.0 / alpha;
                if (precon != null) {
                    precon.prepare(current);
                    precon.solve(q);
                } else {
                    for (int i = 0; i < dimension; i++) q[i] *= h0;
                }
                for (int k = stored - 1; k >= 0; k--) {
                    int idx = Math.floorMod(head - 1 - k, memory);
                    double dot = 0;
                    for (int i = 0; i < dimension; i++) dot += y[idx][i] * q[i];
                    double b = rho[idx] * dot;
                    for (int i = 0; i < dimension; i++) q[i] += s[idx][i] * (a[idx] - b);
                }
                double pg = 0;
                for (int i = 0; i < dimension; i++) pg += q[i] * g[i];
                if (!(pg > 0)) {
                    stored = 0;
                    head = 0;
                    for (int i = 0; i < dimension; i++) q[i] = precon != null ? g[i] : g[i] * h0;
                    if (precon != null) precon.solve(q);
                }
                limitRows(q, maxStep);
                System.arraycopy(x, 0, x0, 0, dimension);
                System.arraycopy(g, 0, g0, 0, dimension);
                for (int i = 0; i < dimension; i++) x[i] += q[i];
            }
        };
    }
}
