package io.stratusmail.lmtp.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;

/** A raw-socket LMTP client for tests: sends exact octets, reads whole replies, can switch to TLS. */
public final class LmtpClient implements AutoCloseable {

    private Socket socket;
    private InputStream in;
    private OutputStream out;

    public LmtpClient(InetSocketAddress address) {
        try {
            socket = new Socket(address.getAddress(), address.getPort());
            socket.setSoTimeout(10_000);
            in = socket.getInputStream();
            out = socket.getOutputStream();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Connects and consumes the greeting. */
    public static LmtpClient greeted(InetSocketAddress address) {
        LmtpClient client = new LmtpClient(address);
        String greeting = client.reply();
        if (!greeting.startsWith("220 ")) {
            throw new IllegalStateException("unexpected greeting " + greeting);
        }
        return client;
    }

    /** Connects, reads the greeting, sends LHLO and reads its reply. */
    public static LmtpClient afterLhlo(InetSocketAddress address) {
        LmtpClient client = greeted(address);
        client.send("LHLO client.example");
        String reply = client.reply();
        if (!reply.startsWith("250-")) {
            throw new IllegalStateException("unexpected LHLO reply " + reply);
        }
        return client;
    }

    /** Sends one command line; CRLF is appended. */
    public void send(String line) {
        write((line + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
    }

    /** Sends a command and returns its reply. */
    public String command(String line) {
        send(line);
        return reply();
    }

    /** Sends a command encoded in UTF-8 (RFC 6531) and returns its reply. */
    public String commandUtf8(String line) {
        write((line + "\r\n").getBytes(StandardCharsets.UTF_8));
        return reply();
    }

    /**
     * After a {@code 220} to STARTTLS: runs the TLS handshake over this connection (a JDK
     * {@link SSLSocket}); later commands and replies go over TLS.
     *
     * @return the negotiated TLS session's protocol, such as {@code TLSv1.3}
     */
    public String startTls(SSLSocketFactory factory) {
        try {
            SSLSocket tls = (SSLSocket) factory.createSocket(socket, socket.getInetAddress().getHostAddress(),
                    socket.getPort(), true);
            tls.setUseClientMode(true);
            tls.setSoTimeout(10_000);
            tls.startHandshake();
            socket = tls;
            in = tls.getInputStream();
            out = tls.getOutputStream();
            return tls.getSession().getProtocol();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public void write(String text) {
        write(text.getBytes(StandardCharsets.ISO_8859_1));
    }

    public void write(byte[] bytes) {
        try {
            out.write(bytes);
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** One reply, its lines joined with LF (CRLF removed); multi-line replies read to their last line. */
    public String reply() {
        List<String> lines = new ArrayList<>();
        while (true) {
            String line = line();
            if (line == null) {
                throw new IllegalStateException("connection closed, reply so far: " + lines);
            }
            lines.add(line);
            if (line.length() < 4 || line.charAt(3) == ' ') {
                return String.join("\n", lines);
            }
        }
    }

    /** {@code n} replies, one per element. */
    public List<String> replies(int n) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(reply());
        }
        return out;
    }

    /** True when the server closed the connection (EOF before any further octet). */
    public boolean isClosedByServer() {
        try {
            return in.read() < 0;
        } catch (IOException e) {
            return true;
        }
    }

    private String line() {
        try {
            ByteArrayOutputStream buf = new ByteArrayOutputStream();
            int prev = -1;
            while (true) {
                int b = in.read();
                if (b < 0) {
                    return buf.size() == 0 ? null : buf.toString(StandardCharsets.ISO_8859_1);
                }
                if (b == '\n' && prev == '\r') {
                    byte[] bytes = buf.toByteArray();
                    return new String(bytes, 0, bytes.length - 1, StandardCharsets.ISO_8859_1);
                }
                buf.write(b);
                prev = b;
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
