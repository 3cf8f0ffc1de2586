package org.crucible.driver.store;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import org.crucible.core.Labels;
import org.crucible.core.Structure;

/**
 * Writes frames into a new SQLite file in the schema of ASE's database ({@code ase.db}, SQLite backend, schema
 * version 9), so that {@code ase db FILE} lists it and {@code ase.db.connect(FILE).select()} returns the structures
 * with their energy (eV), forces (eV/Angstrom) and stress (eV/Angstrom^3, Voigt xx, yy, zz, yz, xz, xy, ASE sign) as a
 * single-point calculator, and the frame's info as key-value pairs.
 *
 * <p>The layout, as ASE reads it: table {@code systems} with one row per structure; arrays are little-endian blobs
 * ({@code numbers} int32, {@code positions} N x 3 float64, {@code cell} 3 x 3 float64 rows = lattice vectors,
 * {@code forces} N x 3 and {@code stress} 6 float64); {@code pbc} a bit mask (1 = a, 2 = b, 4 = c); {@code ctime}
 * and {@code mtime} in years since 2000-01-01 as ASE counts them ((unix seconds - 946681200) / 31557600);
 * {@code key_value_pairs} JSON text mirrored in {@code keys}, {@code text_key_values} and {@code number_key_values};
 * {@code data} the binary encoding of an empty dict (8-byte little-endian offset 8, then {@code {}});
 * {@code species} one row per element; {@code information} holds {@code version = 9}.
 *
 * <p>The file is written to {@code FILE.tmp} in one transaction and renamed on {@link #close()}.
 *
 * <pre>{@code
 * try (AseDatabaseWriter db = new AseDatabaseWriter(Path.of("train.db"), clock.instant())) {
 *     db.add(labelledStructure);   // info entries become key-value pairs
 * }
 * }</pre>
 */
public final class AseDatabaseWriter implements StoreExport.FrameSink {
    /** ASE's db schema version written here. */
    public static final int VERSION = 9;
    private static final double T2000 = 946681200.0;
    private static final double YEAR = 31557600.0;
    /** ASE's binary encoding of {} (object_to_bytes): the offset of the JSON part, 8, then "{}". */
    private static final byte[] EMPTY_DATA = {8, 0, 0, 0, 0, 0, 0, 0, '{', '}'};

    private final Path file;
    private final Path tmp;
    private final Connection con;
    private final double ctime;
    private final PreparedStatement insert, species, keys, text, number;
    private int rows;

    /**
     * @param file    the database to create (replaced if it exists)
     * @param written the creation time written into every row ({@code ctime}, {@code mtime}), as ASE stamps rows when it writes them
     */
    public AseDatabaseWriter(Path file, Instant written) throws IOException {
        this.file = file.toAbsolutePath();
        this.tmp = this.file.resolveSibling(this.file.getFileName() + ".tmp");
        Files.deleteIfExists(tmp);
        this.ctime = (written.getEpochSecond() + written.getNano() * 1e-9 - T2000) / YEAR;
        try {
            con = DriverManager.getConnection("jdbc:sqlite:" + tmp);
            con.setAutoCommit(false);
            try (Statement st = con.createStatement()) {
                for (String sql : SCHEMA) st.execute(sql);
            }
            insert = con.prepareStatement("INSERT INTO systems VALUES (NULL" + ", ?".repeat(32) + ")");
            species = con.prepareStatement("INSERT INTO species VALUES (?, ?, ?)");
            keys = con.prepareStatement("INSERT INTO keys VALUES (?, ?)");
            text = con.prepareStatement("INSERT INTO text_key_values VALUES (?, ?, ?)");
            number = con.prepareStatement("INSERT INTO number_key_values VALUES (?, ?, ?)");
        } catch (SQLException e) {
            throw new IOException("cannot create the ASE database " + tmp + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void add(Structure s) throws IOException {
        int id = ++rows;
        Labels l = s.labels();
        int n = s.size();
        Map<String, Object> kv = new LinkedHashMap<>(s.info());
        try {
            int c = 1;
            insert.setString(c++, uniqueId(kv, s));
            insert.setDouble(c++, ctime);
            insert.setDouble(c++, ctime);
            insert.setString(c++, "crucible");
            ByteBuffer z = le(4 * n);
            for (int i = 0; i < n; i++) z.putInt(s.atomicNumber(i));
            insert.setBytes(c++, z.array());
            insert.setBytes(c++, doubles(s.positions()));
            insert.setBytes(c++, doubles(s.cell().matrix()));
            boolean[] pbc = s.cell().pbc();
            insert.setInt(c++, (pbc[0] ? 1 : 0) | (pbc[1] ? 2 : 0) | (pbc[2] ? 4 : 0));
            for (int k = 0; k < 5; k++) insert.setNull(c++, Types.BLOB); // initial_magmoms, initial_charges, masses, tags, momenta
            insert.setNull(c++, Types.VARCHAR); // constraints
            Object code = kv.get("oracle_code");
            insert.setString(c++, code == null ? "unknown" : code.toString());
            insert.setString(c++, "{}");
            if (l.hasEnergy()) insert.setDouble(c++, l.energy()); else insert.setNull(c++, Types.REAL);
            insert.setNull(c++, Types.REAL); // free_energy
            if (l.hasForces()) insert.setBytes(c++, doubles(l.forces())); else insert.setNull(c++, Types.BLOB);
            if (l.hasStress()) insert.setBytes(c++, doubles(l.stress())); else insert.setNull(c++, Types.BLOB);
            for (int k = 0; k < 2; k++) insert.setNull(c++, Types.BLOB); // dipole, magmoms
            insert.setNull(c++, Types.REAL); // magmom
            insert.setNull(c++, Types.BLOB); // charges
            insert.setString(c++, json(kv));
            insert.setBytes(c++, EMPTY_DATA);
            insert.setInt(c++, n);
            if (l.hasForces()) insert.setDouble(c++, fmax(l.forces())); else insert.setNull(c++, Types.REAL);
            if (l.hasStress()) insert.setDouble(c++, amax(l.stress())); else insert.setNull(c++, Types.REAL);
            double v = Math.abs(s.cell().determinant());
            if (v > 0) insert.setDouble(c++, v); else insert.setNull(c++, Types.REAL);
            double mass = 0;
            for (int i = 0; i < n; i++) mass += s.element(i).mass();
            insert.setDouble(c++, mass);
            insert.setDouble(c++, 0.0);
            insert.executeUpdate();
            Map<Integer, Integer> count = new TreeMap<>();
            for (int i = 0; i < n; i++) count.merge(s.atomicNumber(i), 1, Integer::sum);
            for (Map.Entry<Integer, Integer> e : count.entrySet()) {
                species.setInt(1, e.getKey());
                species.setInt(2, e.getValue());
                species.setInt(3, id);
                species.executeUpdate();
            }
            for (Map.Entry<String, Object> e : kv.entrySet()) {
                keys.setString(1, e.getKey());
                keys.setInt(2, id);
                keys.executeUpdate();
                if (e.getValue() instanceof Number num) {
                    number.setString(1, e.getKey());
                    number.setDouble(2, num.doubleValue());
                    number.setInt(3, id);
                    number.executeUpdate();
                } else {
                    text.setString(1, e.getKey());
                    text.setString(2, e.getValue().toString());
                    text.setInt(3, id);
                    text.executeUpdate();
                }
            }
        } catch (SQLException e) {
            throw new IOException("cannot write row " + id + " to " + tmp + ": " + e.getMessage(), e);
        }
    }

    /** Commits and renames the database into place. */
    @Override
    public void close() throws IOException {
        try {
            con.commit();
            con.close();
        } catch (SQLException e) {
            throw new IOException("cannot finish the ASE database " + tmp + ": " + e.getMessage(), e);
        }
        Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }

    /** Rows written so far. */
    public int rows() {
        return rows;
    }

    /** ASE's unique_id is 32 hex digits: the task hash's first 32, or a digest of the frame for a frame without one. */
    private static String uniqueId(Map<String, Object> kv, Structure s) {
        Object h = kv.get("task_hash");
        if (h != null && h.toString().length() >= 32) return h.toString().substring(0, 32);
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            md.update((s.contentHash() + " " + s.labels().energy() + " " + kv).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(md.digest()).substring(0, 32);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static ByteBuffer le(int bytes) {
        return ByteBuffer.allocate(bytes).order(ByteOrder.LITTLE_ENDIAN);
    }

    private static byte[] doubles(double[] v) {
        ByteBuffer b = le(8 * v.length);
        for (double x : v) b.putDouble(x);
        return b.array();
    }

    private static double fmax(double[] f) {
        double m = 0;
        for (int i = 0; i < f.length; i += 3) m = Math.max(m, f[i] * f[i] + f[i + 1] * f[i + 1] + f[i + 2] * f[i + 2]);
        return Math.sqrt(m);
    }

    private static double amax(double[] v) {
        double m = 0;
        for (double x : v) m = Math.max(m, Math.abs(x));
        return m;
    }

    /** Key-value pairs as JSON (strings, integers, doubles). */
    private static String json(Map<String, Object> kv) {
        StringBuilder sb = new StringBuilder("{");
        for (Map.Entry<String, Object> e : kv.entrySet()) {
            if (sb.length() > 1) sb.append(", ");
            sb.append('"').append(escape(e.getKey())).append("\": ");
            Object v = e.getValue();
            if (v instanceof Integer || v instanceof Long) sb.append(v);
            else if (v instanceof Number num) sb.append(Double.toString(num.doubleValue()));
            else sb.append('"').append(escape(v.toString())).append('"');
        }
        return sb.append('}').toString();
    }

    private static String escape(String s) {
        StringBuilder sb = new StringBuilder();
        for (char ch : s.toCharArray()) {
            if (ch == '"' || ch == '\\') sb.append('\\').append(ch);
            else if (ch < 0x20) sb.append(String.format("\\u%04x", (int) ch));
            else sb.append(ch);
        }
        return sb.toString();
    }

    private static final String[] SCHEMA = {
            "CREATE TABLE systems (id INTEGER PRIMARY KEY AUTOINCREMENT, unique_id TEXT UNIQUE, ctime REAL, mtime REAL, username TEXT, "
                    + "numbers BLOB, positions BLOB, cell BLOB, pbc INTEGER, initial_magmoms BLOB, initial_charges BLOB, masses BLOB, tags BLOB, "
                    + "momenta BLOB, constraints TEXT, calculator TEXT, calculator_parameters TEXT, energy REAL, free_energy REAL, forces BLOB, "
                    + "stress BLOB, dipole BLOB, magmoms BLOB, magmom REAL, charges BLOB, key_value_pairs TEXT, data BLOB, natoms INTEGER, "
                    + "fmax REAL, smax REAL, volume REAL, mass REAL, charge REAL)",
            "CREATE TABLE species (Z INTEGER, n INTEGER, id INTEGER, FOREIGN KEY (id) REFERENCES systems(id))",
            "CREATE TABLE keys (key TEXT, id INTEGER, FOREIGN KEY (id) REFERENCES systems(id))",
            "CREATE TABLE text_key_values (key TEXT, value TEXT, id INTEGER, FOREIGN KEY (id) REFERENCES systems(id))",
            "CREATE TABLE number_key_values (key TEXT, value REAL, id INTEGER, FOREIGN KEY (id) REFERENCES systems(id))",
            "CREATE TABLE information (name TEXT, value TEXT)",
            "INSERT INTO information VALUES ('version', '" + VERSION + "')",
            "CREATE INDEX unique_id_index ON systems(unique_id)",
            "CREATE INDEX ctime_index ON systems(ctime)",
            "CREATE INDEX username_index ON systems(username)",
            "CREATE INDEX calculator_index ON systems(calculator)",
            "CREATE INDEX species_index ON species(Z)",
            "CREATE INDEX key_index ON keys(key)",
            "CREATE INDEX text_index ON text_key_values(key)",
            "CREATE INDEX number_index ON number_key_values(key)",
    };
}
