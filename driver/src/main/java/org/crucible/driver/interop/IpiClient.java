package org.crucible.driver.interop;

import java.io.EOFException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.ByteChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Objects;
import org.crucible.core.Cell;
import org.crucible.core.Labels;
import org.crucible.core.Structure;
import org.crucible.core.units.Units;
import org.crucible.executors.calculators.Calculator;

/**
 * A client ("driver") of the i-PI socket protocol: the server (i-PI, ASE's {@code SocketIOCalculator}) runs the
 * dynamics and sends geometries; the client answers energy, forces and virial. (LAMMPS' {@code fix ipi} is itself a
 * client, so LAMMPS cannot drive this one.)
 *
 * <p>Every message starts with a 12-byte ASCII header padded with spaces; numbers are little-endian (int32, float64)
 * in atomic units. The server sends {@code STATUS} (the client answers {@code NEEDINIT}, {@code READY} or
 * {@code HAVEDATA}), {@code INIT} (int32 bead index, int32 length, that many bytes), {@code POSDATA} (cell h: 9
 * float64 Bohr, inverse cell: 9 float64 1/Bohr, int32 natoms, 3 natoms float64 positions Bohr; each matrix sent as the
 * transpose of the row-vector matrix, i.e. with the lattice vectors as columns in C order), {@code GETFORCE} (the
 * client answers {@code FORCEREADY}, float64 energy Hartree, int32 natoms, 3 natoms float64 forces Hartree/Bohr,
 * 9 float64 virial Hartree (transposed), int32 length and that many bytes of "extras" text) and {@code EXIT}. A server
 * that closes the connection between messages (as ASE's does) ends the run like {@code EXIT}.
 *
 * <p>Units are converted here and nowhere else: the {@link ForceField} sees Angstrom and answers eV, eV/Angstrom and a
 * virial in eV, W = -V sigma with sigma the ASE stress (eV/Angstrom^3), so that the server's stress is -W/V.
 *
 * <pre>{@code
 * try (SocketChannel ch = IpiClient.connect(IpiClient.unixSocket("crucible"))) {
 *     IpiClient.Summary s = new IpiClient(ch, si64, IpiClient.ForceField.of(model), IpiUnits.ASE).run();
 * }
 * }</pre>
 *
 * Not thread-safe: one client serves one connection.
 */
public final class IpiClient {
    /** Header length in bytes. */
    public static final int HEADER = 12;

    private final ByteChannel channel;
    private final Structure template;
    private final ForceField forceField;
    private final IpiUnits units;

    private enum State { NEEDINIT, READY, HAVEDATA }

    /**
     * What the client computes for each geometry the server sends: energy eV, forces eV/Angstrom (3N), virial eV
     * (row-major 3x3, W = -V sigma; zero for a molecule) and an optional extras string (JSON by convention).
     */
    @FunctionalInterface
    public interface ForceField {
        Evaluation evaluate(Structure s);

        /** A {@link Calculator}: its energy and forces, and the virial -V sigma from its stress (zero without stress). */
        static ForceField of(Calculator calculator) {
            Objects.requireNonNull(calculator, "calculator");
            return s -> Evaluation.of(s, calculator.calculate(s), "");
        }
    }

    /**
     * One answer to the server, in Crucible's units.
     *
     * @param energy eV
     * @param forces eV/Angstrom, 3N
     * @param virial eV, row-major 3x3, W = -V sigma
     * @param extras free text sent after the virial (JSON by convention; empty for none)
     */
    public record Evaluation(double energy, double[] forces, double[] virial, String extras) {
        public Evaluation {
            if (!Double.isFinite(energy)) throw new IllegalArgumentException("energy must be finite, got " + energy);
            Objects.requireNonNull(forces, "forces");
            if (forces.length % 3 != 0) throw new IllegalArgumentException("forces must have 3N values, got " + forces.length);
            Objects.requireNonNull(virial, "virial");
            if (virial.length != 9) throw new IllegalArgumentException("virial must have 9 values, got " + virial.length);
            forces = forces.clone();
            virial = virial.clone();
            extras = extras == null ? "" : extras;
        }

        /** Energy and forces of {@code l}; virial -V sigma from its Voigt stress (eV/Angstrom^3), zero without stress. */
        public static Evaluation of(Structure s, Labels l, String extras) {
            double[] w = new double[9];
            if (l.hasStress()) {
                double[] sigma = Units.fromVoigt(l.stress());
                double v = s.cell().volume();
                for (int i = 0; i < 9; i++) w[i] = -v * sigma[i];
            }
            return new Evaluation(l.energy(), l.forces(), w, extras);
        }

        @Override
        public double[] forces() {
            return forces.clone();
        }

        @Override
        public double[] virial() {
            return virial.clone();
        }
    }

    /**
     * How a run ended.
     *
     * @param evaluations geometries answered
     * @param exitReceived true when the server sent {@code EXIT}, false when it closed the connection
     */
    public record Summary(int evaluations, boolean exitReceived) {
    }

    /**
     * @param channel    a connected channel to the server (blocking)
     * @param template   species, periodicity and info of the system; the server sends only cell and positions, so its
     *                   atom count must equal {@code template.size()}
     * @param forceField the model
     * @param units      the Bohr and Hartree values the server converts with
     */
    public IpiClient(ByteChannel channel, Structure template, ForceField forceField, IpiUnits units) {
        this.channel = Objects.requireNonNull(channel, "channel");
        this.template = Objects.requireNonNull(template, "template");
        this.forceField = Objects.requireNonNull(forceField, "forceField");
        this.units = Objects.requireNonNull(units, "units");
    }

    /** The UNIX socket i-PI and ASE name {@code NAME}: {@code /tmp/ipi_NAME}. */
    public static SocketAddress unixSocket(String name) {
        return UnixDomainSocketAddress.of(Path.of("/tmp/ipi_" + name));
    }

    /** An Internet socket address. */
    public static SocketAddress inet(String host, int port) {
        return new InetSocketAddress(host, port);
    }

    /** Opens a blocking connection (TCP with Nagle's algorithm off: every message is small and awaited). */
    public static SocketChannel connect(SocketAddress address) throws IOException {
        SocketChannel ch = address instanceof UnixDomainSocketAddress ? SocketChannel.open(StandardProtocolFamily.UNIX) : SocketChannel.open();
        try {
            if (!(address instanceof UnixDomainSocketAddress)) ch.setOption(StandardSocketOptions.TCP_NODELAY, true);
            ch.connect(address);
            return ch;
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
        }
    }

    /** Serves the server until it sends {@code EXIT} or closes the connection between messages. */
    public Summary run() throws IOException {
        State state = State.NEEDINIT;
        int evaluations = 0;
        Evaluation pending = null;
        ByteBuffer header = ByteBuffer.allocate(HEADER);
        while (true) {
            header.clear();
            if (!readFully(header, true)) return new Summary(evaluations, false);
            String msg = new String(header.array(), 0, HEADER, StandardCharsets.US_ASCII).trim();
            switch (msg) {
                case "STATUS" -> sendHeader(state.name());
                case "INIT" -> {
                    ByteBuffer b = read(8);
                    b.getInt(); // bead index: one system per client
                    int len = b.getInt();
                    if (len < 0) throw new IpiException("INIT with a negative length " + len, false);
                    if (len > 0) read(len);
                    state = State.READY;
                }
                case "POSDATA" -> {
                    if (state == State.HAVEDATA) throw new IpiException("POSDATA while the previous forces were not collected", false);
                    Structure s = readPositions();
                    pending = forceField.evaluate(s);
                    if (pending.forces.length != 3 * s.size()) {
                        throw new IllegalStateException("the force field returned " + pending.forces.length / 3 + " forces for " + s.size() + " atoms");
                    }
                    evaluations++;
                    state = State.HAVEDATA;
                }
                case "GETFORCE" -> {
                    if (state != State.HAVEDATA) throw new IpiException("GETFORCE before any POSDATA", false);
                    sendForces(pending);
                    pending = null;
                    state = State.READY;
                }
                case "EXIT" -> {
                    return new Summary(evaluations, true);
                }
                default -> throw new IpiException("unknown i-PI message '" + msg + "'", false);
            }
        }
    }

    private Structure readPositions() throws IOException {
        ByteBuffer b = read(9 * 8 + 9 * 8 + 4);
        double bohr = units.bohrAngstrom();
        double[] rows = new double[9];
        // the wire holds h (lattice vectors as columns) in C order: h[i][j] = wire[3i + j] = L[j][i]
        for (int i = 0; i < 3; i++) for (int j = 0; j < 3; j++) rows[3 * j + i] = b.getDouble() * bohr;
        for (int i = 0; i < 9; i++) b.getDouble(); // inverse cell: recomputed by Cell when needed
        int n = b.getInt();
        if (n != template.size()) {
            throw new IpiException("the server sends " + n + " atoms, the structure file has " + template.size() + " (" + template.formula() + ")", true);
        }
        ByteBuffer p = read(24 * n);
        double[] xyz = new double[3 * n];
        for (int i = 0; i < 3 * n; i++) xyz[i] = p.getDouble() * bohr;
        Cell cell = template.cell().isMolecular() && isZero(rows) ? template.cell() : new Cell(rows, template.cell().pbc());
        return Structure.of(cell, template.atomicNumbers(), xyz, template.info(), Labels.NONE);
    }

    private static boolean isZero(double[] m) {
        for (double v : m) if (v != 0) return false;
        return true;
    }

    private void sendForces(Evaluation e) throws IOException {
        double ha = units.hartreeEv();
        double forceUnit = units.bohrAngstrom() / ha;
        byte[] extras = e.extras.getBytes(StandardCharsets.UTF_8);
        int n = e.forces.length / 3;
        ByteBuffer b = ByteBuffer.allocate(HEADER + 8 + 4 + 24 * n + 72 + 4 + extras.length).order(ByteOrder.LITTLE_ENDIAN);
        b.put(header("FORCEREADY"));
        b.putDouble(e.energy / ha);
        b.putInt(n);
        for (double f : e.forces) b.putDouble(f * forceUnit);
        for (int i = 0; i < 3; i++) for (int j = 0; j < 3; j++) b.putDouble(e.virial[3 * j + i] / ha);
        b.putInt(extras.length);
        b.put(extras);
        write(b.flip());
    }

    private void sendHeader(String msg) throws IOException {
        write(ByteBuffer.wrap(header(msg)));
    }

    private static byte[] header(String msg) {
        byte[] h = new byte[HEADER];
        java.util.Arrays.fill(h, (byte) ' ');
        byte[] m = msg.getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(m, 0, h, 0, m.length);
        return h;
    }

    private void write(ByteBuffer b) throws IOException {
        while (b.hasRemaining()) channel.write(b);
    }

    private ByteBuffer read(int bytes) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(bytes).order(ByteOrder.LITTLE_ENDIAN);
        readFully(b, false);
        return b.flip();
    }

    /** Fills {@code b}; false at a clean end of stream before its first byte when {@code endAllowed}. */
    private boolean readFully(ByteBuffer b, boolean endAllowed) throws IOException {
        while (b.hasRemaining()) {
            int r;
            try {
                r = channel.read(b);
            } catch (IOException e) {
                // a peer that resets the connection between messages has gone away like one that closes it
                if (endAllowed && b.position() == 0 && "Connection reset".equals(e.getMessage())) return false;
                throw e;
            }
            if (r < 0) {
                if (endAllowed && b.position() == 0) return false;
                throw new EOFException("the i-PI server closed the connection inside a message (" + b.position() + " of " + b.capacity() + " bytes)");
            }
        }
        return true;
    }
}
