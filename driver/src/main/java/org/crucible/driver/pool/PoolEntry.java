package org.crucible.driver.pool;

import java.io.Serializable;
import java.util.Arrays;
import java.util.Objects;
import org.crucible.core.Cell;
import org.crucible.core.Labels;
import org.crucible.core.Structure;

/**
 * One structure of a {@link Pool} with its per-structure state: a stable id, the structure (cell in Angstrom,
 * atomic numbers, Cartesian positions), the model's energy (eV, total), its committee uncertainty (eV/atom, NaN
 * when not evaluated), the largest atomic force (eV/Angstrom), the number of steps an exploration took, the status of
 * the last stage, a descriptor row (may be empty), the cluster id from selection (-1: none, -2: noise), the last few
 * frames of the exploration trajectory (flat positions), the origin (provenance: generator, seed, cycle) and, after
 * an exploration, the model's forces (eV/Angstrom, flat 3N) and stress (eV/Angstrom^3, Voigt, ASE sign) on the
 * stored structure (null when not computed; a new structure drops them).
 *
 * <p>Immutable and {@link Serializable} so Spark can ship it; arrays are copied in and out. NaN means "not
 * computed yet"; stages that compute a value never leave NaN behind silently (they set {@link #status()} instead).
 */
public final class PoolEntry implements Serializable {
    private static final long serialVersionUID = 1L;

    private final long id;
    private final double[] cell;
    private final boolean[] pbc;
    private final int[] z;
    private final double[] xyz;
    private final double energy;
    private final double uncertainty;
    private final double maxForce;
    private final int steps;
    private final String status;
    private final double[] features;
    private final int clusterId;
    private final double[][] trajectoryTail;
    private final String origin;
    /** Model forces on this structure (eV/Angstrom, flat 3N) or null; added after format 1, so null in old files too. */
    private final double[] forces;
    /** Model stress (eV/Angstrom^3, Voigt xx yy zz yz xz xy) or null. */
    private final double[] stress;

    private PoolEntry(long id, double[] cell, boolean[] pbc, int[] z, double[] xyz, double energy, double uncertainty, double maxForce,
                      int steps, String status, double[] features, int clusterId, double[][] tail, String origin) {
        this(id, cell, pbc, z, xyz, energy, uncertainty, maxForce, steps, status, features, clusterId, tail, origin, null, null);
    }

    private PoolEntry(long id, double[] cell, boolean[] pbc, int[] z, double[] xyz, double energy, double uncertainty, double maxForce,
                      int steps, String status, double[] features, int clusterId, double[][] tail, String origin, double[] forces, double[] stress) {
        if (id < 0) throw new IllegalArgumentException("pool entry id must be >= 0, got " + id);
        if (cell.length != 9 || pbc.length != 3 || xyz.length != 3 * z.length) {
            throw new IllegalArgumentException("pool entry " + id + ": cell needs 9 values, pbc 3 and positions 3 per atom, got " + cell.length
                    + ", " + pbc.length + " and " + xyz.length + " for " + z.length + " atoms");
        }
        if (forces != null && forces.length != xyz.length) {
            throw new IllegalArgumentException("pool entry " + id + ": forces need 3 values per atom, got " + forces.length + " for " + z.length + " atoms");
        }
        if (stress != null && stress.length != 6) throw new IllegalArgumentException("pool entry " + id + ": stress needs 6 Voigt values, got " + stress.length);
        this.id = id;
        this.cell = cell;
        this.pbc = pbc;
        this.z = z;
        this.xyz = xyz;
        this.energy = energy;
        this.uncertainty = uncertainty;
        this.maxForce = maxForce;
        this.steps = steps;
        this.status = Objects.requireNonNull(status, "status");
        this.features = features;
        this.clusterId = clusterId;
        this.trajectoryTail = tail;
        this.origin = Objects.requireNonNull(origin, "origin");
        this.forces = forces;
        this.stress = stress;
    }

    /**
     * Every field, as a reader of stored pools has them (arrays are taken as they are: the caller hands over fresh
     * ones). {@code forces} and {@code stress} may be null.
     */
    static PoolEntry restore(long id, double[] cell, boolean[] pbc, int[] z, double[] xyz, double energy, double uncertainty, double maxForce,
                             int steps, String status, double[] features, int clusterId, double[][] tail, String origin, double[] forces,
                             double[] stress) {
        return new PoolEntry(id, cell, pbc, z, xyz, energy, uncertainty, maxForce, steps, status, features, clusterId, tail, origin, forces, stress);
    }

    /** Cell matrix (rows a, b, c; Angstrom), a copy. */
    double[] cellMatrix() {
        return cell.clone();
    }

    boolean[] pbc() {
        return pbc.clone();
    }

    int[] atomicNumbers() {
        return z.clone();
    }

    double[] positions() {
        return xyz.clone();
    }

    /** Model forces on the stored structure (eV/Angstrom, flat 3N), or null when not computed. */
    public double[] forces() {
        return forces == null ? null : forces.clone();
    }

    /** Model stress on the stored structure (eV/Angstrom^3, Voigt, ASE sign), or null when not computed. */
    public double[] stress() {
        return stress == null ? null : stress.clone();
    }

    /** A copy with the model's forces (eV/Angstrom, flat 3N) and stress (eV/Angstrom^3, may be null) on the stored structure. */
    public PoolEntry withModelForces(double[] newForces, double[] newStress) {
        return new PoolEntry(id, cell, pbc, z, xyz, energy, uncertainty, maxForce, steps, status, features, clusterId, trajectoryTail, origin,
                newForces == null ? null : newForces.clone(), newStress == null ? null : newStress.clone());
    }

    /** A fresh entry: no energy, no features, status {@code generated}. */
    public static PoolEntry of(long id, Structure s, String origin) {
        return new PoolEntry(id, s.cell().matrix(), s.cell().pbc(), s.atomicNumbers(), s.positions(), Double.NaN, Double.NaN, Double.NaN,
                0, "generated", new double[0], -1, new double[0][], origin);
    }

    public long id() {
        return id;
    }

    /** The structure (without labels). */
    public Structure structure() {
        return Structure.of(new Cell(cell, pbc), z, xyz);
    }

    /** Number of atoms. */
    public int atoms() {
        return z.length;
    }

    public double energy() {
        return energy;
    }

    /** Model energy per atom (eV/atom), NaN when not evaluated. */
    public double energyPerAtom() {
        return energy / z.length;
    }

    public double uncertainty() {
        return uncertainty;
    }

    public double maxForce() {
        return maxForce;
    }

    public int steps() {
        return steps;
    }

    public String status() {
        return status;
    }

    public double[] features() {
        return features.clone();
    }

    public int clusterId() {
        return clusterId;
    }

    public double[][] trajectoryTail() {
        double[][] out = new double[trajectoryTail.length][];
        for (int i = 0; i < out.length; i++) out[i] = trajectoryTail[i].clone();
        return out;
    }

    public String origin() {
        return origin;
    }

    /** A copy with a new structure (same id, same number of atoms), e.g. after relaxation or perturbation. */
    public PoolEntry withStructure(Structure s) {
        if (s.size() != z.length) throw new IllegalArgumentException("entry " + id + " has " + z.length + " atoms, new structure " + s.size());
        return new PoolEntry(id, s.cell().matrix(), s.cell().pbc(), s.atomicNumbers(), s.positions(), energy, uncertainty, maxForce, steps,
                status, features, clusterId, trajectoryTail, origin);
    }

    /** A copy with model results of an exploration: energy (eV), uncertainty (eV/atom), max force, steps, status and tail. */
    public PoolEntry withExploration(double energyEv, double uncertaintyEvPerAtom, double maxForceEvPerA, int nSteps, String newStatus,
                                     double[][] tail) {
        double[][] t = new double[tail.length][];
        for (int i = 0; i < t.length; i++) t[i] = tail[i].clone();
        return new PoolEntry(id, cell, pbc, z, xyz, energyEv, uncertaintyEvPerAtom, maxForceEvPerA, nSteps, newStatus, features, clusterId, t, origin,
                forces, stress);
    }

    /**
     * A copy under a new pool id (frames that one exploration expands into, {@link Pool#flatMap}); every other field is
     * kept.
     */
    public PoolEntry withId(long newId) {
        return new PoolEntry(newId, cell, pbc, z, xyz, energy, uncertainty, maxForce, steps, status, features, clusterId, trajectoryTail, origin,
                forces, stress);
    }

    /** A copy with a descriptor row. */
    public PoolEntry withFeatures(double[] row) {
        for (double v : row) if (!Double.isFinite(v)) throw new IllegalArgumentException("descriptor row of entry " + id + " is not finite");
        return new PoolEntry(id, cell, pbc, z, xyz, energy, uncertainty, maxForce, steps, status, row.clone(), clusterId, trajectoryTail, origin,
                forces, stress);
    }

    /** A copy with a cluster id (-2 for DBSCAN noise). */
    public PoolEntry withCluster(int cluster) {
        return new PoolEntry(id, cell, pbc, z, xyz, energy, uncertainty, maxForce, steps, status, features, cluster, trajectoryTail, origin,
                forces, stress);
    }

    /** The compact row the driver decides on. */
    public PoolSummary summary() {
        return new PoolSummary(id, z.length, energy, uncertainty, maxForce, steps, status, features.clone());
    }

    /** Structure with the model's labels (energy, and forces and stress when computed), for output files. */
    public Structure structureWithModelEnergy() {
        Structure s = structure();
        return Double.isNaN(energy) && forces == null ? s : s.withLabels(new Labels(Double.isNaN(energy) ? null : energy, forces, stress));
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof PoolEntry e)) return false;
        return id == e.id && Arrays.equals(cell, e.cell) && Arrays.equals(pbc, e.pbc) && Arrays.equals(z, e.z) && Arrays.equals(xyz, e.xyz)
                && Double.compare(energy, e.energy) == 0 && Double.compare(uncertainty, e.uncertainty) == 0
                && Double.compare(maxForce, e.maxForce) == 0 && steps == e.steps && status.equals(e.status)
                && Arrays.equals(features, e.features) && clusterId == e.clusterId && Arrays.deepEquals(trajectoryTail, e.trajectoryTail)
                && origin.equals(e.origin) && Arrays.equals(forces, e.forces) && Arrays.equals(stress, e.stress);
    }

    @Override
    public int hashCode() {
        return Long.hashCode(id) * 31 + Arrays.hashCode(xyz);
    }

    @Override
    public String toString() {
        return "PoolEntry[" + id + " " + structure().formula() + " E=" + energy + " U=" + uncertainty + " " + status + "]";
    }
}
