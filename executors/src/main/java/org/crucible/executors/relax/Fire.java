package org.crucible.executors.relax;

/**
 * FIRE, the fast inertial relaxation engine (E. Bitzek, P. Koskinen, F. Gaehler, M. Moseler and P. Gumbsch,
 * Phys. Rev. Lett. 97, 170201 (2006)), with ASE's defaults and step rule: velocity mixing
 * v = (1 - a) v + a |v| f/|f| while P = f.v &gt; 0 (after {@code nMin} such steps dt grows by {@code fInc} up to
 * {@code dtMax} and a shrinks by {@code fAlpha}); on P &lt;= 0 the velocity is zeroed, dt shrinks by {@code fDec}
 * and a resets. Then v += dt f and x += dt v, the whole move capped at {@code maxStep} (Angstrom, norm of the
 * full vector). Unit masses; x and f are the generalised vectors of a {@link UnitCellFilter}.
 */
public final class Fire extends AbstractRelaxer {
    private final double dt0, maxStep, dtMax, fInc, fDec, aStart, fAlpha;
    private final int nMin;

    /** ASE's defaults: dt 0.1, maxstep 0.2, dtmax 1.0, Nmin 5, finc 1.1, fdec 0.5, astart 0.1, fa 0.99. */
    public Fire() {
        this(0.1, 0.2, 1.0, 5, 1.1, 0.5, 0.1, 0.99);
    }

    public Fire(double dt, double maxStep, double dtMax, int nMin, double fInc, double fDec, double aStart, double fAlpha) {
        if (!(dt > 0) || !(maxStep > 0) || !(dtMax >= dt) || nMin < 0 || !(fInc >= 1) || !(fDec > 0 && fDec < 1)
                || !(aStart > 0 && aStart < 1) || !(fAlpha > 0 && fAlpha <= 1)) {
            throw new IllegalArgumentException("FIRE parameters out of range: dt=" + dt + " maxStep=" + maxStep + " dtMax=" + dtMax + " nMin=" + nMin
                    + " fInc=" + fInc + " fDec=" + fDec + " aStart=" + aStart + " fAlpha=" + fAlpha);
        }
        this.dt0 = dt;
        this.maxStep = maxStep;
        this.dtMax = dtMax;
        this.nMin = nMin;
        this.fInc = fInc;
        this.fDec = fDec;
        this.aStart = aStart;
        this.fAlpha = fAlpha;
    }

    @Override
    public String name() {
        return "fire";
    }

    @Override
    protected Stepper newStepper(int dimension, UnitCellFilter filter) {
        return new Stepper() {
            final double[] v = new double[dimension];
            final double[] dx = new double[dimension];
            boolean started;
            double dt = dt0, a = aStart;
            int nPositive;

            @Override
            public void step(double[] x, double[] f, double enthalpy, org.crucible.core.Structure current) {
                if (started) {
                    double vf = 0, vv = 0, ff = 0;
                    for (int i = 0; i < dimension; i++) {
                        vf += v[i] * f[i];
                        vv += v[i] * v[i];
                        ff += f[i] * f[i];
                    }
                    if (vf > 0) {
                        double mix = ff > 0 ? a * Math.sqrt(vv / ff) : 0.0;
                        for (int i = 0; i < dimension; i++) v[i] = (1 - a) * v[i] + mix * f[i];
                        if (nPositive > nMin) {
                            dt = Math.min(dt * fInc, dtMax);
                            a *= fAlpha;
                        }
                        nPositive++;
                    } else {
                        java.util.Arrays.fill(v, 0.0);
                        a = aStart;
                        dt *= fDec;
                        nPositive = 0;
                    }
                }
                started = true;
                double norm = 0;
                for (int i = 0; i < dimension; i++) {
                    v[i] += dt * f[i];
                    dx[i] = dt * v[i];
                    norm += dx[i] * dx[i];
                }
                norm = Math.sqrt(norm);
                double scale = norm > maxStep ? maxStep / norm : 1.0;
                for (int i = 0; i < dimension; i++) x[i] += scale * dx[i];
            }
        };
    }
}
