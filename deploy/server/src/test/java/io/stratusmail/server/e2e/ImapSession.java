package io.stratusmail.server.e2e;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** A line-level IMAP conversation for tests that read like the RFC's examples: a client line, the server's lines. */
final class ImapSession implements AutoCloseable {

    private final Socket socket;
    private final BufferedReader in;
    private final OutputStream out;
    final String greeting;

    ImapSession(InetSocketAddress address) throws IOException {
        socket = new Socket(address.getAddress(), address.getPort());
        socket.setSoTimeout(30_000);
        in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.ISO_8859_1));
        out = socket.getOutputStream();
        greeting = in.readLine();
    }

    /** Sends {@code line} (with CRLF) and returns every response line up to the tagged one, included. */
    List<String> send(String line) throws IOException {
        String tag = line.substring(0, line.indexOf(' '));
        write(line + "\r\n");
        return readUntilTagged(tag);
    }

    void write(String raw) throws IOException {
        out.write(raw.getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
    }

    String readLine() throws IOException {
        return in.readLine();
    }

    List<String> readUntilTagged(String tag) throws IOException {
        List<String> lines = new ArrayList<>();
        String l;
        while ((l = in.readLine()) != null) {
            lines.add(l);
            if (l.startsWith(tag + " ")) {
                return lines;
            }
        }
        throw new IOException("connection closed; got " + lines);
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
