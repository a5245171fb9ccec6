package io.stratusmail.imap;

import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManagerFactory;

/**
 * A self-signed server certificate for {@code localhost} / {@code 127.0.0.1}, made once per test JVM with the
 * JDK's own keytool (an implementation independent of the server's), with the server context and a client
 * socket factory that trusts it and checks the host name.
 */
final class TestCertificate {

    private static final char[] PASSWORD = "changeit".toCharArray();
    private static TestCertificate instance;

    /** The certificate in PEM, for clients such as Python's ssl module. */
    final Path pem;
    private final KeyStore keyStore;

    private TestCertificate(Path pem, KeyStore keyStore) {
        this.pem = pem;
        this.keyStore = keyStore;
    }

    static synchronized TestCertificate get() throws Exception {
        if (instance == null) {
            Path dir = Files.createTempDirectory("imap-tls");
            Path p12 = dir.resolve("server.p12");
            Path pem = dir.resolve("cert.pem");
            keytool("-genkeypair", "-alias", "imap", "-keyalg", "EC", "-groupname", "secp256r1",
                    "-dname", "CN=localhost", "-ext", "SAN=dns:localhost,ip:127.0.0.1", "-validity", "2",
                    "-keystore", p12.toString(), "-storetype", "PKCS12", "-storepass", new String(PASSWORD));
            keytool("-exportcert", "-rfc", "-alias", "imap", "-keystore", p12.toString(),
                    "-storepass", new String(PASSWORD), "-file", pem.toString());
            KeyStore ks = KeyStore.getInstance("PKCS12");
            try (InputStream in = Files.newInputStream(p12)) {
                ks.load(in, PASSWORD);
            }
            p12.toFile().deleteOnExit();
            pem.toFile().deleteOnExit();
            dir.toFile().deleteOnExit();
            instance = new TestCertificate(pem, ks);
        }
        return instance;
    }

    private static void keytool(String... args) throws Exception {
        List<String> command = new java.util.ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException("keytool failed: " + out);
        }
    }

    /** The server side: this certificate and its key. */
    SslContext serverContext() throws Exception {
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(keyStore, PASSWORD);
        return SslContextBuilder.forServer(kmf).build();
    }

    /** A client that trusts only this certificate and verifies the server's name against it. */
    SSLSocketFactory clientFactory() throws Exception {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        try (InputStream in = Files.newInputStream(pem)) {
            Certificate cert = CertificateFactory.getInstance("X.509").generateCertificate(in);
            trust.setCertificateEntry("imap", cert);
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, tmf.getTrustManagers(), null);
        SSLSocketFactory plain = context.getSocketFactory();
        return new HostnameCheckingFactory(plain);
    }

    /** Sets HTTPS-style endpoint identification on every socket, so a wrong name fails the handshake. */
    private static final class HostnameCheckingFactory extends SSLSocketFactory {
        private final SSLSocketFactory delegate;

        HostnameCheckingFactory(SSLSocketFactory delegate) {
            this.delegate = delegate;
        }

        private java.net.Socket checked(java.net.Socket s) {
            SSLSocket ssl = (SSLSocket) s;
            SSLParameters params = ssl.getSSLParameters();
            params.setEndpointIdentificationAlgorithm("HTTPS");
            ssl.setSSLParameters(params);
            return ssl;
        }

        @Override
        public String[] getDefaultCipherSuites() {
            return delegate.getDefaultCipherSuites();
        }

        @Override
        public String[] getSupportedCipherSuites() {
            return delegate.getSupportedCipherSuites();
        }

        @Override
        public java.net.Socket createSocket() throws IOException {
            return checked(delegate.createSocket());
        }

        @Override
        public java.net.Socket createSocket(java.net.Socket s, String host, int port, boolean autoClose)
                throws IOException {
            return checked(delegate.createSocket(s, host, port, autoClose));
        }

        @Override
        public java.net.Socket createSocket(String host, int port) throws IOException {
            return checked(delegate.createSocket(host, port));
        }

        @Override
        public java.net.Socket createSocket(String host, int port, java.net.InetAddress localHost, int localPort)
                throws IOException {
            return checked(delegate.createSocket(host, port, localHost, localPort));
        }

        @Override
        public java.net.Socket createSocket(java.net.InetAddress host, int port) throws IOException {
            return checked(delegate.createSocket(host, port));
        }

        @Override
        public java.net.Socket createSocket(java.net.InetAddress address, int port, java.net.InetAddress localAddress,
                                            int localPort) throws IOException {
            return checked(delegate.createSocket(address, port, localAddress, localPort));
        }
    }
}
