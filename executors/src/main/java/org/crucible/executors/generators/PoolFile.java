package org.crucible.executors.generators;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.zip.CRC32;
import org.crucible.core.Cell;
import org.crucible.core.Structure;

/**
 * Crucible's compact binary pool file (format version 1), the unit of a candidate pool on disk and one file per
 * Spark partition. Streamable in both directions: a writer appends records one by one, a reader yields them one
 * by one, so memory is bounded by one record whatever the pool size. Big-endian throughout. Layout (see
 * docs/generators.md):
 * <pre>
 * header : magic "CRUCPOOL" (8 bytes) | u16 version = 1 | u16 flags (bit 0: reals are float32, else float64)
 *          | u32 n | n bytes UTF-8 provenance text (free form, e.g. generator settings and seed)
 * record : u32 length L of what follows up to and excluding the CRC | u64 candidate index | u32 atoms N
 *          | u8 pbc bits (1 a, 2 b, 4 c) | 9 reals lattice (rows a, b, c; Angstrom) | N u8 atomic numbers
 *          | 3N reals Cartesian positions (Angstrom) | u16 info entries, each: u16 key length, key UTF-8,
 *          u8 tag ('D' f64, 'J' i64, 'I' i32, 'Z' boolean u8, 'S' u32 length + UTF-8, 'V' u32 count + f64s)
 *          | u32 CRC-32 of the L bytes
 * end    : end of file after a whole record (a truncated record is reported, never silently dropped)
 * </pre>
 *
 * <pre>{@code
 * try (PoolFile.Writer w = PoolFile.writer(path, false, "random Si16 seed 7")) { w.write(i, structure); }
 * try (PoolFile.Reader r = PoolFile.reader(path)) { while (r.hasNext()) { PoolFile.Entry e = r.next(); } }
 * }</pre>
 */
public final class PoolFile {
    static final byte[] MAGIC = "CRUCPOOL".getBytes(StandardCharsets.US_ASCII);
    public static final int VERSION = 1;
    private static final int FLAG_FLOAT32 = 1;
    private static final int MAX_ATOMS = 1 << 20;

    private PoolFile() {
    }

    /** One record: the candidate index and its structure. */
    public record Entry(long index, Structure structure) {
    }

    public static Writer writer(Path path, boolean float32, String provenance) {
        try {
            return new Writer(Files.newOutputStream(path), float32, provenance);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create pool file " + path, e);
        }
    }

    public static Reader reader(Path path) {
        try {
            return new Reader(Files.newInputStream(path), path.toString());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open pool file " + path, e);
        }
    }

    /** Appends records; not thread-safe (one writer per partition file). */
    public static final class Writer implements Closeable {
        private final DataOutputStream out;
        private final boolean float32;
        private final ByteArrayOutputStream buf = new ByteArrayOutputStream(4096);
        private final DataOutputStream rec = new DataOutputStream(buf);
        private long count;

        public Writer(OutputStream os, boolean float32, String provenance) throws IOException {
            this.out = new DataOutputStream(new BufferedOutputStream(os, 1 << 16));
            this.float32 = float32;
            byte[] prov = (provenance == null ? "" : provenance).getBytes(StandardCharsets.UTF_8);
            out.write(MAGIC);
            out.writeShort(VERSION);
            out.writeShort(float32 ? FLAG_FLOAT32 : 0);
            out.writeInt(prov.length);
            out.write(prov);
        }

        /** Writes one candidate. Labels and per-atom properties are not part of a pool record. */
        public void write(long index, Structure s) {
            try {
                buf.reset();
                rec.writeLong(index);
                rec.writeInt(s.size());
                boolean[] pbc = s.cell().pbc();
                rec.writeByte((pbc[0] ? 1 : 0) | (pbc[1] ? 2 : 0) | (pbc[2] ? 4 : 0));
                for (double v : s.cell().matrix()) real(v);
                for (int i = 0; i < s.size(); i++) rec.writeByte(s.atomicNumber(i));
                for (double v : s.positions()) real(v);
                Map<String, Object> info = s.info();
                rec.writeShort(info.size());
                for (Map.Entry<String, Object> e : info.entrySet()) {
                    byte[] k = e.getKey().getBytes(StandardCharsets.UTF_8);
                    rec.writeShort(k.length);
                    rec.write(k);
                    Object v = e.getValue();
                    if (v instanceof Double d) {
                        rec.writeByte('D');
                        rec.writeDouble(d);
                    } else if (v instanceof Long l) {
                        rec.writeByte('J');
                        rec.writeLong(l);
                    } else if (v instanceof Integer n) {
                        rec.writeByte('I');
                        rec.writeInt(n);
                    } else if (v instanceof Boolean b) {
                        rec.writeByte('Z');
                        rec.writeByte(b ? 1 : 0);
                    } else if (v instanceof List<?> list) {
                        rec.writeByte('V');
                        rec.writeInt(list.size());
                        for (Object o : list) rec.writeDouble(((Number) o).doubleValue());
                    } else {
                        byte[] str = String.valueOf(v).getBytes(StandardCharsets.UTF_8);
                        rec.writeByte('S');
                        rec.writeInt(str.length);
                        rec.write(str);
                    }
                }
                rec.flush();
                CRC32 crc = new CRC32();
                crc.update(buf.toByteArray(), 0, buf.size());
                out.writeInt(buf.size());
                buf.writeTo(out);
                out.writeInt((int) crc.getValue());
                count++;
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write pool record " + index, e);
            }
        }

        private void real(double v) throws IOException {
            if (float32) rec.writeFloat((float) v);
            else rec.writeDouble(v);
        }

        public long count() {
            return count;
        }

        @Override
        public void close() {
            try {
                out.close();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot close pool file", e);
            }
        }
    }

    /** Reads records one at a time. */
    public static final class Reader implements Iterator<Entry>, Closeable {
        private final DataInputStream in;
        private final String source;
        private final boolean float32;
        private final String provenance;
        private Entry next;
        private long read;

        public Reader(InputStream is, String source) throws IOException {
            this.in = new DataInputStream(new BufferedInputStream(is, 1 << 16));
            this.source = source;
            byte[] magic = new byte[MAGIC.length];
            in.readFully(magic);
            if (!java.util.Arrays.equals(magic, MAGIC)) throw new IOException(source + ": not a Crucible pool file (bad magic)");
            int version = in.readUnsignedShort();
            if (version != VERSION) throw new IOException(source + ": pool format version " + version + ", this build reads " + VERSION);
            int flags = in.readUnsignedShort();
            this.float32 = (flags & FLAG_FLOAT32) != 0;
            int n = in.readInt();
            if (n < 0 || n > (1 << 24)) throw new IOException(source + ": provenance length " + n + " is not plausible");
            byte[] prov = new byte[n];
            in.readFully(prov);
            this.provenance = new String(prov, StandardCharsets.UTF_8);
        }

        public String provenance() {
            return provenance;
        }

        public boolean isFloat32() {
            return float32;
        }

        @Override
        public boolean hasNext() {
            if (next == null) next = readRecord();
            return next != null;
        }

        @Override
        public Entry next() {
            if (!hasNext()) throw new NoSuchElementException("end of pool " + source);
            Entry e = next;
            next = null;
            return e;
        }

        private Entry readRecord() {
            int length;
            try {
                length = in.readInt();
            } catch (EOFException end) {
                return null; // clean end: the file ends after a whole record
            } catch (IOException e) {
                throw new UncheckedIOException(source + ": read error after record " + read, e);
            }
            try {
                if (length < 13 || length > 64 * MAX_ATOMS) throw new IOException("record length " + length + " is not plausible");
                byte[] body = new byte[length];
                in.readFully(body);
                int crc = in.readInt();
                CRC32 c = new CRC32();
                c.update(body);
                if ((int) c.getValue() != crc) throw new IOException("CRC mismatch (corrupt record)");
                DataInputStream r = new DataInputStream(new java.io.ByteArrayInputStream(body));
                long index = r.readLong();
                int n = r.readInt();
                if (n < 0 || n > MAX_ATOMS) throw new IOException("atom count " + n + " is not plausible");
                int bits = r.readUnsignedByte();
                double[] m = new double[9];
                for (int i = 0; i < 9; i++) m[i] = real(r);
                int[] z = new int[n];
                for (int i = 0; i < n; i++) z[i] = r.readUnsignedByte();
                double[] xyz = new double[3 * n];
                for (int i = 0; i < xyz.length; i++) xyz[i] = real(r);
                int entries = r.readUnsignedShort();
                Map<String, Object> info = new LinkedHashMap<>();
                for (int e = 0; e < entries; e++) {
                    byte[] k = new byte[r.readUnsignedShort()];
                    r.readFully(k);
                    String key = new String(k, StandardCharsets.UTF_8);
                    int tag = r.readUnsignedByte();
                    Object v = switch (tag) {
                        case 'D' -> r.readDouble();
                        case 'J' -> r.readLong();
                        case 'I' -> r.readInt();
                        case 'Z' -> r.readUnsignedByte() != 0;
                        case 'S' -> {
                            byte[] sb = new byte[r.readInt()];
                            r.readFully(sb);
                            yield new String(sb, StandardCharsets.UTF_8);
                        }
                        case 'V' -> {
                            int len = r.readInt();
                            List<Double> list = new ArrayList<>(len);
                            for (int i = 0; i < len; i++) list.add(r.readDouble());
                            yield list;
                        }
                        default -> throw new IOException("unknown info tag " + tag + " for key " + key);
                    };
                    info.put(key, v);
                }
                Cell cell = new Cell(m, new boolean[] {(bits & 1) != 0, (bits & 2) != 0, (bits & 4) != 0});
                read++;
                return new Entry(index, Structure.of(cell, z, xyz, info, null));
            } catch (EOFException e) {
                throw new UncheckedIOException(source + ": truncated record " + (read + 1) + " (the file ends inside it)", e);
            } catch (IOException e) {
                throw new UncheckedIOException(source + ": record " + (read + 1) + ": " + e.getMessage(), e);
            }
        }

        private double real(DataInputStream r) throws IOException {
            return float32 ? r.readFloat() : r.readDouble();
        }

        @Override
        public void close() {
            try {
                in.close();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot close " + source, e);
            }
        }
    }
}
