package io.stratusmail.imap;

import io.netty.handler.ssl.SslContext;
import java.time.Duration;
import java.util.Objects;

/**
 * Settings of an {@link ImapServer}. Every limit is checked per connection unless it says per address.
 *
 * @param hostname                 name shown in the greeting ({@code * OK [CAPABILITY ...] hostname ...})
 * @param maxLineLength            longest command line in octets, CRLF excluded (RFC 7162 section 4 recommends
 *                                 at least 8192); longer lines get {@code BAD} and are skipped
 * @param maxLiteralSize           largest literal in octets once logged in, which is also the largest message
 *                                 APPEND accepts (advertised as {@code APPENDLIMIT=n}, RFC 7889); larger ones are
 *                                 refused before being read with {@code [TOOBIG]}. Before login the limit is
 *                                 {@value #MAX_LITERAL_SIZE_BEFORE_LOGIN} octets (or this, when smaller)
 * @param maxCommandSize           largest command in octets, all lines and literals together ({@code BAD [TOOBIG]})
 * @param maxQueuedCommands        pipelined commands held per connection before the server stops reading
 *                                 (back-pressure); at least 1
 * @param idleTimeout              autologout after this long without traffic either way (RFC 3501 section 5.4
 *                                 asks for at least 30 minutes in production); also the longest one IDLE command
 *                                 may last (RFC 2177: clients re-issue IDLE at least every 29 minutes)
 * @param workerThreads            Netty worker event loops shared by all connections; also the number of threads
 *                                 that parse messages for SEARCH
 * @param sslContext               server-side TLS context for STARTTLS (RFC 3501 section 6.2.1) and the implicit
 *                                 TLS listener ({@link ImapServer#startImplicitTls}); null for no TLS
 * @param allowPlaintextAuth       whether LOGIN and AUTHENTICATE PLAIN are allowed on a connection without TLS;
 *                                 when false such a connection announces {@code LOGINDISABLED} and LOGIN gets
 *                                 {@code NO [PRIVACYREQUIRED]}. Must be true when {@code sslContext} is null
 *                                 (e.g. behind a TLS-terminating proxy)
 * @param idlePollInterval         how often a session in IDLE (RFC 2177) re-reads the mailbox to push changes
 * @param maxConnectionsPerAddress connections open at once from one client IP address; more are answered
 *                                 {@code * BYE} and closed; at least 1
 * @param loginFailuresBeforeDelay failed LOGIN/AUTHENTICATE attempts from one client IP address that are answered
 *                                 at once; each further attempt waits {@code loginFailureDelay}, doubling per
 *                                 failure up to {@value #MAX_LOGIN_DELAY_FACTOR} times it; at least 1
 * @param loginFailureDelay        the first delay; zero turns delays off
 * @param maxConnectionsPerUser    authenticated connections one user may have open at once on this node (the
 *                                 count is per node: behind a load balancer a user may have this many on each
 *                                 node); one more LOGIN/AUTHENTICATE with the right credentials gets
 *                                 {@code NO [LIMIT]} (RFC 5530) and the connection stays unauthenticated;
 *                                 at least 1
 */
public record ImapConfig(String hostname, int maxLineLength, int maxLiteralSize, long maxCommandSize,
                         int maxQueuedCommands, Duration idleTimeout, int workerThreads, SslContext sslContext,
                         boolean allowPlaintextAuth, Duration idlePollInterval, int maxConnectionsPerAddress,
                         int loginFailuresBeforeDelay, Duration loginFailureDelay, int maxConnectionsPerUser) {

    public static final int DEFAULT_MAX_LINE_LENGTH = 8 * 1024;
    public static final int DEFAULT_MAX_LITERAL_SIZE = 64 * 1024 * 1024;
    public static final long DEFAULT_MAX_COMMAND_SIZE = DEFAULT_MAX_LITERAL_SIZE + 256L * 1024;
    public static final int DEFAULT_MAX_QUEUED_COMMANDS = 64;
    public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofMinutes(30);
    public static final Duration DEFAULT_IDLE_POLL_INTERVAL = Duration.ofSeconds(10);
    public static final int DEFAULT_MAX_CONNECTIONS_PER_ADDRESS = 100;
    public static final int DEFAULT_LOGIN_FAILURES_BEFORE_DELAY = 3;
    public static final Duration DEFAULT_LOGIN_FAILURE_DELAY = Duration.ofSeconds(1);
    /** Enough for several devices of one user, each with a mail client's usual 5 connections. */
    public static final int DEFAULT_MAX_CONNECTIONS_PER_USER = 20;
    /** The longest login delay is this many times {@link #loginFailureDelay}. */
    public static final int MAX_LOGIN_DELAY_FACTOR = 16;
    /** Literal limit before authentication: enough for any user name or password, cheap for strangers. */
    public static final int MAX_LITERAL_SIZE_BEFORE_LOGIN = 64 * 1024;

    public ImapConfig {
        Objects.requireNonNull(hostname, "hostname");
        Objects.requireNonNull(idleTimeout, "idleTimeout");
        Objects.requireNonNull(idlePollInterval, "idlePollInterval");
        Objects.requireNonNull(loginFailureDelay, "loginFailureDelay");
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
        if (sslContext != null && !sslContext.isServer()) {
            throw new IllegalArgumentException("sslContext must be a server context");
        }
        if (sslContext == null && !allowPlaintextAuth) {
            throw new IllegalArgumentException("without TLS, plaintext authentication must be allowed");
        }
        if (idlePollInterval.toMillis() < 1) {
            throw new IllegalArgumentException("idlePollInterval must be at least 1 ms");
        }
        if (maxConnectionsPerAddress < 1 || loginFailuresBeforeDelay < 1 || maxConnectionsPerUser < 1) {
            throw new IllegalArgumentException(
                    "maxConnectionsPerAddress, maxConnectionsPerUser and loginFailuresBeforeDelay must be positive");
        }
        if (loginFailureDelay.isNegative() || loginFailureDelay.compareTo(Duration.ofMinutes(1)) > 0) {
            throw new IllegalArgumentException("loginFailureDelay must be 0 to 1 minute");
        }
    }

    /** The literal limit that applies before login. */
    public int maxLiteralSizeBeforeLogin() {
        return Math.min(maxLiteralSize, MAX_LITERAL_SIZE_BEFORE_LOGIN);
    }

    /** Whether STARTTLS and the implicit TLS listener are available. */
    public boolean tlsEnabled() {
        return sslContext != null;
    }

    /**
     * The defaults: 8 KiB lines, 64 MiB literals, 64 queued commands, 30 minutes idle, 2 worker threads, no TLS
     * (so plaintext authentication is allowed), IDLE polls every 10 s, 100 connections per address, 20 per user,
     * login delays after 3 failures starting at 1 s.
     */
    public static ImapConfig defaults(String hostname) {
        return new ImapConfig(hostname, DEFAULT_MAX_LINE_LENGTH, DEFAULT_MAX_LITERAL_SIZE, DEFAULT_MAX_COMMAND_SIZE,
                DEFAULT_MAX_QUEUED_COMMANDS, DEFAULT_IDLE_TIMEOUT, 2, null, true, DEFAULT_IDLE_POLL_INTERVAL,
                DEFAULT_MAX_CONNECTIONS_PER_ADDRESS, DEFAULT_LOGIN_FAILURES_BEFORE_DELAY,
                DEFAULT_LOGIN_FAILURE_DELAY, DEFAULT_MAX_CONNECTIONS_PER_USER);
    }

    public ImapConfig withMaxLiteralSize(int bytes) {
        return new ImapConfig(hostname, maxLineLength, bytes, Math.max(maxCommandSize, bytes + 256L * 1024),
                maxQueuedCommands, idleTimeout, workerThreads, sslContext, allowPlaintextAuth, idlePollInterval,
                maxConnectionsPerAddress, loginFailuresBeforeDelay, loginFailureDelay, maxConnectionsPerUser);
    }

    public ImapConfig withMaxLineLength(int bytes) {
        return new ImapConfig(hostname, bytes, maxLiteralSize, Math.max(maxCommandSize, bytes), maxQueuedCommands,
                idleTimeout, workerThreads, sslContext, allowPlaintextAuth, idlePollInterval,
                maxConnectionsPerAddress, loginFailuresBeforeDelay, loginFailureDelay, maxConnectionsPerUser);
    }

    public ImapConfig withIdleTimeout(Duration timeout) {
        return new ImapConfig(hostname, maxLineLength, maxLiteralSize, maxCommandSize, maxQueuedCommands, timeout,
                workerThreads, sslContext, allowPlaintextAuth, idlePollInterval, maxConnectionsPerAddress,
                loginFailuresBeforeDelay, loginFailureDelay, maxConnectionsPerUser);
    }

    /**
     * With TLS: STARTTLS on the plain listener and an implicit TLS listener can be started.
     *
     * @param context            a server context (e.g. from {@code SslContextBuilder.forServer(cert, key)})
     * @param allowPlaintextAuth whether LOGIN/AUTHENTICATE may still be used before STARTTLS
     */
    public ImapConfig withTls(SslContext context, boolean allowPlaintextAuth) {
        Objects.requireNonNull(context, "context");
        return new ImapConfig(hostname, maxLineLength, maxLiteralSize, maxCommandSize, maxQueuedCommands,
                idleTimeout, workerThreads, context, allowPlaintextAuth, idlePollInterval, maxConnectionsPerAddress,
                loginFailuresBeforeDelay, loginFailureDelay, maxConnectionsPerUser);
    }

    public ImapConfig withWorkerThreads(int threads) {
        return new ImapConfig(hostname, maxLineLength, maxLiteralSize, maxCommandSize, maxQueuedCommands,
                idleTimeout, threads, sslContext, allowPlaintextAuth, idlePollInterval, maxConnectionsPerAddress,
                loginFailuresBeforeDelay, loginFailureDelay, maxConnectionsPerUser);
    }

    public ImapConfig withIdlePollInterval(Duration interval) {
        return new ImapConfig(hostname, maxLineLength, maxLiteralSize, maxCommandSize, maxQueuedCommands,
                idleTimeout, workerThreads, sslContext, allowPlaintextAuth, interval, maxConnectionsPerAddress,
                loginFailuresBeforeDelay, loginFailureDelay, maxConnectionsPerUser);
    }

    public ImapConfig withMaxConnectionsPerAddress(int connections) {
        return new ImapConfig(hostname, maxLineLength, maxLiteralSize, maxCommandSize, maxQueuedCommands,
                idleTimeout, workerThreads, sslContext, allowPlaintextAuth, idlePollInterval, connections,
                loginFailuresBeforeDelay, loginFailureDelay, maxConnectionsPerUser);
    }

    /** At most {@code connections} authenticated connections per user on this node. */
    public ImapConfig withMaxConnectionsPerUser(int connections) {
        return new ImapConfig(hostname, maxLineLength, maxLiteralSize, maxCommandSize, maxQueuedCommands,
                idleTimeout, workerThreads, sslContext, allowPlaintextAuth, idlePollInterval,
                maxConnectionsPerAddress, loginFailuresBeforeDelay, loginFailureDelay, connections);
    }

    /** Login delays start after {@code failures} failed attempts from one address, at {@code delay}. */
    public ImapConfig withLoginFailureDelay(int failures, Duration delay) {
        return new ImapConfig(hostname, maxLineLength, maxLiteralSize, maxCommandSize, maxQueuedCommands,
                idleTimeout, workerThreads, sslContext, allowPlaintextAuth, idlePollInterval,
                maxConnectionsPerAddress, failures, delay, maxConnectionsPerUser);
    }
}
