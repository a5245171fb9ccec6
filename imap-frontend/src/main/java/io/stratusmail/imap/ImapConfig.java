package io.stratusmail.imap;

import java.time.Duration;
import java.util.Objects;

/**
 * Settings of an {@link ImapServer}. Every limit is checked per connection.
 *
 * @param hostname          name shown in the greeting ({@code * OK [CAPABILITY ...] hostname ...})
 * @param maxLineLength     longest command line in octets, CRLF excluded (RFC 7162 section 4 recommends
 *                          at least 8192); longer lines get {@code BAD} and are skipped
 * @param maxLiteralSize    largest literal in octets once logged in; larger ones are refused before being
 *                          read with {@code tag BAD [TOOBIG]} (RFC 7889). Before login the limit is
 *                          {@value #MAX_LITERAL_SIZE_BEFORE_LOGIN} octets (or this, when smaller)
 * @param maxCommandSize    largest command in octets, all lines and literals together ({@code BAD [TOOBIG]})
 * @param maxQueuedCommands pipelined commands held per connection before the server stops reading
 *                          (back-pressure); at least 1
 * @param idleTimeout       autologout after this long without traffic either way (RFC 3501 section 5.4 asks
 *                          for at least 30 minutes in production)
 * @param workerThreads     Netty worker event loops shared by all connections
 */
public record ImapConfig(String hostname, int maxLineLength, int maxLiteralSize, long maxCommandSize,
                         int maxQueuedCommands, Duration idleTimeout, int workerThreads) {

    public static final int DEFAULT_MAX_LINE_LENGTH = 8 * 1024;
    public static final int DEFAULT_MAX_LITERAL_SIZE = 64 * 1024 * 1024;
    public static final long DEFAULT_MAX_COMMAND_SIZE = DEFAULT_MAX_LITERAL_SIZE + 256L * 1024;
    public static final int DEFAULT_MAX_QUEUED_COMMANDS = 64;
    public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofMinutes(30);
    /** Literal limit before authentication: enough for any user name or password, cheap for strangers. */
    public static final int MAX_LITERAL_SIZE_BEFORE_LOGIN = 64 * 1024;

    public ImapConfig {
        Objects.requireNonNull(hostname, "hostname");
        Objects.requireNonNull(idleTimeout, "idleTimeout");
        if (hostname.isBlank() || !hostname.chars().allMatch(c -> c > ' ' && c < 0x7f)) {
            throw new IllegalArgumentException("hostname must be printable ASCII without spaces");
        }
        if (maxLineLength < 1024) {
            throw new IllegalArgumentException("maxLineLength must be at least 1024 octets");
        }
        if (maxLiteralSize < 0 || maxLiteralSize > Integer.MAX_VALUE - 16) {
            throw new IllegalArgumentException("maxLiteralSize out of range");
        }
        if (maxCommandSize < maxLineLength) {
            throw new IllegalArgumentException("maxCommandSize must be at least maxLineLength");
        }
        if (maxQueuedCommands < 1 || workerThreads < 1) {
            throw new IllegalArgumentException("maxQueuedCommands and workerThreads must be positive");
        }
        if (idleTimeout.isNegative() || idleTimeout.isZero()) {
            throw new IllegalArgumentException("idleTimeout must be positive");
        }
    }

    /** The literal limit that applies before login. */
    public int maxLiteralSizeBeforeLogin() {
        return Math.min(maxLiteralSize, MAX_LITERAL_SIZE_BEFORE_LOGIN);
    }

    /** The defaults: 8 KiB lines, 64 MiB literals, 64 queued commands, 30 minutes idle, 2 worker threads. */
    public static ImapConfig defaults(String hostname) {
        return new ImapConfig(hostname, DEFAULT_MAX_LINE_LENGTH, DEFAULT_MAX_LITERAL_SIZE, DEFAULT_MAX_COMMAND_SIZE,
                DEFAULT_MAX_QUEUED_COMMANDS, DEFAULT_IDLE_TIMEOUT, 2);
    }

    public ImapConfig withMaxLiteralSize(int bytes) {
        return new ImapConfig(hostname, maxLineLength, bytes, Math.max(maxCommandSize, bytes + 256L * 1024),
                maxQueuedCommands, idleTimeout, workerThreads);
    }

    public ImapConfig withMaxLineLength(int bytes) {
        return new ImapConfig(hostname, bytes, maxLiteralSize, Math.max(maxCommandSize, bytes), maxQueuedCommands,
                idleTimeout, workerThreads);
    }

    public ImapConfig withIdleTimeout(Duration timeout) {
        return new ImapConfig(hostname, maxLineLength, maxLiteralSize, maxCommandSize, maxQueuedCommands, timeout,
                workerThreads);
    }
}
