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

/**
 * A minimal blocking IMAP client for load generation: sends a tagged command and reads the response until
 * the tagged status, following literals ({@code {n}}) so message octets are read exactly. Not thread-safe.
 */
public final class ImapClient implements AutoCloseable {

    /** What a command returned: the untagged data as octets, the count of literals, and the tagged line. */
    public record Response(byte[] untagged, int literals, long literalOctets, String tagged) {
        public boolean ok() {
            return tagged.split(" ", 3)[1].equals("OK");
        }
    }

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;
    private int tag;

    public ImapClient(String host, int port) throws IOException {
        this(host, port, null);
    }

    /**
     * Connects from {@code localAddress} (any port; null for the system's choice) and reads the greeting. Binding
     * to different loopback addresses (127.0.0.0/8) lets one machine open more connections than a server's
     * per-address limit.
     */
    public ImapClient(String host, int port, java.net.InetAddress localAddress) throws IOException {
        socket = new Socket();
        if (localAddress != null) {
            socket.bind(new InetSocketAddress(localAddress, 0));
        }
        socket.connect(new InetSocketAddress(host, port), 10_000);
        socket.setSoTimeout(900_000); // a FETCH 1:* of a million messages is long
        in = new BufferedInputStream(socket.getInputStream(), 64 * 1024);
        out = new BufferedOutputStream(socket.getOutputStream());
        readLine(new ByteArrayOutputStream()); // greeting
    }

    /** Sends one command (without tag and CRLF) and reads its whole response. */
    public Response command(String command) throws IOException {
        String t = "b" + (++tag);
        out.write((t + " " + command + "\r\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
        return response(t);
    }

    /**
     * Sends a command that ends in one synchronizing literal (RFC 3501 section 4.3), e.g. {@code APPEND INBOX
     * (\Seen)} and the message: waits for the {@code +} continuation before sending the octets. When the server
     * refuses the literal (a tagged response instead of {@code +}), returns that response.
     */
    public Response commandWithLiteral(String commandPrefix, byte[] literal) throws IOException {
        String t = "b" + (++tag);
        out.write((t + " " + commandPrefix + " {" + literal.length + "}\r\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
        ByteArrayOutputStream skipped = new ByteArrayOutputStream();
        while (true) {
            String line = readLine(skipped);
            if (line.startsWith("+")) {
                break;
            }
            if (line.startsWith(t + " ")) {
                return new Response(new byte[0], 0, 0, line);
            }
        }
        out.write(literal);
        out.write(CRLF);
        out.flush();
        return response(t);
    }

    /** How long the two halves of an IDLE took: until the {@code +} continuation, and from DONE to the tagged OK. */
    public record IdleTiming(long continuationNanos, long doneNanos, Response response) {
    }

    /**
     * IDLE (RFC 2177) for about {@code holdMillis}: sends IDLE, waits for the continuation, holds (untagged
     * updates the server pushes meanwhile are read with the final response), sends DONE and reads the response.
     */
    public IdleTiming idle(long holdMillis) throws IOException, InterruptedException {
        String t = "b" + (++tag);
        long start = System.nanoTime();
        out.write((t + " IDLE\r\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
        ByteArrayOutputStream skipped = new ByteArrayOutputStream();
        while (true) {
            String line = readLine(skipped);
            if (line.startsWith("+")) {
                break;
            }
            if (line.startsWith(t + " ")) {
                long n = System.nanoTime() - start;
                return new IdleTiming(n, 0, new Response(skipped.toByteArray(), 0, 0, line));
            }
        }
        long continuation = System.nanoTime() - start;
        Thread.sleep(holdMillis);
        long done = System.nanoTime();
        out.write("DONE\r\n".getBytes(StandardCharsets.US_ASCII));
        out.flush();
        Response r = response(t);
        return new IdleTiming(continuation, System.nanoTime() - done, r);
    }

    /** Starts IDLE and returns once the server has sent the continuation; the session then stays idle. */
    public void startIdle() throws IOException {
        String t = "b" + (++tag);
        out.write((t + " IDLE\r\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
        ByteArrayOutputStream skipped = new ByteArrayOutputStream();
        while (true) {
            String line = readLine(skipped);
            if (line.startsWith("+")) {
                return;
            }
            if (line.startsWith(t + " ")) {
                throw new IOException("IDLE refused: " + line);
            }
        }
    }

    private static final byte[] CRLF = {'\r', '\n'};

    private Response response(String t) throws IOException {
        ByteArrayOutputStream untagged = new ByteArrayOutputStream();
        int literals = 0;
        long literalOctets = 0;
        while (true) {
            int start = untagged.size();
            String line = readLine(untagged);
            // a line ending in {n} announces n octets of literal, then the line continues
            while (line.endsWith("}") && line.lastIndexOf('{') >= 0) {
                long n = Long.parseLong(line.substring(line.lastIndexOf('{') + 1, line.length() - 1).replace("+", ""));
                byte[] lit = in.readNBytes((int) n);
                if (lit.length != n) {
                    throw new IOException("connection closed inside a literal");
                }
                untagged.write(lit);
                literals++;
                literalOctets += n;
                line = readLine(untagged);
            }
            if (line.startsWith(t + " ")) {
                byte[] all = untagged.toByteArray();
                byte[] data = java.util.Arrays.copyOf(all, start);
                return new Response(data, literals, literalOctets, line);
            }
        }
    }

    private String readLine(ByteArrayOutputStream sink) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream(128);
        int b;
        while ((b = in.read()) != -1) {
            sink.write(b);
            if (b == '\n') {
                break;
            }
            if (b != '\r') {
                line.write(b);
            }
        }
        if (b == -1) {
            throw new IOException("connection closed by server");
        }
        return line.toString(StandardCharsets.UTF_8);
    }

    /** Closes the connection without LOGOUT (e.g. a session left in IDLE). */
    public void abort() throws IOException {
        socket.close();
    }

    @Override
    public void close() throws IOException {
        try {
            command("LOGOUT");
        } catch (IOException ignored) {
            // closing anyway
        } finally {
            socket.close();
        }
    }
}
