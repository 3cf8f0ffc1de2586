package org.crucible.driver.cli;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Where {@code crucible describe} writes its rows, chosen by the output name: {@code *.npy} gives a NumPy
 * array file (format 1.0, little-endian float64, C order, shape (frames, columns); {@code numpy.load} reads it)
 * with the descriptor header in a sidecar {@code *.npy.txt}; anything else gives CSV with one {@code #} header
 * line and the shortest round-trip decimal of every value. Rows stream to disk; the NumPy header is written
 * last into a fixed 128-byte slot once the row count is known.
 */
abstract class RowSink implements AutoCloseable {
    static RowSink open(Path path, String header) throws IOException {
        return path.getFileName().toString().endsWith(".npy") ? new Npy(path, header) : new Csv(path, header);
    }

    abstract void write(double[] row) throws IOException;

    @Override
    public abstract void close() throws IOException;

    private static final class Csv extends RowSink {
        private final BufferedWriter out;

        Csv(Path path, String header) throws IOException {
            out = Files.newBufferedWriter(path);
            out.write(header);
            out.newLine();
        }

        @Override
        void write(double[] row) throws IOException {
            StringBuilder sb = new StringBuilder(row.length * 20);
            for (int k = 0; k < row.length; k++) {
                if (k > 0) sb.append(',');
                sb.append(row[k]);
            }
            out.write(sb.toString());
            out.newLine();
        }

        @Override
        public void close() throws IOException {
            out.close();
        }
    }

    private static final class Npy extends RowSink {
        private static final int HEADER = 128;
        private final FileChannel channel;
        private final OutputStream out;
        private long rows;
        private int columns = -1;
        private ByteBuffer buffer;

        Npy(Path path, String header) throws IOException {
            Files.writeString(path.resolveSibling(path.getFileName() + ".txt"), header + System.lineSeparator());
            channel = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING);
            channel.position(HEADER);
            out = java.nio.channels.Channels.newOutputStream(channel);
        }

        @Override
        void write(double[] row) throws IOException {
            if (columns < 0) {
                columns = row.length;
                buffer = ByteBuffer.allocate(8 * columns).order(ByteOrder.LITTLE_ENDIAN);
            } else if (row.length != columns) {
                throw new IllegalStateException("row of " + row.length + " values after rows of " + columns);
            }
            buffer.clear();
            for (double v : row) buffer.putDouble(v);
            out.write(buffer.array(), 0, buffer.position());
            rows++;
        }

        @Override
        public void close() throws IOException {
            out.flush();
            String dict = "{'descr': '<f8', 'fortran_order': False, 'shape': (" + rows + ", " + Math.max(columns, 0) + "), }";
            StringBuilder h = new StringBuilder(dict);
            while (10 + h.length() + 1 < HEADER) h.append(' ');
            h.append('\n');
            ByteBuffer head = ByteBuffer.allocate(HEADER).order(ByteOrder.LITTLE_ENDIAN);
            head.put((byte) 0x93).put("NUMPY".getBytes(StandardCharsets.US_ASCII)).put((byte) 1).put((byte) 0);
            head.putShort((short) (HEADER - 10));
            head.put(h.toString().getBytes(StandardCharsets.US_ASCII));
            head.flip();
            channel.write(head, 0);
            channel.close();
        }
    }
}
