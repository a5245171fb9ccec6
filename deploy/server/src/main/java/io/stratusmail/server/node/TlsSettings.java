package io.stratusmail.server.node;

import io.stratusmail.server.tls.TlsMaterial;

/**
 * TLS of a node's protocol services: STARTTLS on the IMAP and LMTP ports (RFC 3501 section 6.2.1, RFC 3207)
 * and an implicit-TLS IMAP listener (RFC 8314 section 3.3, port 993 in production).
 *
 * @param material           certificate chain and key; null for a node without TLS
 * @param imapsHost          listen address of the implicit-TLS IMAP port
 * @param imapsPort          implicit-TLS IMAP port (0 picks a free one); ignored without material
 * @param allowPlaintextAuth whether LOGIN and AUTHENTICATE PLAIN are allowed before TLS (true without material:
 *                           there is no TLS to require)
 */
public record TlsSettings(TlsMaterial material, String imapsHost, int imapsPort, boolean allowPlaintextAuth) {

    /** No TLS at all: plaintext authentication (trusted networks, tests, a TLS-terminating proxy in front). */
    public static final TlsSettings NONE = new TlsSettings(null, null, 0, true);

    public TlsSettings {
        if (material == null && !allowPlaintextAuth) {
            throw new IllegalArgumentException("plaintext authentication can only be refused when TLS is configured");
        }
    }

    public boolean enabled() {
        return material != null;
    }
}
