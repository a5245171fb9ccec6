package io.stratusmail.server.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.ssl.SslContext;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Self-signed certificates for {@code ./stratus dev} and operator PEM files: generated once and reused, served
 * over real TLS to the JDK's client and to Python's ssl module, both trusting only that certificate and
 * checking the host name.
 */
class TlsMaterialTest {

    @TempDir
    Path dir;

    @Test
    void selfSignedIsWrittenOnceAndReusedOnRestart() throws Exception {
        TlsMaterial first = TlsMaterial.selfSigned(dir, "mail.example.test");
        assertThat(first.certificateFile()).isEqualTo(dir.resolve(TlsMaterial.CERTIFICATE_FILE));
        assertThat(Files.getPosixFilePermissions(first.privateKeyFile())).containsExactlyInAnyOrder(
                PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
        assertThat(Files.readString(first.privateKeyFile())).startsWith("-----BEGIN PRIVATE KEY-----");
        assertThat(first.certificate().getSubjectAlternativeNames()).extracting(n -> String.valueOf(n.get(1)))
                .contains("mail.example.test", "localhost", "127.0.0.1");
        assertThat(first.certificate().getNotAfter().getTime() - System.currentTimeMillis())
                .isGreaterThan(TimeUnit.DAYS.toMillis(TlsMaterial.SELF_SIGNED_DAYS - 1));

        TlsMaterial again = TlsMaterial.selfSigned(dir, "mail.example.test");
        assertThat(again.certificate()).isEqualTo(first.certificate());

        TlsMaterial renamed = TlsMaterial.selfSigned(dir, "other.example.test");
        assertThat(renamed.certificate().getSerialNumber()).isNotEqualTo(first.certificate().getSerialNumber());
        assertThat(renamed.certificate().getSubjectAlternativeNames()).extracting(n -> String.valueOf(n.get(1)))
                .contains("other.example.test");
        assertThat(dir.resolve(TlsMaterial.CERTIFICATE_FILE + ".tmp")).doesNotExist();
    }

    @Test
    void damagedFilesAreReplaced() throws Exception {
        TlsMaterial first = TlsMaterial.selfSigned(dir, "localhost");
        Files.writeString(first.certificateFile(), "garbage");
        TlsMaterial fresh = TlsMaterial.selfSigned(dir, "localhost");
        assertThat(fresh.certificate()).isNotEqualTo(first.certificate());
    }

    @Test
    void operatorFilesAreCheckedAtLoad() throws Exception {
        TlsMaterial a = TlsMaterial.selfSigned(dir.resolve("a"), "localhost");
        TlsMaterial b = TlsMaterial.selfSigned(dir.resolve("b"), "localhost");
        assertThat(TlsMaterial.fromPem(a.certificateFile(), a.privateKeyFile()).certificate())
                .isEqualTo(a.certificate());
        assertThatThrownBy(() -> TlsMaterial.fromPem(a.certificateFile(), b.privateKeyFile()))
                .isInstanceOf(IOException.class);
        assertThatThrownBy(() -> TlsMaterial.fromPem(dir.resolve("missing.pem"), a.privateKeyFile()))
                .isInstanceOf(IOException.class).hasMessageContaining("missing.pem");
        Path empty = Files.writeString(dir.resolve("empty.pem"), "");
        assertThatThrownBy(() -> TlsMaterial.fromPem(empty, a.privateKeyFile())).isInstanceOf(IOException.class);
    }

    @Test
    void opensslRsaChainWithTraditionalKeyIsServed() throws Exception {
        Path key = dir.resolve("rsa-key.pem");
        Path cert = dir.resolve("rsa-cert.pem");
        openssl("genrsa", "-traditional", "-out", key.toString(), "2048");
        openssl("req", "-x509", "-new", "-key", key.toString(), "-out", cert.toString(), "-days", "2",
                "-subj", "/CN=localhost", "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1");
        assertThat(Files.readString(key)).startsWith("-----BEGIN RSA PRIVATE KEY-----");
        TlsMaterial material = TlsMaterial.fromPem(cert, key);
        assertThat(material.certificate().getPublicKey().getAlgorithm()).isEqualTo("RSA");
        EventLoopGroup group = new NioEventLoopGroup(1);
        try {
            InetSocketAddress address = greeter(group, material.serverContext());
            assertThat(greeting(material, "localhost", address.getPort())).isEqualTo("* OK greetings over TLS");
        } finally {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }

    private static void openssl(String... args) throws Exception {
        List<String> command = new java.util.ArrayList<>(List.of("openssl"));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
    }

    /** Connects with the JDK's client trusting only {@code material}, checking the host name; the first line. */
    private static String greeting(TlsMaterial material, String host, int port) throws Exception {
        try (SSLSocket socket = (SSLSocket) trusting(material).getSocketFactory().createSocket(host, port)) {
            SSLParameters params = socket.getSSLParameters();
            params.setEndpointIdentificationAlgorithm("HTTPS");
            socket.setSSLParameters(params);
            socket.setSoTimeout(10_000);
            return new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII))
                    .readLine();
        }
    }

    @Test
    void jdkAndPythonClientsTrustingTheCertificateCompleteTheHandshake() throws Exception {
        TlsMaterial material = TlsMaterial.selfSigned(dir, "localhost");
        EventLoopGroup group = new NioEventLoopGroup(1);
        try {
            InetSocketAddress address = greeter(group, material.serverContext());
            for (String host : List.of("localhost", "127.0.0.1")) {
                assertThat(greeting(material, host, address.getPort())).isEqualTo("* OK greetings over TLS");
            }
            Process p = new ProcessBuilder("python3", "-c", String.join("\n",
                    "import socket, ssl, sys",
                    "ctx = ssl.create_default_context(cafile=sys.argv[1])",
                    "for host in ('localhost', '127.0.0.1'):",
                    "    with socket.create_connection((host, int(sys.argv[2]))) as raw:",
                    "        with ctx.wrap_socket(raw, server_hostname=host) as s:",
                    "            print(host, s.version(), s.recv(100).decode().strip())"),
                    material.certificateFile().toString(), Integer.toString(address.getPort()))
                    .redirectErrorStream(true).start();
            assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(p.exitValue()).as(out).isZero();
            assertThat(out.split("\n")).containsExactly("localhost TLSv1.3 * OK greetings over TLS",
                    "127.0.0.1 TLSv1.3 * OK greetings over TLS");

            // A client that does not trust the self-signed certificate refuses it.
            SSLContext defaults = SSLContext.getInstance("TLS");
            defaults.init(null, null, null);
            try (SSLSocket socket = (SSLSocket) defaults.getSocketFactory().createSocket("127.0.0.1",
                    address.getPort())) {
                assertThatThrownBy(socket::startHandshake).isInstanceOf(SSLHandshakeException.class);
            }
        } finally {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }

    /** A TLS server that sends one line once the handshake is done. */
    private static InetSocketAddress greeter(EventLoopGroup group, SslContext context) throws InterruptedException {
        Channel server = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast(context.newHandler(ch.alloc()), new ChannelInboundHandlerAdapter() {
                            @Override
                            public void channelActive(ChannelHandlerContext ctx) {
                                ctx.writeAndFlush(Unpooled.copiedBuffer("* OK greetings over TLS\r\n",
                                        StandardCharsets.US_ASCII));
                            }
                        });
                    }
                }).bind("127.0.0.1", 0).sync().channel();
        return (InetSocketAddress) server.localAddress();
    }

    private static SSLContext trusting(TlsMaterial material) throws Exception {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        try (InputStream in = Files.newInputStream(material.certificateFile())) {
            trust.setCertificateEntry("stratus", CertificateFactory.getInstance("X.509").generateCertificate(in));
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, tmf.getTrustManagers(), null);
        return context;
    }
}
