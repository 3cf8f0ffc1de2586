package org.crucible.driver.pool;

import java.util.ArrayList;
import java.util.List;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.example.data.simple.SimpleGroupFactory;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;
import org.apache.parquet.schema.Type;
import org.apache.parquet.schema.Types;
import org.crucible.core.Elements;
import org.crucible.core.units.Units;

/**
 * The Parquet schema of a pool file (format 1): one row per structure, readable by Spark SQL, pandas and pyarrow.
 * Lists are standard 3-level Parquet lists (Spark and pyarrow read them as arrays); per-atom arrays are flat, atom
 * after atom ({@code x0 y0 z0 x1 ...}). Absent values are null (never NaN).
 *
 * <table>
 *   <caption>Columns</caption>
 *   <tr><td>id</td><td>int64</td><td>stable structure id within the campaign or generator run</td></tr>
 *   <tr><td>natoms</td><td>int32</td><td>number of atoms N</td></tr>
 *   <tr><td>species</td><td>list&lt;string&gt;</td><td>chemical symbols, N</td></tr>
 *   <tr><td>numbers</td><td>list&lt;int32&gt;</td><td>atomic numbers, N</td></tr>
 *   <tr><td>positions</td><td>list&lt;double&gt;</td><td>Cartesian positions, Angstrom, 3N</td></tr>
 *   <tr><td>cell</td><td>list&lt;double&gt;</td><td>lattice vectors a, b, c as rows, Angstrom, 9</td></tr>
 *   <tr><td>pbc</td><td>list&lt;boolean&gt;</td><td>periodic along a, b, c, 3</td></tr>
 *   <tr><td>energy</td><td>double?</td><td>model total energy, eV (null: not evaluated)</td></tr>
 *   <tr><td>forces</td><td>list&lt;double&gt;?</td><td>model forces, eV/Angstrom, 3N</td></tr>
 *   <tr><td>stress</td><td>list&lt;double&gt;?</td><td>model stress, GPa, Voigt xx yy zz yz xz xy, positive under compression (ASE sign)</td></tr>
 *   <tr><td>uncertainty</td><td>double?</td><td>committee energy uncertainty U, eV/atom</td></tr>
 *   <tr><td>max_force</td><td>double?</td><td>largest atomic force, eV/Angstrom</td></tr>
 *   <tr><td>steps</td><td>int32</td><td>exploration steps taken</td></tr>
 *   <tr><td>status</td><td>string</td><td>state after the last stage (generated, converged, fmax, steps, patience, uncertain, failed, ...)</td></tr>
 *   <tr><td>cluster_id</td><td>int32</td><td>selection cluster (-1 none, -2 DBSCAN noise)</td></tr>
 *   <tr><td>features</td><td>list&lt;double&gt;</td><td>descriptor row (may be empty)</td></tr>
 *   <tr><td>trajectory_tail</td><td>list&lt;double&gt;</td><td>last exploration frames' positions, Angstrom, frames x 3N</td></tr>
 *   <tr><td>origin</td><td>string</td><td>provenance: generator, formula, space group, seed, candidate index</td></tr>
 * </table>
 *
 * <p>The file footer carries {@code crucible.pool.format} (1) and {@code crucible.version}. Inside a campaign's pool
 * root the directories {@code cycle=N/stage=S} add the partition columns {@code cycle} and {@code stage}.
 */
public final class PoolSchema {
    /** Format version written to every file footer. */
    public static final String FORMAT = "1";
    /** Footer key of the format version. */
    public static final String FORMAT_KEY = "crucible.pool.format";

    /** The message type of format 1. */
    public static final MessageType SCHEMA = Types.buildMessage()
            .required(PrimitiveTypeName.INT64).named("id")
            .required(PrimitiveTypeName.INT32).named("natoms")
            .addField(list("species", Type.Repetition.REQUIRED, PrimitiveTypeName.BINARY, true))
            .addField(list("numbers", Type.Repetition.REQUIRED, PrimitiveTypeName.INT32, false))
            .addField(list("positions", Type.Repetition.REQUIRED, PrimitiveTypeName.DOUBLE, false))
            .addField(list("cell", Type.Repetition.REQUIRED, PrimitiveTypeName.DOUBLE, false))
            .addField(list("pbc", Type.Repetition.REQUIRED, PrimitiveTypeName.BOOLEAN, false))
            .optional(PrimitiveTypeName.DOUBLE).named("energy")
            .addField(list("forces", Type.Repetition.OPTIONAL, PrimitiveTypeName.DOUBLE, false))
            .addField(list("stress", Type.Repetition.OPTIONAL, PrimitiveTypeName.DOUBLE, false))
            .optional(PrimitiveTypeName.DOUBLE).named("uncertainty")
            .optional(PrimitiveTypeName.DOUBLE).named("max_force")
            .required(PrimitiveTypeName.INT32).named("steps")
            .required(PrimitiveTypeName.BINARY).as(LogicalTypeAnnotation.stringType()).named("status")
            .required(PrimitiveTypeName.INT32).named("cluster_id")
            .addField(list("features", Type.Repetition.REQUIRED, PrimitiveTypeName.DOUBLE, false))
            .addField(list("trajectory_tail", Type.Repetition.REQUIRED, PrimitiveTypeName.DOUBLE, false))
            .required(PrimitiveTypeName.BINARY).as(LogicalTypeAnnotation.stringType()).named("origin")
            .named("crucible_pool");

    private static final SimpleGroupFactory GROUPS = new SimpleGroupFactory(SCHEMA);

    private PoolSchema() {
    }

    private static Type list(String name, Type.Repetition repetition, PrimitiveTypeName element, boolean string) {
        var el = Types.required(element);
        Type elementType = string ? el.as(LogicalTypeAnnotation.stringType()).named("element") : el.named("element");
        return Types.buildGroup(repetition).as(LogicalTypeAnnotation.listType())
                .addField(Types.repeatedGroup().addField(elementType).named("list")).named(name);
    }

    /** The row of one entry. */
    static Group toRow(PoolEntry e) {
        Group g = GROUPS.newGroup();
        int[] z = e.atomicNumbers();
        g.add("id", e.id());
        g.add("natoms", z.length);
        Group species = g.addGroup("species");
        for (int v : z) species.addGroup("list").append("element", Elements.byZ(v).symbol());
        Group numbers = g.addGroup("numbers");
        for (int v : z) numbers.addGroup("list").append("element", v);
        doubles(g, "positions", e.positions());
        doubles(g, "cell", e.cellMatrix());
        Group pbc = g.addGroup("pbc");
        for (boolean b : e.pbc()) pbc.addGroup("list").append("element", b);
        if (!Double.isNaN(e.energy())) g.add("energy", e.energy());
        if (e.forces() != null) doubles(g, "forces", e.forces());
        if (e.stress() != null) {
            double[] s = e.stress();
            for (int i = 0; i < s.length; i++) s[i] *= Units.EV_PER_A3_TO_GPA;
            doubles(g, "stress", s);
        }
        if (!Double.isNaN(e.uncertainty())) g.add("uncertainty", e.uncertainty());
        if (!Double.isNaN(e.maxForce())) g.add("max_force", e.maxForce());
        g.add("steps", e.steps());
        g.add("status", e.status());
        g.add("cluster_id", e.clusterId());
        doubles(g, "features", e.features());
        double[][] tail = e.trajectoryTail();
        Group t = g.addGroup("trajectory_tail");
        for (double[] frame : tail) for (double v : frame) t.addGroup("list").append("element", v);
        g.add("origin", e.origin());
        return g;
    }

    private static void doubles(Group g, String field, double[] values) {
        Group l = g.addGroup(field);
        for (double v : values) l.addGroup("list").append("element", v);
    }

    /**
     * The entry of one row; {@code where} (file and row) prefixes every complaint about a missing or inconsistent
     * field. Lists are read by position, so files written by other tools with other list element names read too.
     */
    static PoolEntry fromRow(Group g, String where) {
        try {
            long id = g.getLong("id", 0);
            double[] xyz = doubles(g, "positions", true);
            List<String> species = new ArrayList<>();
            Group sp = g.getGroup("species", 0);
            for (int i = 0; i < sp.getFieldRepetitionCount(0); i++) species.add(sp.getGroup(0, i).getString(0, 0));
            int[] z = new int[species.size()];
            for (int i = 0; i < z.length; i++) {
                if (!Elements.isSymbol(species.get(i))) throw new PoolException(where + ": field 'species' item " + i + " '" + species.get(i) + "' is not an element");
                z[i] = Elements.bySymbol(species.get(i)).z();
            }
            if (xyz.length != 3 * z.length) {
                throw new PoolException(where + ": field 'positions' has " + xyz.length + " values for " + z.length + " species (needs 3 per atom)");
            }
            double[] cell = doubles(g, "cell", true);
            if (cell.length != 9) throw new PoolException(where + ": field 'cell' has " + cell.length + " values (needs 9)");
            Group pb = g.getGroup("pbc", 0);
            boolean[] pbc = new boolean[pb.getFieldRepetitionCount(0)];
            if (pbc.length != 3) throw new PoolException(where + ": field 'pbc' has " + pbc.length + " values (needs 3)");
            for (int i = 0; i < 3; i++) pbc[i] = pb.getGroup(0, i).getBoolean(0, 0);
            double[] forces = doubles(g, "forces", false);
            if (forces != null && forces.length != xyz.length) {
                throw new PoolException(where + ": field 'forces' has " + forces.length + " values for " + z.length + " atoms");
            }
            double[] stress = doubles(g, "stress", false);
            if (stress != null) {
                if (stress.length != 6) throw new PoolException(where + ": field 'stress' has " + stress.length + " values (needs 6)");
                for (int i = 0; i < 6; i++) stress[i] *= Units.GPA_TO_EV_PER_A3;
            }
            double[] flatTail = doubles(g, "trajectory_tail", true);
            if (xyz.length > 0 && flatTail.length % xyz.length != 0) {
                throw new PoolException(where + ": field 'trajectory_tail' has " + flatTail.length + " values, not a multiple of 3N = " + xyz.length);
            }
            double[][] tail = new double[xyz.length == 0 ? 0 : flatTail.length / xyz.length][];
            for (int f = 0; f < tail.length; f++) tail[f] = java.util.Arrays.copyOfRange(flatTail, f * xyz.length, (f + 1) * xyz.length);
            return PoolEntry.restore(id, cell, pbc, z, xyz, optional(g, "energy"), optional(g, "uncertainty"), optional(g, "max_force"),
                    g.getInteger("steps", 0), g.getString("status", 0), doubles(g, "features", true), g.getInteger("cluster_id", 0), tail,
                    g.getString("origin", 0), forces, stress);
        } catch (RuntimeException e) {
            if (e instanceof PoolException) throw e;
            throw new PoolException(where + ": " + e.getMessage(), e);
        }
    }

    private static double optional(Group g, String field) {
        return g.getFieldRepetitionCount(field) == 0 ? Double.NaN : g.getDouble(field, 0);
    }

    private static double[] doubles(Group g, String field, boolean required) {
        if (g.getFieldRepetitionCount(field) == 0) {
            if (required) throw new PoolException("field '" + field + "' is missing");
            return null;
        }
        Group l = g.getGroup(field, 0);
        double[] out = new double[l.getFieldRepetitionCount(0)];
        for (int i = 0; i < out.length; i++) out[i] = l.getGroup(0, i).getDouble(0, 0);
        return out;
    }
}
