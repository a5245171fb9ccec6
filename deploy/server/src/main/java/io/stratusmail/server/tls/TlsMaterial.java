package io.stratusmail.server.tls;

import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringWriter;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Date;
import java.util.List;
import java.util.Objects;
import javax.net.ssl.SSLException;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server's TLS certificate chain and private key, as PEM files, for the IMAP listeners (STARTTLS and
 * implicit TLS) and LMTP STARTTLS.
 *
 * <ul>
 *   <li>{@link #fromPem}: operator-supplied files, e.g. {@code --tls-cert chain.pem --tls-key key.pem}. The chain
 *       holds the server certificate first, then intermediates; the key is PKCS#8 ({@code BEGIN PRIVATE KEY}),
 *       or PKCS#1 / SEC1 ({@code BEGIN RSA PRIVATE KEY}, {@code BEGIN EC PRIVATE KEY}), unencrypted.</li>
 *   <li>{@link #selfSigned}: for {@code ./stratus dev}: an ECDSA P-256 certificate for the host name, {@code
 *       localhost}, {@code 127.0.0.1} and {@code ::1}, valid {@value #SELF_SIGNED_DAYS} days, written to
 *       {@value #CERTIFICATE_FILE} and {@value #PRIVATE_KEY_FILE} in a directory and reused on restart (so a
 *       client told to trust it once keeps trusting it) until it nears its end or no longer names the host.</li>
 * </ul>
 *
 * <p>Immutable. Building an {@link SslContext} reads the files again, so replacing them and calling
 * {@link #serverContext()} picks up a renewed certificate.
 */
public final class TlsMaterial {

    /** File name of the self-signed certificate in its directory. */
    public static final String CERTIFICATE_FILE = "tls-cert.pem";
    /** File name of the self-signed certificate's private key in its directory (owner-only permissions). */
    public static final String PRIVATE_KEY_FILE = "tls-key.pem";
    /** Validity of a generated self-signed certificate. */
    public static final int SELF_SIGNED_DAYS = 365;
    /** A self-signed certificate ending sooner than this is replaced at start. */
    public static final Duration RENEW_BEFORE = Duration.ofDays(7);

    private static final Logger LOG = LoggerFactory.getLogger(TlsMaterial.class);

    private final Path certificateFile;
    private final Path privateKeyFile;
    private final List<X509Certificate> chain;

    private TlsMaterial(Path certificateFile, Path privateKeyFile, List<X509Certificate> chain) {
        this.certificateFile = certificateFile;
        this.privateKeyFile = privateKeyFile;
        this.chain = List.copyOf(chain);
    }

    /**
     * Loads a certificate chain and its private key from PEM files and checks that the key belongs to the
     * server certificate and that they form a usable server context.
     *
     * @throws IOException when a file cannot be read, holds no certificate, or key and certificate do not fit
     */
    public static TlsMaterial fromPem(Path certificateChain, Path privateKey) throws IOException {
        Objects.requireNonNull(certificateChain, "certificateChain");
        Objects.requireNonNull(privateKey, "privateKey");
        List<X509Certificate> chain = readChain(certificateChain);
        checkKeyFits(chain.get(0), readPrivateKey(privateKey), privateKey);
        TlsMaterial material = new TlsMaterial(certificateChain, privateKey, chain);
        material.serverContext();
        return material;
    }

    /**
     * The self-signed certificate in {@code directory} for {@code hostname}: the one written there before when
     * it still names the host and is valid for at least {@link #RENEW_BEFORE}, otherwise a new one (the directory
     * is created if needed; files are replaced atomically, the key is readable by its owner only).
     *
     * @param directory where {@value #CERTIFICATE_FILE} and {@value #PRIVATE_KEY_FILE} live
     * @param hostname  the server's DNS name (also covered: {@code localhost}, {@code 127.0.0.1}, {@code ::1})
     * @throws IOException when the files cannot be read or written
     */
    public static TlsMaterial selfSigned(Path directory, String hostname) throws IOException {
        Objects.requireNonNull(hostname, "hostname");
        Path cert = directory.resolve(CERTIFICATE_FILE);
        Path key = directory.resolve(PRIVATE_KEY_FILE);
        if (Files.exists(cert) && Files.exists(key)) {
            try {
                TlsMaterial existing = fromPem(cert, key);
                if (existing.coversHost(hostname) && existing.certificate().getNotAfter().toInstant()
                        .isAfter(Instant.now().plus(RENEW_BEFORE))) {
                    LOG.info("event=tls.self_signed.reused file={} not_after={}", cert,
                            existing.certificate().getNotAfter().toInstant());
                    return existing;
                }
            } catch (IOException e) {
                LOG.warn("event=tls.self_signed.unusable file={} error={}", cert, e.getMessage());
            }
        }
        Files.createDirectories(directory);
        generate(hostname, cert, key);
        TlsMaterial created = fromPem(cert, key);
        LOG.info("event=tls.self_signed.created file={} host={} not_after={}", cert, hostname,
                created.certificate().getNotAfter().toInstant());
        return created;
    }

    /**
     * A new Netty server context for this certificate and key (JDK TLS provider, TLS 1.2 and 1.3 as the JDK
     * enables them).
     *
     * @throws SSLException when the files no longer form a usable pair
     */
    public SslContext serverContext() throws SSLException {
        try {
            return SslContextBuilder.forServer(certificateFile.toFile(), privateKeyFile.toFile()).build();
        } catch (IllegalArgumentException e) {
            throw new SSLException("TLS certificate " + certificateFile + " and key " + privateKeyFile
                    + " are not a usable pair: " + e.getMessage(), e);
        }
    }

    /** The PEM file with the certificate chain (server certificate first). */
    public Path certificateFile() {
        return certificateFile;
    }

    /** The PEM file with the private key. */
    public Path privateKeyFile() {
        return privateKeyFile;
    }

    /** The server certificate (first of the chain). */
    public X509Certificate certificate() {
        return chain.get(0);
    }

    /** The whole chain as read, server certificate first. */
    public List<X509Certificate> chain() {
        return chain;
    }

    private boolean coversHost(String hostname) {
        try {
            Collection<List<?>> names = certificate().getSubjectAlternativeNames();
            if (names == null) {
                return false;
            }
            for (List<?> name : names) {
                if (name.size() >= 2 && hostname.equalsIgnoreCase(String.valueOf(name.get(1)))) {
                    return true;
                }
            }
            return false;
        } catch (CertificateParsingException e) {
            return false;
        }
    }

    private static List<X509Certificate> readChain(Path file) throws IOException {
        if (!Files.isReadable(file)) {
            throw new IOException("TLS certificate chain not readable: " + file);
        }
        try (InputStream in = Files.newInputStream(file)) {
            List<X509Certificate> chain = new ArrayList<>();
            for (Certificate c : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                chain.add((X509Certificate) c);
            }
            if (chain.isEmpty()) {
                throw new IOException("no certificate in " + file);
            }
            return chain;
        } catch (CertificateException e) {
            throw new IOException("cannot read certificates from " + file + ": " + e.getMessage(), e);
        }
    }

    /** Reads an unencrypted PKCS#8, PKCS#1 (RSA) or SEC1 (EC) PEM private key. */
    private static PrivateKey readPrivateKey(Path file) throws IOException {
        if (!Files.isReadable(file)) {
            throw new IOException("TLS private key not readable: " + file);
        }
        try (PEMParser parser = new PEMParser(Files.newBufferedReader(file, StandardCharsets.US_ASCII))) {
            Object object = parser.readObject();
            JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
            if (object instanceof PrivateKeyInfo info) {
                return converter.getPrivateKey(info);
            }
            if (object instanceof PEMKeyPair pair) {
                return converter.getKeyPair(pair).getPrivate();
            }
            throw new IOException("no unencrypted private key in " + file);
        } catch (RuntimeException e) {
            throw new IOException("cannot read the private key in " + file + ": " + e.getMessage(), e);
        }
    }

    /** Signs a probe with the key and checks it with the certificate's public key. */
    private static void checkKeyFits(X509Certificate certificate, PrivateKey key, Path keyFile) throws IOException {
        String algorithm = switch (key.getAlgorithm()) {
            case "RSA" -> "SHA256withRSA";
            case "EC" -> "SHA256withECDSA";
            case "Ed25519", "EdDSA" -> "Ed25519";
            default -> throw new IOException("unsupported private key type " + key.getAlgorithm() + " in " + keyFile);
        };
        try {
            byte[] probe = "stratus tls key check".getBytes(StandardCharsets.US_ASCII);
            Signature signer = Signature.getInstance(algorithm);
            signer.initSign(key);
            signer.update(probe);
            byte[] signature = signer.sign();
            Signature verifier = Signature.getInstance(algorithm);
            verifier.initVerify(certificate.getPublicKey());
            verifier.update(probe);
            if (!verifier.verify(signature)) {
                throw new IOException("the private key in " + keyFile + " does not belong to the certificate "
                        + certificate.getSubjectX500Principal());
            }
        } catch (GeneralSecurityException e) {
            throw new IOException("the private key in " + keyFile + " does not fit the certificate: "
                    + e.getMessage(), e);
        }
    }

    private static void generate(String hostname, Path certFile, Path keyFile) throws IOException {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"), new SecureRandom());
            KeyPair keys = generator.generateKeyPair();
            Instant now = Instant.now();
            X500Name subject = new X500NameBuilder(BCStyle.INSTANCE)
                    .addRDN(BCStyle.O, "Stratus development")
                    .addRDN(BCStyle.CN, hostname)
                    .build();
            X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(subject,
                    new BigInteger(127, new SecureRandom()).add(BigInteger.ONE),
                    Date.from(now.minus(Duration.ofHours(1))), Date.from(now.plus(Duration.ofDays(SELF_SIGNED_DAYS))),
                    subject, keys.getPublic());
            JcaX509ExtensionUtils utils = new JcaX509ExtensionUtils();
            builder.addExtension(Extension.subjectAlternativeName, false, subjectAlternativeNames(hostname));
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
            builder.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth));
            builder.addExtension(Extension.subjectKeyIdentifier, false,
                    utils.createSubjectKeyIdentifier(keys.getPublic()));
            X509Certificate certificate = new JcaX509CertificateConverter().getCertificate(
                    builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(keys.getPrivate())));
            writeAtomically(keyFile, pem(new JcaPKCS8Generator(keys.getPrivate(), null)), true);
            writeAtomically(certFile, pem(certificate), false);
        } catch (GeneralSecurityException | OperatorCreationException e) {
            throw new IOException("cannot generate a self-signed certificate: " + e.getMessage(), e);
        }
    }

    private static GeneralNames subjectAlternativeNames(String hostname) {
        List<GeneralName> names = new ArrayList<>();
        names.add(new GeneralName(GeneralName.dNSName, hostname));
        if (!hostname.equalsIgnoreCase("localhost")) {
            names.add(new GeneralName(GeneralName.dNSName, "localhost"));
        }
        names.add(new GeneralName(GeneralName.iPAddress, "127.0.0.1"));
        names.add(new GeneralName(GeneralName.iPAddress, "::1"));
        return new GeneralNames(names.toArray(new GeneralName[0]));
    }

    private static String pem(Object object) throws IOException {
        StringWriter out = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
            writer.writeObject(object);
        }
        return out.toString();
    }

    /** Writes a sibling temporary file, then moves it over {@code target}: never a half-written file. */
    private static void writeAtomically(Path target, String content, boolean ownerOnly) throws IOException {
        Path tmp = target.resolveSibling(target.getFileName() + ".tmp");
        Files.deleteIfExists(tmp);
        Files.createFile(tmp);
        if (ownerOnly) {
            try {
                Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
            } catch (UnsupportedOperationException e) {
                LOG.warn("event=tls.key.permissions file={} reason=no-posix-permissions", target);
            }
        }
        Files.writeString(tmp, content, StandardCharsets.US_ASCII);
        try {
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    @Override
    public String toString() {
        return "TlsMaterial[" + certificateFile + ", subject=" + certificate().getSubjectX500Principal() + "]";
    }
}
