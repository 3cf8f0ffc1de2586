package org.crucible.config.campaign;

import java.util.List;

/**
 * Parameters of the GAP-RSS protocol ({@code protocol.gap_rss}; Bernstein, Csanyi and Deringer, npj Comput. Mater. 5,
 * 99 (2019); docs/gap-rss.md). Units: eV/atom for kT, GPa for pressures, Angstrom for lengths.
 *
 * @param batch               N, structures labelled per iteration (paper: 100 or 250)
 * @param cycle0Cells         random cells generated in iteration 0 (paper: 10,000)
 * @param cells               fresh random cells per later iteration, each minimised at its own pressure
 * @param narrowSeparation    minimum-separation factor of the "narrow" cells (x the pair's mean covalent radius)
 * @param wideSeparation      minimum-separation factor of the "wide" cells (iteration 0: half the cells)
 * @param opsMin              fewest symmetry operations of a random cell (paper: 1)
 * @param opsMax              most symmetry operations (paper: 8)
 * @param dimerMin            shortest dimer bond, Angstrom
 * @param dimerMax            longest dimer bond, Angstrom
 * @param dimerCount          dimer bond lengths per element pair (iteration 0; plus one isolated atom per element)
 * @param dimerBox            cubic box edge of dimers and isolated atoms, Angstrom
 * @param kT                  Boltzmann kT per iteration t = 1, 2, ... (the last repeats), eV/atom (paper 0.3, 0.2, 0.1)
 * @param histogramBins       flat-histogram bins (numpy default 10)
 * @param histogramCandidates structures the flat histogram passes on to CUR (0: every frame)
 * @param zeta                kernel exponent K = (p_hat . p_hat')^zeta (paper 4)
 * @param curRank             k, singular vectors in the leverage (0: the batch size)
 * @param curMethod           {@code exact} (full n x n kernel) or {@code nystrom}
 * @param nystromLandmarks    landmark rows of the Nystrom kernel
 * @param pressureP0          p0 of eq. 6, GPa (paper 1)
 * @param pressureBeta        beta of eq. 6 (paper 0.2)
 * @param frameEvery          keep every k-th minimisation step (plus the last)
 * @param maxFrames           at most this many frames per trajectory (the flatMap stride)
 * @param soapNMax            averaged-SOAP radial functions
 * @param soapLMax            averaged-SOAP angular channels
 * @param soapCutoff          averaged-SOAP cutoff, Angstrom
 * @param soapSigma           averaged-SOAP atom width sigma_at, Angstrom
 * @param atomsMin            fewest atoms of a random cell ({@code atoms.min}; 0 with atomsMax 0: each cell has exactly its
 *                            composition's atoms)
 * @param atomsMax            most atoms of a random cell ({@code atoms.max}; paper 2-8): the cells of a composition are
 *                            multiples of its reduced formula unit whose atom count lies in [atomsMin, atomsMax], an even
 *                            count with probability 0.8 (the paper's rule, {@code RandomCellGenerator})
 * @param histogramQuantity   what the flat histogram bins and Boltzmann-weights ({@code flat_histogram.quantity}):
 *                            {@code enthalpy} (the paper: h = (E + pV)/N at the frame's own pressure p, eV/atom) or
 *                            {@code energy} (E/N, eV/atom, the same frame without its pV term). {@code energy} departs
 *                            from the paper's Methods (the weight exp(-(h - h_min)/kT) over the enthalpy per atom): at
 *                            pressures of a few GPa pV reaches 1 eV/atom, so dense high-pressure frames are never drawn
 *                            on h (docs/gap-rss.md, "Why the pressure hardly matters"); at the paper's 0.2 GPa the two
 *                            differ by about 0.02 eV/atom
 */
public record GapRssSettings(int batch, int cycle0Cells, int cells, double narrowSeparation, double wideSeparation, int opsMin, int opsMax,
                             double dimerMin, double dimerMax, int dimerCount, double dimerBox, List<Double> kT, int histogramBins,
                             int histogramCandidates, int zeta, int curRank, String curMethod, int nystromLandmarks, double pressureP0,
                             double pressureBeta, int frameEvery, int maxFrames, int soapNMax, int soapLMax, double soapCutoff, double soapSigma,
                             int atomsMin, int atomsMax, String histogramQuantity) {
    /** {@code flat_histogram.quantity}: the enthalpy per atom h = (E + pV)/N, eV/atom (the paper's choice). */
    public static final String QUANTITY_ENTHALPY = "enthalpy";
    /** {@code flat_histogram.quantity}: the energy per atom E/N, eV/atom (pV dropped). */
    public static final String QUANTITY_ENERGY = "energy";
    /** The allowed {@code flat_histogram.quantity} values. */
    public static final List<String> QUANTITIES = List.of(QUANTITY_ENTHALPY, QUANTITY_ENERGY);

    /** Defaults: the paper's kT, zeta, pressure, 1-8 operations, enthalpy histogram, with sizes a laptop runs. */
    public static final GapRssSettings DEFAULTS = new GapRssSettings(100, 1000, 1000, 1.8, 1.3, 1, 8, 1.6, 6.0, 12, 16.0, List.of(0.3, 0.2, 0.1),
            10, 0, 4, 0, "exact", 500, 1.0, 0.2, 5, 20, 8, 6, 5.0, 0.5, 0, 0, QUANTITY_ENTHALPY);

    public GapRssSettings {
        kT = List.copyOf(kT);
        if (kT.isEmpty()) throw new IllegalArgumentException("protocol.gap_rss.kT needs at least one value (eV/atom)");
        if (!curMethod.equals("exact") && !curMethod.equals("nystrom")) {
            throw new IllegalArgumentException("protocol.gap_rss.cur.method must be exact or nystrom, got " + curMethod);
        }
        if (!QUANTITIES.contains(histogramQuantity)) {
            throw new IllegalArgumentException("protocol.gap_rss.flat_histogram.quantity must be one of " + QUANTITIES + ", got " + histogramQuantity);
        }
        if (!(dimerMax >= dimerMin)) throw new IllegalArgumentException("protocol.gap_rss.dimers: r_max " + dimerMax + " < r_min " + dimerMin + " Angstrom");
        if (!(dimerBox > 2 * dimerMax)) {
            throw new IllegalArgumentException("protocol.gap_rss.dimers.box " + dimerBox + " Angstrom must exceed twice r_max = " + dimerMax);
        }
        if (opsMax < opsMin) throw new IllegalArgumentException("protocol.gap_rss.symmetry_ops: max " + opsMax + " < min " + opsMin);
        if (!(atomsMin == 0 && atomsMax == 0) && !(atomsMin >= 1 && atomsMax >= atomsMin)) {
            throw new IllegalArgumentException("protocol.gap_rss.atoms needs 1 <= min <= max (or neither), got " + atomsMin + ".." + atomsMax);
        }
    }

    /** kT of iteration {@code cycle} >= 1 (the list's last value after it ends), eV/atom. */
    public double kTAt(int cycle) {
        return kT.get(Math.min(Math.max(cycle, 1), kT.size()) - 1);
    }

    /** Whether the random cells draw their atom count from [atomsMin, atomsMax] instead of the composition's. */
    public boolean mixedSizes() {
        return atomsMax > 0;
    }

    /** Whether the flat histogram bins and weights E/atom ({@code quantity: energy}) instead of the paper's h = (E + pV)/N. */
    public boolean histogramOnEnergy() {
        return histogramQuantity.equals(QUANTITY_ENERGY);
    }

    /** The CUR rank k (the batch when 0). */
    public int rank() {
        return curRank == 0 ? batch : curRank;
    }
}
