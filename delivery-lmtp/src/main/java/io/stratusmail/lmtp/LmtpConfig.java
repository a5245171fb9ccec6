package io.stratusmail.lmtp;

import io.stratusmail.lmtp.protocol.MailAddress;
import io.stratusmail.mailbox.message.MessageStore;
import java.time.Duration;
import java.util.Objects;

/**
 * Settings of the LMTP service.
 *
 * @param hostname             this server's name, in the greeting, the LHLO reply and the {@code Received}
 *                             field; a domain or address literal
 * @param maxMessageSize       largest message accepted, in octets as received (before the trace fields);
 *                             announced as {@code SIZE} (RFC 1870); 1 to 2 GiB - 1 MiB
 * @param maxCommandLineLength longest command line, in octets including CRLF; at least 512 (RFC 5321
 *                             section 4.5.3.1.4), 1000 is usual
 * @param maxDataLineLength    longest line of message data, in octets including CRLF; RFC 5321 section
 *                             4.5.3.1.6 says 1000, real mail has longer lines, so be lenient; at least 1000
 * @param maxRecipients        most recipients per transaction (RFC 5321 section 4.5.3.1.8 asks for at
 *                             least 100); further RCPTs get {@code 452 4.5.3}
 * @param idleTimeout          a connection silent this long gets {@code 421 4.4.2} and is closed (RFC 5321
 *                             section 4.5.3.2.7 suggests 5 minutes)
 */
public record LmtpConfig(String hostname, int maxMessageSize, int maxCommandLineLength, int maxDataLineLength,
                         int maxRecipients, Duration idleTimeout) {

    /** Upper bound of {@link #maxMessageSize}: a message plus its trace fields must fit a Java array. */
    public static final int MAX_MESSAGE_SIZE_LIMIT = Integer.MAX_VALUE - 1024 * 1024;

    public LmtpConfig {
        Objects.requireNonNull(hostname, "hostname");
        Objects.requireNonNull(idleTimeout, "idleTimeout");
        if (!MailAddress.isDomain(hostname) && !MailAddress.isAddressLiteral(hostname)) {
            throw new IllegalArgumentException("hostname must be a domain or an address literal: " + hostname);
        }
        if (maxMessageSize < 1 || maxMessageSize > MAX_MESSAGE_SIZE_LIMIT) {
            throw new IllegalArgumentException("maxMessageSize out of range: " + maxMessageSize);
        }
        if (maxCommandLineLength < 512) {
            throw new IllegalArgumentException("maxCommandLineLength must be at least 512");
        }
        if (maxDataLineLength < 1000) {
            throw new IllegalArgumentException("maxDataLineLength must be at least 1000");
        }
        if (maxRecipients < 1) {
            throw new IllegalArgumentException("maxRecipients must be positive");
        }
        if (idleTimeout.isNegative() || idleTimeout.isZero()) {
            throw new IllegalArgumentException("idleTimeout must be positive");
        }
    }

    /**
     * Defaults: 64 MiB messages, 1000-octet command lines, 64 KiB data lines, 100 recipients, 5 minutes
     * idle timeout.
     */
    public static LmtpConfig defaults(String hostname) {
        return new LmtpConfig(hostname, (int) MessageStore.DEFAULT_MAX_MESSAGE_SIZE, 1000, 64 * 1024, 100,
                Duration.ofMinutes(5));
    }
}
