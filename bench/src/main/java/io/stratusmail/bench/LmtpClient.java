package io.stratusmail.bench;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A minimal blocking LMTP client (RFC 2033) for load generation: LHLO once, then one transaction per
 * {@link #deliver} with dot-stuffing. Not thread-safe: one per connection.
 */
public final class LmtpClient implements AutoCloseable {

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;

    public LmtpClient(String host, int port) throws IOException {
        socket = new Socket();
        socket.connect(new InetSocketAddress(host, port), 10_000);
        socket.setSoTimeout(120_000);
        in = new BufferedInputStream(socket.getInputStream());
        out = new BufferedOutputStream(socket.getOutputStream(), 64 * 1024);
        expect(reply(), '2');
        send("LHLO bench.local");
        expect(reply(), '2');
    }

    /**
     * Delivers one message to the recipients in one transaction.
     *
     * @return one reply line per recipient after DATA (RFC 2033 section 4.2)
     * @throws IOException when the server refuses MAIL, a RCPT or DATA
     */
    public List<String> deliver(String from, List<String> recipients, byte[] message) throws IOException {
        send("MAIL FROM:<" + from + ">");
        expect(reply(), '2');
        for (String r : recipients) {
            send("RCPT TO:<" + r + ">");
            expect(reply(), '2');
        }
        send("DATA");
        expect(reply(), '3');
        writeDotStuffed(message);
        out.write(".\r\n".getBytes(StandardCharsets.US_ASCII));
        out.flush();
        List<String> replies = new ArrayList<>();
        for (int i = 0; i < recipients.size(); i++) {
            replies.add(reply());
        }
        return replies;
    }

    private void writeDotStuffed(byte[] m) throws IOException {
        boolean lineStart = true;
        for (byte b : m) {
            if (lineStart && b == '.') {
                out.write('.');
            }
            out.write(b);
            lineStart = b == '\n';
        }
        if (!lineStart) {
            out.write('\r');
            out.write('\n');
        }
    }

    private void send(String line) throws IOException {
        out.write((line + "\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
    }

    /** Reads a whole (possibly multi-line) reply; returns its last line. */
    private String reply() throws IOException {
        while (true) {
            String line = readLine();
            if (line.length() < 4 || line.charAt(3) != '-') {
                return line;
            }
        }
    }

    private String readLine() throws IOException {
        ByteArrayOutputStream buf = new ByteArrayOutputStream(128);
        int b;
        while ((b = in.read()) != -1 && b != '\n') {
            if (b != '\r') {
                buf.write(b);
            }
        }
        if (b == -1) {
            throw new IOException("connection closed by server");
        }
        return buf.toString(StandardCharsets.UTF_8);
    }

    private static void expect(String reply, char first) throws IOException {
        if (reply.isEmpty() || reply.charAt(0) != first) {
            throw new IOException("unexpected LMTP reply: " + reply);
        }
    }

    @Override
    public void close() throws IOException {
        try {
            send("QUIT");
            reply();
        } catch (IOException ignored) {
            // closing anyway
        } finally {
            socket.close();
        }
    }
}
