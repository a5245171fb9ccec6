package io.stratusmail.lmtp;

import io.netty.handler.ssl.SslContext;
import io.stratusmail.lmtp.protocol.MailAddress;
import io.stratusmail.mailbox.message.DeliveryLog;
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
 * @param idleTimeout          the command timeout: a connection silent this long while the server awaits a
 *                             command gets {@code 421 4.4.2} and is closed (RFC 5321 section 4.5.3.2.7: at least
 *                             5 minutes); time the server spends on the store does not count
 * @param lineEndings          what a CR or LF outside a CRLF does (RFC 5321 section 2.3.8)
 * @param tls                  a server-side TLS context to offer {@code STARTTLS} with (RFC 3207), or
 *                             {@code null} for none
 * @param overQuotaAtRcpt      the reply to a RCPT whose account is already full (RFC 9208 quota, RFC 3463
 *                             X.2.2): temporary by default
 * @param detailSeparator      the subaddress separator (RFC 5233): mail for {@code user+detail@domain} that is
 *                             no address of its own goes to {@code user@domain}, into its mailbox named by the
 *                             detail when there is one; {@code +} by default, empty disables subaddressing; at
 *                             most {@value #MAX_DETAIL_SEPARATOR_LENGTH} characters, none of them white space,
 *                             a control character, {@code @} or {@code "}
 * @param duplicateWindow      how long a delivered message is remembered per recipient, so that the same
 *                             message sent again (an MTA retrying after a lost {@code 250}) is answered
 *                             {@code 250} but not stored twice; 24 hours by default, zero disables, at most
 *                             {@link DeliveryLog#MAX_WINDOW}
 * @param maxConnections       most connections open at once on one server; a further one gets
 *                             {@code 421 4.3.2} and is closed at once (the MTA retries later); at least 1
 * @param dataTimeout          a client silent this long while sending message data (after {@code 354}, or
 *                             inside a BDAT chunk) gets {@code 421 4.4.2}, the transaction is dropped and the
 *                             connection closed (RFC 5321 section 4.5.3.2.5 gives the client 3 minutes per
 *                             data block; 5 by default); {@link #idleTimeout} is the timeout between commands
 * @param storeTimeout         longest wait for the store: a recipient look-up (RCPT) not answered in time gets
 *                             {@code 451 4.3.0}; after DATA or BDAT LAST, every recipient whose delivery has not
 *                             committed within this time of the end of data gets {@code 451 4.3.0} (the MTA
 *                             retries) and no later delivery of the transaction is started; 1 minute by default
 */
public record LmtpConfig(String hostname, int maxMessageSize, int maxCommandLineLength, int maxDataLineLength,
                         int maxRecipients, Duration idleTimeout, LineEndings lineEndings, SslContext tls,
                         OverQuotaReply overQuotaAtRcpt, String detailSeparator, Duration duplicateWindow,
                         int maxConnections, Duration dataTimeout, Duration storeTimeout) {

    /**
     * How a RCPT for an account over its quota is refused. A delivery that does not fit at commit (after DATA)
     * is always refused permanently for that recipient, {@code 552 5.2.2}.
     */
    public enum OverQuotaReply {
        /**
         * {@code 452 4.2.2 Mailbox full}: the MTA keeps the message queued and retries, so mail arrives once the
         * user makes room, and the sender gets a bounce only when the MTA's queue lifetime (days) runs out. The
         * default: a full mailbox is usually a passing state, and nothing is lost while it lasts.
         */
        TEMPORARY,
        /**
         * {@code 552 5.2.2 Mailbox full}: the MTA bounces at once; the sender learns immediately, the message
         * does not wait in the MTA's queue.
         */
        PERMANENT
    }

    /** Treatment of a CR or LF that is not part of a CRLF (RFC 5321 section 2.3.8). */
    public enum LineEndings {
        /**
         * As real MTAs send: a bare LF ends a command line; in DATA a bare CR or LF is an ordinary octet,
         * stored unchanged (never the end of data).
         */
        LENIENT,
        /**
         * Only CRLF: a command line ended by a bare LF gets {@code 500 5.5.2}; DATA holding a bare CR or LF
         * is read to its end and refused for every recipient with {@code 554 5.6.0}. BDAT chunks are exact
         * octet counts with no end marker to confuse and are not checked.
         */
        STRICT
    }

    /** Upper bound of {@link #maxMessageSize}: a message plus its trace fields must fit a Java array. */
    public static final int MAX_MESSAGE_SIZE_LIMIT = Integer.MAX_VALUE - 1024 * 1024;

    /** Longest {@link #detailSeparator}, in characters. */
    public static final int MAX_DETAIL_SEPARATOR_LENGTH = 4;

    /** The default {@link #detailSeparator}. */
    public static final String DEFAULT_DETAIL_SEPARATOR = "+";

    /** The default {@link #duplicateWindow}. */
    public static final Duration DEFAULT_DUPLICATE_WINDOW = Duration.ofHours(24);

    /** The default {@link #maxConnections}. */
    public static final int DEFAULT_MAX_CONNECTIONS = 500;

    /** The default {@link #idleTimeout} (RFC 5321 section 4.5.3.2.7: at least 5 minutes). */
    public static final Duration DEFAULT_COMMAND_TIMEOUT = Duration.ofMinutes(5);

    /** The default {@link #dataTimeout}. */
    public static final Duration DEFAULT_DATA_TIMEOUT = Duration.ofMinutes(5);

    /** The default {@link #storeTimeout}. */
    public static final Duration DEFAULT_STORE_TIMEOUT = Duration.ofMinutes(1);

    /** Settings with the default connection limit and data and store timeouts. */
    public LmtpConfig(String hostname, int maxMessageSize, int maxCommandLineLength, int maxDataLineLength,
                      int maxRecipients, Duration idleTimeout, LineEndings lineEndings, SslContext tls,
                      OverQuotaReply overQuotaAtRcpt, String detailSeparator, Duration duplicateWindow) {
        this(hostname, maxMessageSize, maxCommandLineLength, maxDataLineLength, maxRecipients, idleTimeout,
                lineEndings, tls, overQuotaAtRcpt, detailSeparator, duplicateWindow, DEFAULT_MAX_CONNECTIONS,
                DEFAULT_DATA_TIMEOUT, DEFAULT_STORE_TIMEOUT);
    }

    /** Settings with the default subaddress separator and duplicate window. */
    public LmtpConfig(String hostname, int maxMessageSize, int maxCommandLineLength, int maxDataLineLength,
                      int maxRecipients, Duration idleTimeout, LineEndings lineEndings, SslContext tls,
                      OverQuotaReply overQuotaAtRcpt) {
        this(hostname, maxMessageSize, maxCommandLineLength, maxDataLineLength, maxRecipients, idleTimeout,
                lineEndings, tls, overQuotaAtRcpt, DEFAULT_DETAIL_SEPARATOR, DEFAULT_DUPLICATE_WINDOW);
    }

    /** Settings with {@link LineEndings#LENIENT} line endings and no STARTTLS. */
    public LmtpConfig(String hostname, int maxMessageSize, int maxCommandLineLength, int maxDataLineLength,
                      int maxRecipients, Duration idleTimeout) {
        this(hostname, maxMessageSize, maxCommandLineLength, maxDataLineLength, maxRecipients, idleTimeout,
                LineEndings.LENIENT, null, OverQuotaReply.TEMPORARY);
    }

    /** Settings with a temporary over-quota reply at RCPT. */
    public LmtpConfig(String hostname, int maxMessageSize, int maxCommandLineLength, int maxDataLineLength,
                      int maxRecipients, Duration idleTimeout, LineEndings lineEndings, SslContext tls) {
        this(hostname, maxMessageSize, maxCommandLineLength, maxDataLineLength, maxRecipients, idleTimeout,
                lineEndings, tls, OverQuotaReply.TEMPORARY);
    }

    public LmtpConfig {
        Objects.requireNonNull(hostname, "hostname");
        Objects.requireNonNull(idleTimeout, "idleTimeout");
        Objects.requireNonNull(lineEndings, "lineEndings");
        Objects.requireNonNull(overQuotaAtRcpt, "overQuotaAtRcpt");
        Objects.requireNonNull(detailSeparator, "detailSeparator");
        Objects.requireNonNull(duplicateWindow, "duplicateWindow");
        Objects.requireNonNull(dataTimeout, "dataTimeout");
        Objects.requireNonNull(storeTimeout, "storeTimeout");
        if (detailSeparator.length() > MAX_DETAIL_SEPARATOR_LENGTH || detailSeparator.chars()
                .anyMatch(c -> c <= ' ' || c == 0x7f || c == '@' || c == '"')) {
            throw new IllegalArgumentException("detailSeparator must be at most " + MAX_DETAIL_SEPARATOR_LENGTH
                    + " characters without white space, controls, '@' or '\"': " + detailSeparator);
        }
        if (duplicateWindow.isNegative() || duplicateWindow.compareTo(DeliveryLog.MAX_WINDOW) > 0) {
            throw new IllegalArgumentException("duplicateWindow must be 0 to " + DeliveryLog.MAX_WINDOW + ": "
                    + duplicateWindow);
        }
        if (tls != null && tls.isClient()) {
            throw new IllegalArgumentException("tls must be a server context");
        }
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
        if (dataTimeout.isNegative() || dataTimeout.isZero()) {
            throw new IllegalArgumentException("dataTimeout must be positive");
        }
        if (storeTimeout.isNegative() || storeTimeout.isZero()) {
            throw new IllegalArgumentException("storeTimeout must be positive");
        }
        if (maxConnections < 1) {
            throw new IllegalArgumentException("maxConnections must be positive");
        }
    }

    /** These settings with other line endings. */
    public LmtpConfig withLineEndings(LineEndings lineEndings) {
        return new LmtpConfig(hostname, maxMessageSize, maxCommandLineLength, maxDataLineLength, maxRecipients,
                idleTimeout, lineEndings, tls, overQuotaAtRcpt, detailSeparator, duplicateWindow, maxConnections,
                dataTimeout, storeTimeout);
    }

    /** These settings offering STARTTLS with {@code tls} (a server context), or none when null. */
    public LmtpConfig withTls(SslContext tls) {
        return new LmtpConfig(hostname, maxMessageSize, maxCommandLineLength, maxDataLineLength, maxRecipients,
                idleTimeout, lineEndings, tls, overQuotaAtRcpt, detailSeparator, duplicateWindow, maxConnections,
                dataTimeout, storeTimeout);
    }

    /** These settings with another reply to a RCPT for an account over its quota. */
    public LmtpConfig withOverQuotaAtRcpt(OverQuotaReply overQuotaAtRcpt) {
        return new LmtpConfig(hostname, maxMessageSize, maxCommandLineLength, maxDataLineLength, maxRecipients,
                idleTimeout, lineEndings, tls, overQuotaAtRcpt, detailSeparator, duplicateWindow, maxConnections,
                dataTimeout, storeTimeout);
    }

    /** These settings with another subaddress separator (RFC 5233); empty disables subaddressing. */
    public LmtpConfig withDetailSeparator(String detailSeparator) {
        return new LmtpConfig(hostname, maxMessageSize, maxCommandLineLength, maxDataLineLength, maxRecipients,
                idleTimeout, lineEndings, tls, overQuotaAtRcpt, detailSeparator, duplicateWindow, maxConnections,
                dataTimeout, storeTimeout);
    }

    /** These settings with another duplicate window; zero disables deduplication of retried deliveries. */
    public LmtpConfig withDuplicateWindow(Duration duplicateWindow) {
        return new LmtpConfig(hostname, maxMessageSize, maxCommandLineLength, maxDataLineLength, maxRecipients,
                idleTimeout, lineEndings, tls, overQuotaAtRcpt, detailSeparator, duplicateWindow, maxConnections,
                dataTimeout, storeTimeout);
    }

    /** These settings with another host name (greeting, LHLO reply, {@code Received} field). */
    public LmtpConfig withHostname(String hostname) {
        return new LmtpConfig(hostname, maxMessageSize, maxCommandLineLength, maxDataLineLength, maxRecipients,
                idleTimeout, lineEndings, tls, overQuotaAtRcpt, detailSeparator, duplicateWindow, maxConnections,
                dataTimeout, storeTimeout);
    }

    /**
     * These settings with other size limits.
     *
     * @param maxMessageSize       see {@link #maxMessageSize()}, octets
     * @param maxCommandLineLength see {@link #maxCommandLineLength()}, octets
     * @param maxDataLineLength    see {@link #maxDataLineLength()}, octets
     * @param maxRecipients        see {@link #maxRecipients()}
     * @param maxConnections       see {@link #maxConnections()}
     */
    public LmtpConfig withLimits(int maxMessageSize, int maxCommandLineLength, int maxDataLineLength,
                                 int maxRecipients, int maxConnections) {
        return new LmtpConfig(hostname, maxMessageSize, maxCommandLineLength, maxDataLineLength, maxRecipients,
                idleTimeout, lineEndings, tls, overQuotaAtRcpt, detailSeparator, duplicateWindow, maxConnections,
                dataTimeout, storeTimeout);
    }

    /**
     * These settings with other timeouts.
     *
     * @param commandTimeout see {@link #idleTimeout()}: the wait for the next command
     * @param dataTimeout    see {@link #dataTimeout()}: the wait for more message data
     * @param storeTimeout   see {@link #storeTimeout()}: the wait for the store
     */
    public LmtpConfig withTimeouts(Duration commandTimeout, Duration dataTimeout, Duration storeTimeout) {
        return new LmtpConfig(hostname, maxMessageSize, maxCommandLineLength, maxDataLineLength, maxRecipients,
                commandTimeout, lineEndings, tls, overQuotaAtRcpt, detailSeparator, duplicateWindow, maxConnections,
                dataTimeout, storeTimeout);
    }

    /**
     * Defaults: 64 MiB messages, 1000-octet command lines, 64 KiB data lines, 100 recipients, 500 connections,
     * 5 minutes command and data timeouts, 1 minute store timeout, lenient line endings, no STARTTLS, temporary
     * over-quota reply at RCPT, subaddresses with {@code +}, duplicates remembered for 24 hours.
     */
    public static LmtpConfig defaults(String hostname) {
        return new LmtpConfig(hostname, (int) MessageStore.DEFAULT_MAX_MESSAGE_SIZE, 1000, 64 * 1024, 100,
                DEFAULT_COMMAND_TIMEOUT);
    }
}
