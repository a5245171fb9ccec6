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
        socket = new Socket();
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
