package io.stratusmail.localcluster;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * Asks a Cassandra node {@code SELECT release_version FROM system.local} over the CQL native protocol
 * v4 (framing of the native protocol specification, sections 2 and 4), without a driver: the
 * launcher must not bring a driver and its Netty onto the application's classpath.
 *
 * <p>One connection per check: STARTUP, then QUERY at consistency ONE. A node that asks for
 * authentication (PasswordAuthenticator) is reported as answering, since it serves the protocol.
 */
final class CqlProbe {

    static final String QUERY = "SELECT release_version FROM system.local";

    private static final int VERSION_4_REQUEST = 0x04;
    private static final int OP_ERROR = 0x00;
    private static final int OP_STARTUP = 0x01;
    private static final int OP_READY = 0x02;
    private static final int OP_AUTHENTICATE = 0x03;
    private static final int OP_QUERY = 0x07;
    private static final int OP_RESULT = 0x08;
    private static final int RESULT_ROWS = 0x0002;
    private static final int CONSISTENCY_ONE = 0x0001;
    private static final int MAX_BODY_BYTES = 1 << 20;

    private CqlProbe() {
    }

    /**
     * @return {@code release_version=<version>}, or {@code authentication required} when the node asks
     *         for credentials
     * @throws IOException if the port is closed, the node answers an ERROR, or the answer is malformed
     */
    static String releaseVersion(String host, int port, Duration timeout) throws IOException {
        int millis = (int) timeout.toMillis();
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(host, port), millis);
            socket.setSoTimeout(millis);
            OutputStream out = socket.getOutputStream();
            DataInputStream in = new DataInputStream(new BufferedInputStream(socket.getInputStream()));

            out.write(frame(1, OP_STARTUP, startupBody()));
            out.flush();
            ByteBuffer ready = expect(in, 1, OP_READY, OP_AUTHENTICATE);
            if (ready == null) {
                return "authentication required";
            }
            out.write(frame(2, OP_QUERY, queryBody(QUERY)));
            out.flush();
            return "release_version=" + firstCell(expect(in, 2, OP_RESULT, OP_RESULT));
        } catch (BufferUnderflowException e) {
            throw new IOException("truncated CQL response", e);
        }
    }

    private static byte[] startupBody() {
        ByteBuffer body = ByteBuffer.allocate(64);
        body.putShort((short) 1);
        putString(body, "CQL_VERSION");
        putString(body, "3.0.0");
        return bytes(body);
    }

    private static byte[] queryBody(String query) {
        byte[] text = query.getBytes(StandardCharsets.UTF_8);
        ByteBuffer body = ByteBuffer.allocate(4 + text.length + 3);
        body.putInt(text.length).put(text);
        body.putShort((short) CONSISTENCY_ONE);
        body.put((byte) 0); // no query flags
        return bytes(body);
    }

    private static byte[] frame(int stream, int opcode, byte[] body) {
        ByteBuffer frame = ByteBuffer.allocate(9 + body.length);
        frame.put((byte) VERSION_4_REQUEST).put((byte) 0).putShort((short) stream).put((byte) opcode);
        frame.putInt(body.length).put(body);
        return frame.array();
    }

    /** Reads one response frame; returns its body, or null if its opcode is {@code alternative}. */
    private static ByteBuffer expect(DataInputStream in, int stream, int opcode, int alternative) throws IOException {
        byte[] header = new byte[9];
        in.readFully(header);
        ByteBuffer h = ByteBuffer.wrap(header);
        int version = h.get() & 0xFF;
        h.get(); // flags: no compression or tracing was asked for
        int responseStream = h.getShort();
        int responseOpcode = h.get() & 0xFF;
        int length = h.getInt();
        if ((version & 0x80) == 0 || length < 0 || length > MAX_BODY_BYTES) {
            throw new IOException("not a CQL v4 response (version byte 0x" + Integer.toHexString(version)
                    + ", length " + length + ")");
        }
        byte[] body = new byte[length];
        in.readFully(body);
        ByteBuffer b = ByteBuffer.wrap(body);
        if (responseOpcode == OP_ERROR) {
            int code = b.getInt();
            throw new IOException("CQL error 0x" + Integer.toHexString(code) + ": " + getString(b));
        }
        if (responseStream != stream) {
            throw new IOException("CQL response on stream " + responseStream + ", expected " + stream);
        }
        if (responseOpcode == opcode) {
            return b;
        }
        if (responseOpcode == alternative) {
            return null;
        }
        throw new IOException("unexpected CQL opcode 0x" + Integer.toHexString(responseOpcode));
    }

    /** The first column of the first row of a Rows result, as text. */
    private static String firstCell(ByteBuffer b) throws IOException {
        if (b.getInt() != RESULT_ROWS) {
            throw new IOException("CQL result is not rows");
        }
        int flags = b.getInt();
        int columns = b.getInt();
        if ((flags & 0x0002) != 0) { // Has_more_pages: paging state
            skipBytes(b);
        }
        if ((flags & 0x0004) == 0) { // metadata present
            boolean globalTableSpec = (flags & 0x0001) != 0;
            if (globalTableSpec) {
                getString(b);
                getString(b);
            }
            for (int i = 0; i < columns; i++) {
                if (!globalTableSpec) {
                    getString(b);
                    getString(b);
                }
                getString(b);
                skipType(b);
            }
        }
        if (b.getInt() < 1 || columns < 1) {
            throw new IOException("system.local returned no row");
        }
        int length = b.getInt();
        if (length < 0) {
            throw new IOException("system.local returned a null release_version");
        }
        byte[] value = new byte[length];
        b.get(value);
        return new String(value, StandardCharsets.UTF_8);
    }

    private static void skipType(ByteBuffer b) {
        int id = b.getShort() & 0xFFFF;
        switch (id) {
            case 0x0000 -> getString(b); // custom: class name
            case 0x0020, 0x0022 -> skipType(b); // list, set
            case 0x0021 -> { // map
                skipType(b);
                skipType(b);
            }
            case 0x0030 -> { // UDT
                getString(b);
                getString(b);
                int fields = b.getShort() & 0xFFFF;
                for (int i = 0; i < fields; i++) {
                    getString(b);
                    skipType(b);
                }
            }
            case 0x0031 -> { // tuple
                int elements = b.getShort() & 0xFFFF;
                for (int i = 0; i < elements; i++) {
                    skipType(b);
                }
            }
            default -> {
                // native types carry no parameters
            }
        }
    }

    private static void putString(ByteBuffer b, String s) {
        byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
        b.putShort((short) bytes.length).put(bytes);
    }

    private static String getString(ByteBuffer b) {
        byte[] bytes = new byte[b.getShort() & 0xFFFF];
        b.get(bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }

    private static void skipBytes(ByteBuffer b) {
        int length = b.getInt();
        if (length > 0) {
            b.position(b.position() + length);
        }
    }

    private static byte[] bytes(ByteBuffer b) {
        byte[] out = new byte[b.position()];
        b.flip().get(out);
        return out;
    }
}
