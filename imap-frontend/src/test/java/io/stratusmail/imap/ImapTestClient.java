package io.stratusmail.imap;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;

/**
 * A raw IMAP client over a real socket for protocol tests: sends lines exactly as given and reads server
 * responses, each returned as one string with any literals inline ({@code ... {3}\r\nabc)}), decoded as
 * ISO-8859-1 so every octet is visible.
 */
public final class ImapTestClient implements AutoCloseable {

    private Socket socket;
    private InputStream in;
    private OutputStream out;

    public ImapTestClient(InetSocketAddress address) throws IOException {
        Socket plain = new Socket();
        plain.connect(address, 5000);
        use(plain);
    }

    /** A client over TLS from the start (implicit TLS), handshake done. */
    public ImapTestClient(InetSocketAddress address, SSLSocketFactory tls) throws IOException {
        SSLSocket s = (SSLSocket) tls.createSocket();
        s.connect(address, 5000);
        s.setSoTimeout(10_000);
        s.startHandshake();
        use(s);
    }

    private void use(Socket s) throws IOException {
        socket = s;
        socket.setSoTimeout(10_000);
        in = new java.io.BufferedInputStream(socket.getInputStream());
        out = socket.getOutputStream();
    }

    /**
     * Starts TLS over the connection (after {@code tag OK} to STARTTLS) and completes the handshake.
     *
     * @throws IOException when the handshake fails, e.g. the server's certificate is not trusted
     */
    public void startTls(SSLSocketFactory tls) throws IOException {
        if (in.available() > 0) {
            throw new IllegalStateException("plaintext left unread before the TLS handshake");
        }
        InetSocketAddress remote = (InetSocketAddress) socket.getRemoteSocketAddress();
        SSLSocket s = (SSLSocket) tls.createSocket(socket, remote.getHostString(), remote.getPort(), true);
        s.startHandshake();
        use(s);
    }

    /** The TLS session of the connection, or null when it is plaintext. */
    public javax.net.ssl.SSLSession tlsSession() {
        return socket instanceof SSLSocket s ? s.getSession() : null;
    }

    /** Sends {@code text} followed by CRLF. */
    public void send(String text) throws IOException {
        sendRaw(text + "\r\n");
    }

    /** Sends the octets of {@code text} (UTF-8) as they are. */
    public void sendRaw(String text) throws IOException {
        sendRaw(text.getBytes(StandardCharsets.UTF_8));
    }

    public void sendRaw(byte[] octets) throws IOException {
        out.write(octets);
        out.flush();
    }

    /** Reads one line, without CRLF. */
    public String readLine() throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        while (true) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("connection closed; partial line: " + line.toString(StandardCharsets.ISO_8859_1));
            }
            if (b == '\n') {
                byte[] bytes = line.toByteArray();
                int n = bytes.length > 0 && bytes[bytes.length - 1] == '\r' ? bytes.length - 1 : bytes.length;
                return new String(bytes, 0, n, StandardCharsets.ISO_8859_1);
            }
            line.write(b);
        }
    }

    /** Reads one response: a line, plus each literal it announces and the line text after it. */
    public String readResponse() throws IOException {
        StringBuilder sb = new StringBuilder();
        while (true) {
            String line = readLine();
            sb.append(line);
            int open = line.lastIndexOf('{');
            if (!line.endsWith("}") || open < 0 || !line.substring(open + 1, line.length() - 1).matches("\\d+")) {
                return sb.toString();
            }
            int n = Integer.parseInt(line.substring(open + 1, line.length() - 1));
            sb.append("\r\n").append(new String(in.readNBytes(n), StandardCharsets.ISO_8859_1));
        }
    }

    /** Reads responses up to and including the tagged one for {@code tag}. */
    public List<String> readUntilTagged(String tag) throws IOException {
        List<String> lines = new ArrayList<>();
        while (true) {
            String r = readResponse();
            lines.add(r);
            if (r.startsWith(tag + " ")) {
                return lines;
            }
        }
    }

    /** Sends {@code tag command} and returns every response up to the tagged one. */
    public List<String> command(String tag, String command) throws IOException {
        send(tag + " " + command);
        return readUntilTagged(tag);
    }

    /** Whether the server closed the connection (end of stream within the timeout). */
    public boolean isClosedByServer() throws IOException {
        try {
            return in.read() < 0;
        } catch (SocketTimeoutException e) {
            return false;
        }
    }

    /** Whether nothing arrives within {@code millis}. */
    public boolean silentFor(int millis) throws IOException {
        int old = socket.getSoTimeout();
        socket.setSoTimeout(millis);
        try {
            int b = in.read();
            if (b < 0) {
                throw new IOException("connection closed");
            }
            return false;
        } catch (SocketTimeoutException e) {
            return true;
        } finally {
            socket.setSoTimeout(old);
        }
    }

    public void setTimeout(int millis) throws IOException {
        socket.setSoTimeout(millis);
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
