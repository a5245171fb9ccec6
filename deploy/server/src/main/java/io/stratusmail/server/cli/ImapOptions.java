package io.stratusmail.server.cli;

import io.stratusmail.imap.ImapConfig;
import java.time.Duration;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/**
 * The IMAP limits shared by {@code serve} and {@code dev} (issue 4 item 5); each defaults to an environment
 * variable {@code STRATUS_IMAP_*} so a container needs no arguments. Durations are {@code 90s}, {@code 30m},
 * {@code 1h} or ISO-8601 ({@code PT0.5S}). Connection counts are per node.
 */
public final class ImapOptions {

    @Option(names = "--imap-max-line-length", paramLabel = "OCTETS",
            defaultValue = "${env:STRATUS_IMAP_MAX_LINE_LENGTH:-" + ImapConfig.DEFAULT_MAX_LINE_LENGTH + "}",
            description = "Longest command line without CRLF, at least 1024; a longer one gets BAD and is skipped "
                    + "(env STRATUS_IMAP_MAX_LINE_LENGTH, default ${DEFAULT-VALUE}).")
    int maxLineLength;

    @Option(names = "--imap-max-connections-per-user", paramLabel = "N",
            defaultValue = "${env:STRATUS_IMAP_MAX_CONNECTIONS_PER_USER:-"
                    + ImapConfig.DEFAULT_MAX_CONNECTIONS_PER_USER + "}",
            description = "Authenticated connections of one user on this node; one more login gets NO [LIMIT] "
                    + "(env STRATUS_IMAP_MAX_CONNECTIONS_PER_USER, default ${DEFAULT-VALUE}).")
    int maxConnectionsPerUser;

    @Option(names = "--imap-max-connections-per-address", paramLabel = "N",
            defaultValue = "${env:STRATUS_IMAP_MAX_CONNECTIONS_PER_ADDRESS:-"
                    + ImapConfig.DEFAULT_MAX_CONNECTIONS_PER_ADDRESS + "}",
            description = "Connections from one client IP address on this node; one more gets * BYE "
                    + "(env STRATUS_IMAP_MAX_CONNECTIONS_PER_ADDRESS, default ${DEFAULT-VALUE}).")
    int maxConnectionsPerAddress;

    @Option(names = "--imap-idle-timeout", paramLabel = "DURATION",
            converter = GcCommand.DurationConverter.class,
            defaultValue = "${env:STRATUS_IMAP_IDLE_TIMEOUT:-30m}",
            description = "Autologout after this long without traffic, also the longest one IDLE command lasts "
                    + "(RFC 3501 section 5.4 asks for at least 30 minutes) (env STRATUS_IMAP_IDLE_TIMEOUT, default "
                    + "${DEFAULT-VALUE}).")
    Duration idleTimeout;

    @Option(names = "--imap-login-failures-before-delay", paramLabel = "N",
            defaultValue = "${env:STRATUS_IMAP_LOGIN_FAILURES_BEFORE_DELAY:-"
                    + ImapConfig.DEFAULT_LOGIN_FAILURES_BEFORE_DELAY + "}",
            description = "Failed logins from one address answered at once; later ones wait, doubling "
                    + "(env STRATUS_IMAP_LOGIN_FAILURES_BEFORE_DELAY, default ${DEFAULT-VALUE}).")
    int loginFailuresBeforeDelay;

    @Option(names = "--imap-login-failure-delay", paramLabel = "DURATION",
            converter = GcCommand.DurationConverter.class,
            defaultValue = "${env:STRATUS_IMAP_LOGIN_FAILURE_DELAY:-1s}",
            description = "The first such wait, 0s to 1m; 0s turns them off "
                    + "(env STRATUS_IMAP_LOGIN_FAILURE_DELAY, default ${DEFAULT-VALUE}).")
    Duration loginFailureDelay;

    /**
     * {@code base} with these options applied (host name, TLS and the rest stay as in {@code base}).
     *
     * @throws CommandLine.ParameterException when a value is out of range
     */
    ImapConfig apply(ImapConfig base, CommandLine commandLine) {
        try {
            return base.withMaxLineLength(maxLineLength)
                    .withMaxConnectionsPerUser(maxConnectionsPerUser)
                    .withMaxConnectionsPerAddress(maxConnectionsPerAddress)
                    .withIdleTimeout(idleTimeout)
                    .withLoginFailureDelay(loginFailuresBeforeDelay, loginFailureDelay);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(commandLine, "IMAP options: " + e.getMessage(), e);
        }
    }
}
