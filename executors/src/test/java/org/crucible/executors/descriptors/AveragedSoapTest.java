package org.crucible.executors.descriptors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.crucible.core.Cell;
import org.crucible.core.Structure;
import org.crucible.core.testing.Lattices;
import org.junit.jupiter.api.Test;

class AveragedSoapTest {
    @org.junit.jupiter.api.AfterAll
    static void reportInvarianceTolerance() {
        System.out.printf("%s: largest relative invariance deviation %.2e%n", "AveragedSoapTest", TestStructures.worstSeen);
    }

    private static final int SI = 14;
    private static final int C = 6;

    @Test
    void radialFunctionsAreOrthonormalWithRSquaredWeight() {
        double rc = 5.0;
        SoapRadialIntegrals ri = SoapRadialIntegrals.of(12, 2, 0.5, rc);
        double[][] gl = GauntCoefficients.gaussLegendre(120);
        double[] g = new double[12];
        double[] s = new double[144];
        for (int q = 0; q < 120; q++) {
            double r = 0.5 * rc * (gl[0][q] + 1);
            ri.radial(r, g);
            for (int a = 0; a < 12; a++) for (int b = 0; b < 12; b++) s[a * 12 + b] += 0.5 * rc * gl[1][q] * r * r * g[a] * g[b];
        }
        for (int a = 0; a < 12; a++) for (int b = 0; b < 12; b++) assertEquals(a == b ? 1.0 : 0.0, s[a * 12 + b], 1e-11, "overlap " + a + "," + b);
    }

    @Test
    void tabulatedRadialIntegralsMatchDirectQuadratureAtThePaperDefaults() {
        SoapParameters d = SoapParameters.defaults();
        SoapRadialIntegrals ri = SoapRadialIntegrals.of(d.nMax(), d.lMax(), d.sigmaAt(), d.rCut());
        int w = ri.width();
        double[] table = new double[w], exact = new double[w];
        double worst = 0, scale = 0;
        Random rnd = new Random(3);
        for (int k = 0; k < 200; k++) {
            double dist = 0.05 + (d.rCut() - 0.1) * rnd.nextDouble();
            ri.evaluate(dist, table);
            ri.exact(dist, exact);
            for (int c = 0; c < w; c++) {
                worst = Math.max(worst, Math.abs(table[c] - exact[c]));
                scale = Math.max(scale, Math.abs(exact[c]));
            }
        }
        System.out.printf("SOAP radial table (nMax=lMax=12, sigma=0.0875, rCut=10.5): max interpolation error %.2e of max |I| %.2e%n", worst, scale);
        assertTrue(worst < 1e-6 * scale, "interpolation error " + worst + " vs scale " + scale);
    }

    @Test
    void scaledBesselMatchesClosedFormsInEveryRegime() {
        double[] out = new double[6];
        for (double x : new double[] {1e-4, 0.3, 0.7, 3.0, 21.0, 80.0, 400.0}) {
            SoapRadialIntegrals.scaledBessel(x, out);
            double e = Math.exp(-x);
            double i0 = Math.sinh(x) / x, i1 = (x * Math.cosh(x) - Math.sinh(x)) / (x * x);
            double i2 = ((x * x + 3) * Math.sinh(x) - 3 * x * Math.cosh(x)) / (x * x * x);
            if (x < 300) {
                assertEquals(e * i0, out[0], 1e-13 * e * i0 + 1e-300, "i0(" + x + ")");
                assertEquals(e * i1, out[1], 1e-9 * e * i0, "i1(" + x + ")");
                assertEquals(e * i2, out[2], 1e-7 * e * i0, "i2(" + x + ")");
            }
            assertTrue(out[5] >= 0 && out[5] <= out[0], "monotone in l at x=" + x);
        }
    }

    @Test
    void expansionOfOneGaussianMatchesDirectQuadrature() {
        double sigma = 0.5, rc = 4.0;
        int nMax = 4, lMax = 3;
        SoapRadialIntegrals ri = SoapRadialIntegrals.of(nMax, lMax, sigma, rc);
        RealSphericalHarmonics sh = new RealSphericalHarmonics(lMax);
        double[] rj = {0.9, -1.1, 1.4};
        double d = Math.sqrt(0.81 + 1.21 + 1.96);
        double[] integral = new double[nMax * (lMax + 1)];
        ri.evaluate(d, integral);
        double[] yj = new double[sh.size()];
        sh.evaluate(rj[0], rj[1], rj[2], yj, null);
        // brute force: Gauss-Legendre in r and cos(theta), uniform in phi
        double[][] gr = GauntCoefficients.gaussLegendre(80), gz = GauntCoefficients.gaussLegendre(40);
        int nphi = 80;
        double[] direct = new double[nMax * sh.size()];
        double[] g = new double[nMax], y = new double[sh.size()];
        for (int a = 0; a < 80; a++) {
            double r = 0.5 * rc * (gr[0][a] + 1), wr = 0.5 * rc * gr[1][a] * r * r;
            ri.radial(r, g);
            for (int b = 0; b < 40; b++) {
                double z = gz[0][b], st = Math.sqrt(1 - z * z);
                for (int c = 0; c < nphi; c++) {
                    double phi = 2 * Math.PI * c / nphi;
                    double x = r * st * Math.cos(phi), yy = r * st * Math.sin(phi), zz = r * z;
                    double dist2 = (x - rj[0]) * (x - rj[0]) + (yy - rj[1]) * (yy - rj[1]) + (zz - rj[2]) * (zz - rj[2]);
                    double w = wr * gz[1][b] * 2 * Math.PI / nphi * Math.exp(-dist2 / (2 * sigma * sigma));
                    sh.evaluate(x, yy, zz, y, null);
                    for (int n = 0; n < nMax; n++) for (int lm = 0; lm < sh.size(); lm++) direct[n * sh.size() + lm] += w * g[n] * y[lm];
                }
            }
        }
        for (int n = 0; n < nMax; n++) {
            for (int l = 0; l <= lMax; l++) {
                for (int m = -l; m <= l; m++) {
                    int lm = l * l + l + m;
                    double expected = direct[n * sh.size() + lm];
                    double got = integral[n * (lMax + 1) + l] * yj[lm];
                    assertEquals(expected, got, 1e-6 * (1 + Math.abs(expected)), "c n=" + n + " l=" + l + " m=" + m);
                }
            }
        }
    }

    @Test
    void invariantUnderRotationTranslationPermutationCellChoiceAndSupercell() {
        AveragedSoap soap = new AveragedSoap(SoapParameters.defaults());
        Structure s = TestStructures.randomCell(new Random(21), 8, new int[] {SI}, 20.0, 2.0);
        double[] p = soap.describe(s);
        assertEquals(soap.size(1), p.length);
        Random rnd = new Random(4);
        check(p, soap.describe(TestStructures.rotate(s, TestStructures.randomRotation(rnd, false))), "rotation");
        check(p, soap.describe(TestStructures.rotate(s, TestStructures.randomRotation(rnd, true))), "rotation+reflection");
        check(p, soap.describe(TestStructures.translate(s, 1.3, -7.2, 0.4)), "translation");
        check(p, soap.describe(TestStructures.permute(s, new int[] {3, 1, 7, 0, 6, 2, 5, 4})), "permutation");
        check(p, soap.describe(Lattices.changeBasis(s, new int[] {1, 0, 1, 1, 1, 1, 0, 0, 1})), "unimodular cell");
        Structure skewed = Lattices.changeBasis(s, new int[] {1, 2, 0, 0, 1, 0, 1, 1, 1});
        check(p, soap.describe(skewed.niggliReduced()), "Niggli-reduced cell");
        check(p, soap.describe(TestStructures.supercell2(s)), "2x2x2 supercell");
        assertEquals(1.0, AveragedSoap.kernel(p, p, 4), 1e-14);
    }

    @Test
    void multiSpeciesChannelsAreInvariantAndDistinguishChemistry() {
        AveragedSoap soap = new AveragedSoap(new SoapParameters(6, 4, 0.3, 5.0, 0.5, 1.0, 4, new int[] {C, SI}));
        Structure s = TestStructures.randomCell(new Random(22), 8, new int[] {SI, C}, 12.0, 1.6);
        double[] p = soap.describe(s);
        assertEquals(soap.size(2), p.length);
        check(p, soap.describe(TestStructures.rotate(s, TestStructures.randomRotation(new Random(5), true))), "binary rotation");
        check(p, soap.describe(TestStructures.supercell2(s)), "binary supercell");
        int[] swapped = s.atomicNumbers();
        for (int i = 0; i < swapped.length; i++) swapped[i] = swapped[i] == SI ? C : SI;
        double[] q = soap.describe(Structure.of(s.cell(), swapped, s.positions()));
        double k = AveragedSoap.kernel(p, q, 4);
        assertTrue(k < 0.99, "swapping species must change the descriptor, kernel " + k);
        assertEquals(Math.sqrt(2 - 2 * k), AveragedSoap.distance(p, q, 4), 1e-14);
    }

    @Test
    void kernelSeparatesPhasesAndStrains() {
        AveragedSoap soap = new AveragedSoap(new SoapParameters(8, 6, 0.5, 5.0, 0.5, 1.0, 4, new int[] {SI}));
        double[] diamond = soap.describe(TestStructures.diamond(5.43, 1, SI));
        double[] strained = soap.describe(TestStructures.diamond(5.53, 1, SI));
        double[] bcc = soap.describe(Structure.of(Cell.cubic(3.08), new int[] {SI, SI}, new double[] {0, 0, 0, 1.54, 1.54, 1.54}));
        double kStrain = AveragedSoap.kernel(diamond, strained, 4), kPhase = AveragedSoap.kernel(diamond, bcc, 4);
        assertTrue(kStrain > kPhase && kStrain < 1.0, "strain " + kStrain + " vs phase " + kPhase);
        assertEquals(AveragedSoap.kernel(diamond, bcc, 4), AveragedSoap.kernel(bcc, diamond, 4), 1e-15);
        assertThrows(IllegalArgumentException.class, () -> soap.describe(Structure.of(Cell.cubic(3), new int[] {C}, new double[3])));
    }

    /**
     * The averaged coefficients (half list, same-species pairs added four at a time) against eqs. 2-3 written out
     * directly: every atom i and every entry of its full neighbour list adds f_cut I_nl(d) Y_lm(r_ij) to the channel of
     * j's species, plus the central term; in one- and two-species cells, with pairs in the cutoff band, small cells
     * (images of an atom itself) and a cell where channels alternate. Round-off only (the sums run in another order).
     */
    @Test
    void averagedCoefficientsEqualEquationTwoOverTheFullNeighbourList() {
        Structure[] cells = {
            TestStructures.randomCell(new Random(31), 16, new int[] {SI}, 20.0, 2.0),
            TestStructures.randomCell(new Random(32), 12, new int[] {SI, C}, 13.0, 1.5),
            TestStructures.randomCell(new Random(33), 2, new int[] {SI}, 18.0, 2.0),
            TestStructures.diamond(5.43, 1, SI)};
        for (Structure s : cells) {
            SoapParameters par = new SoapParameters(8, 6, 0.5, 5.0, 0.5, 1.0, 4, new int[] {C, SI});
            double[] c = new AveragedSoap(par).averagedCoefficients(s);
            int nMax = par.nMax(), lMax = par.lMax(), nLM = (lMax + 1) * (lMax + 1);
            SoapRadialIntegrals radial = SoapRadialIntegrals.of(nMax, lMax, par.sigmaAt(), par.rCut());
            double[] ref = new double[c.length], integral = new double[radial.width()], y = new double[nLM];
            RealSphericalHarmonics sh = new RealSphericalHarmonics(lMax);
            org.crucible.core.neighbors.NeighborList nl = org.crucible.core.neighbors.NeighborList.build(s, par.rCut());
            for (int i = 0; i < s.size(); i++) {
                int ci = (s.atomicNumber(i) == C ? 0 : 1) * nMax;
                for (int nn = 0; nn < nMax; nn++) ref[(ci + nn) * nLM] += par.centralWeight() * radial.centralValue(nn) / Math.sqrt(4 * Math.PI);
                for (int k = nl.start(i); k < nl.start(i + 1); k++) {
                    double d = nl.distance(k), rc = par.rCut(), w = par.cutoffWidth();
                    double fc = d <= rc - w ? 1.0 : 0.5 * (1 + Math.cos(Math.PI * (d - rc + w) / w));
                    radial.evaluate(d, integral);
                    sh.evaluate(nl.dx(k), nl.dy(k), nl.dz(k), y, null);
                    int cj = (s.atomicNumber(nl.neighbor(k)) == C ? 0 : 1) * nMax;
                    for (int nn = 0; nn < nMax; nn++) {
                        for (int l = 0; l <= lMax; l++) {
                            for (int m = 0; m <= 2 * l; m++) ref[(cj + nn) * nLM + l * l + m] += fc * integral[nn * (lMax + 1) + l] * y[l * l + m];
                        }
                    }
                }
            }
            double max = 0, diff = 0;
            for (int q = 0; q < c.length; q++) {
                ref[q] /= s.size();
                max = Math.max(max, Math.abs(ref[q]));
                diff = Math.max(diff, Math.abs(ref[q] - c[q]));
            }
            assertTrue(max > 0 && diff <= 1e-12 * max, s.formula() + ": largest difference " + diff + " of largest coefficient " + max);
        }
    }

    private static void check(double[] expected, double[] actual, String what) {
        double rel = TestStructures.relativeDifference(expected, actual);
        assertTrue(rel < 1e-10, what + ": relative difference " + rel);
    }
}
