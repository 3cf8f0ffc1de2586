package org.crucible.driver.interop;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.ByteChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.crucible.core.Cell;
import org.crucible.core.Labels;
import org.crucible.core.Structure;
import org.junit.jupiter.api.Test;

/** The i-PI byte layout, strings in and bytes out: what the server sends is scripted, what the client answers is read back. */
class IpiClientTest {
    static final IpiUnits U = IpiUnits.ASE;

    /** A channel that reads a scripted server and records what the client writes. */
    static final class Scripted implements ByteChannel {
        final ByteBuffer in;
        final ByteArrayOutputStream out = new ByteArrayOutputStream();

        Scripted(byte[] script) {
            in = ByteBuffer.wrap(script);
        }

        @Override
        public int read(ByteBuffer dst) {
            if (!in.hasRemaining()) return -1;
            int n = Math.min(dst.remaining(), Math.min(in.remaining(), 7)); // short reads, as sockets give
            for (int i = 0; i < n; i++) dst.put(in.get());
            return n;
        }

        @Override
        public int write(ByteBuffer src) {
            int n = src.remaining();
            byte[] b = new byte[n];
            src.get(b);
            out.writeBytes(b);
            return n;
        }

        @Override
        public boolean isOpen() {
            return true;
        }

        @Override
        public void close() {
        }

        ByteBuffer answer() {
            return ByteBuffer.wrap(out.toByteArray()).order(ByteOrder.LITTLE_ENDIAN);
        }
    }

    static final class Script {
        final ByteBuffer b = ByteBuffer.allocate(1 << 16).order(ByteOrder.LITTLE_ENDIAN);

        Script msg(String m) {
            b.put(String.format("%-12s", m).getBytes(StandardCharsets.US_ASCII));
            return this;
        }

        Script ints(int... v) {
            for (int x : v) b.putInt(x);
            return this;
        }

        Script doubles(double... v) {
            for (double x : v) b.putDouble(x);
            return this;
        }

        Script bytes(byte... v) {
            b.put(v);
            return this;
        }

        byte[] done() {
            return java.util.Arrays.copyOf(b.array(), b.position());
        }
    }

    static String header(ByteBuffer b) {
        byte[] h = new byte[12];
        b.get(h);
        return new String(h, StandardCharsets.US_ASCII);
    }

    static Structure template(int n) {
        int[] z = new int[n];
        java.util.Arrays.fill(z, 14);
        return Structure.of(Cell.cubic(5.0), z, new double[3 * n]);
    }

    /** A triclinic cell in Angstrom (rows a, b, c) and its i-PI wire form: h = L^T in Bohr, sent in C order. */
    static final double[] L = {5.0, 0.0, 0.0, 1.0, 4.0, 0.0, 0.5, 0.3, 6.0};

    static double[] wire(double[] rows) {
        double[] w = new double[9];
        for (int i = 0; i < 3; i++) for (int j = 0; j < 3; j++) w[3 * i + j] = rows[3 * j + i] / U.bohrAngstrom();
        return w;
    }

    @Test
    void fullExchangeHasTheStandardLayoutAndUnits() throws Exception {
        double[] pos = {0.1, 0.2, 0.3, 2.0, 2.1, 2.2};
        double[] posBohr = new double[6];
        for (int i = 0; i < 6; i++) posBohr[i] = pos[i] / U.bohrAngstrom();
        byte[] script = new Script().msg("STATUS").msg("INIT").ints(0, 1).bytes((byte) 0).msg("STATUS")
                .msg("POSDATA").doubles(wire(L)).doubles(new double[9]).ints(2).doubles(posBohr)
                .msg("STATUS").msg("GETFORCE").msg("STATUS").msg("EXIT").done();
        List<Structure> seen = new ArrayList<>();
        double[] forces = {0.5, -0.25, 1.0, -0.5, 0.25, -1.0};
        double[] virial = {1, 2, 3, 2, 5, 6, 3, 6, 9};
        IpiClient.ForceField ff = s -> {
            seen.add(s);
            return new IpiClient.Evaluation(-10.0, forces, virial, "{\"a\": 1}");
        };
        Scripted ch = new Scripted(script);
        IpiClient.Summary sum = new IpiClient(ch, template(2), ff, U).run();
        assertEquals(new IpiClient.Summary(1, true), sum);
        assertEquals(1, seen.size());
        Structure s = seen.get(0);
        for (int i = 0; i < 9; i++) assertEquals(L[i], s.cell().matrix()[i], 1e-14, "cell " + i);
        for (int i = 0; i < 6; i++) assertEquals(pos[i], s.positions()[i], 1e-15, "position " + i);
        assertArrayEquals(new int[] {14, 14}, s.atomicNumbers());

        ByteBuffer a = ch.answer();
        assertEquals("NEEDINIT    ", header(a));
        assertEquals("READY       ", header(a));
        assertEquals("HAVEDATA    ", header(a));
        assertEquals("FORCEREADY  ", header(a));
        assertEquals(-10.0 / U.hartreeEv(), a.getDouble(), 0.0);
        assertEquals(2, a.getInt());
        for (int i = 0; i < 6; i++) assertEquals(forces[i] * U.bohrAngstrom() / U.hartreeEv(), a.getDouble(), 0.0);
        for (int i = 0; i < 3; i++) for (int j = 0; j < 3; j++) assertEquals(virial[3 * j + i] / U.hartreeEv(), a.getDouble(), 0.0);
        int len = a.getInt();
        byte[] extras = new byte[len];
        a.get(extras);
        assertEquals("{\"a\": 1}", new String(extras, StandardCharsets.UTF_8));
        assertEquals("READY       ", header(a), "after GETFORCE the client is ready for the next geometry");
        assertFalse(a.hasRemaining());
    }

    @Test
    void aServerClosingBetweenMessagesEndsTheRunAndInsideOneIsAnError() throws Exception {
        Scripted closed = new Scripted(new Script().msg("STATUS").done());
        assertEquals(new IpiClient.Summary(0, false), new IpiClient(closed, template(1), s -> null, U).run());
        byte[] torn = new Script().msg("POSDATA").doubles(1, 2, 3).done();
        assertThrows(EOFException.class, () -> new IpiClient(new Scripted(torn), template(1), s -> null, U).run());
        IpiException unknown = assertThrows(IpiException.class,
                () -> new IpiClient(new Scripted(new Script().msg("HELLO").done()), template(1), s -> null, U).run());
        assertTrue(unknown.getMessage().contains("HELLO") && !unknown.badInput());
        IpiException early = assertThrows(IpiException.class,
                () -> new IpiClient(new Scripted(new Script().msg("GETFORCE").done()), template(1), s -> null, U).run());
        assertFalse(early.badInput());
    }

    @Test
    void anotherAtomCountIsBadInput() {
        byte[] script = new Script().msg("POSDATA").doubles(wire(L)).doubles(new double[9]).ints(3).doubles(new double[9]).done();
        IpiException e = assertThrows(IpiException.class, () -> new IpiClient(new Scripted(script), template(2), s -> null, U).run());
        assertTrue(e.badInput());
        assertTrue(e.getMessage().contains("sends 3 atoms") && e.getMessage().contains("has 2"), e.getMessage());
    }

    @Test
    void virialIsMinusVolumeTimesStress() {
        Structure s = Structure.of(new Cell(L, new boolean[] {true, true, true}), new int[] {14}, new double[3]);
        double[] sigma = {0.01, 0.02, 0.03, 0.004, 0.005, 0.006}; // xx yy zz yz xz xy
        IpiClient.Evaluation e = IpiClient.Evaluation.of(s, new Labels(-1.0, new double[3], sigma), "");
        double v = s.cell().volume();
        double[] w = e.virial();
        assertEquals(-v * 0.01, w[0], 1e-15);
        assertEquals(-v * 0.006, w[1], 1e-15);
        assertEquals(-v * 0.006, w[3], 1e-15);
        assertEquals(-v * 0.004, w[5], 1e-15);
        assertEquals(-v * 0.005, w[6], 1e-15);
        assertArrayEquals(new double[9], IpiClient.Evaluation.of(s, new Labels(-1.0, new double[3], null), "").virial(), 0.0);
    }

    @Test
    void unitsAreNamedAndChecked() {
        assertEquals(IpiUnits.ASE, IpiUnits.byName("ase"));
        assertEquals(1.8897261, 1 / IpiUnits.byName("ipi").bohrAngstrom(), 1e-12);
        assertEquals(org.crucible.core.units.Units.HARTREE_TO_EV, IpiUnits.byName("codata2018").hartreeEv(), 0.0);
        assertThrows(IllegalArgumentException.class, () -> IpiUnits.byName("rydberg"));
        assertThrows(IllegalArgumentException.class, () -> new IpiUnits("x", 1.0, 27.2));
    }
}
