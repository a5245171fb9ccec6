package io.stratusmail.server.cli;

import io.stratusmail.lmtp.LmtpConfig;
import java.time.Duration;
import java.util.Locale;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/**
 * The LMTP limits and policies shared by {@code serve} and {@code dev} (issue 5 item 5); each defaults to an
 * environment variable {@code STRATUS_LMTP_*} so a container (the Helm chart) needs no arguments. Durations are
 * {@code 90s}, {@code 5m}, {@code 1h}, {@code 2d} or ISO-8601 ({@code PT0.5S}); sizes take a K, M or G suffix.
 */
public final class LmtpOptions {

    @Option(names = "--lmtp-max-message-size", paramLabel = "SIZE",
            defaultValue = "${env:STRATUS_LMTP_MAX_MESSAGE_SIZE:-64M}",
            description = "Largest message accepted, announced as SIZE (RFC 1870); larger ones get 552 5.3.4 "
                    + "(env STRATUS_LMTP_MAX_MESSAGE_SIZE, default ${DEFAULT-VALUE}).")
    String maxMessageSize;

    @Option(names = "--lmtp-max-recipients", paramLabel = "N",
            defaultValue = "${env:STRATUS_LMTP_MAX_RECIPIENTS:-100}",
            description = "Recipients per transaction; further RCPTs get 452 4.5.3 "
                    + "(env STRATUS_LMTP_MAX_RECIPIENTS, default ${DEFAULT-VALUE}).")
    int maxRecipients;

    @Option(names = "--lmtp-max-connections", paramLabel = "N",
            defaultValue = "${env:STRATUS_LMTP_MAX_CONNECTIONS:-500}",
            description = "Connections open at once; further ones get 421 4.3.2 "
                    + "(env STRATUS_LMTP_MAX_CONNECTIONS, default ${DEFAULT-VALUE}).")
    int maxConnections;

    @Option(names = "--lmtp-max-command-line", paramLabel = "OCTETS",
            defaultValue = "${env:STRATUS_LMTP_MAX_COMMAND_LINE:-1000}",
            description = "Longest command line, CRLF included, at least 512; longer ones get 500 5.5.2 "
                    + "(env STRATUS_LMTP_MAX_COMMAND_LINE, default ${DEFAULT-VALUE}).")
    int maxCommandLine;

    @Option(names = "--lmtp-max-data-line", paramLabel = "OCTETS",
            defaultValue = "${env:STRATUS_LMTP_MAX_DATA_LINE:-65536}",
            description = "Longest line of message data, CRLF included, at least 1000; a longer one gets "
                    + "554 5.6.0 (env STRATUS_LMTP_MAX_DATA_LINE, default ${DEFAULT-VALUE}).")
    int maxDataLine;

    @Option(names = "--lmtp-command-timeout", paramLabel = "DURATION",
            converter = GcCommand.DurationConverter.class,
            defaultValue = "${env:STRATUS_LMTP_COMMAND_TIMEOUT:-5m}",
            description = "Wait for the next command before 421 4.4.2 "
                    + "(env STRATUS_LMTP_COMMAND_TIMEOUT, default ${DEFAULT-VALUE}).")
    Duration commandTimeout;

    @Option(names = "--lmtp-data-timeout", paramLabel = "DURATION",
            converter = GcCommand.DurationConverter.class,
            defaultValue = "${env:STRATUS_LMTP_DATA_TIMEOUT:-5m}",
            description = "Wait for more message data before 421 4.4.2 "
                    + "(env STRATUS_LMTP_DATA_TIMEOUT, default ${DEFAULT-VALUE}).")
    Duration dataTimeout;

    @Option(names = "--lmtp-store-timeout", paramLabel = "DURATION",
            converter = GcCommand.DurationConverter.class,
            defaultValue = "${env:STRATUS_LMTP_STORE_TIMEOUT:-1m}",
            description = "Wait for the store at RCPT and per recipient after DATA before 451 4.3.0 "
                    + "(env STRATUS_LMTP_STORE_TIMEOUT, default ${DEFAULT-VALUE}).")
    Duration storeTimeout;

    @Option(names = "--lmtp-line-endings", paramLabel = "lenient|strict",
            defaultValue = "${env:STRATUS_LMTP_LINE_ENDINGS:-lenient}",
            description = "lenient: a bare LF ends a command line and is kept in data; strict: bare CR/LF get "
                    + "500 5.5.2 / 554 5.6.0 (env STRATUS_LMTP_LINE_ENDINGS, default ${DEFAULT-VALUE}).")
    String lineEndings;

    @Option(names = "--lmtp-duplicate-window", paramLabel = "DURATION",
            converter = GcCommand.DurationConverter.class,
            defaultValue = "${env:STRATUS_LMTP_DUPLICATE_WINDOW:-24h}",
            description = "How long a delivered message is remembered per recipient so an MTA's retry is not "
                    + "stored twice; 0 disables (env STRATUS_LMTP_DUPLICATE_WINDOW, default ${DEFAULT-VALUE}).")
    Duration duplicateWindow;

    @Option(names = "--lmtp-subaddress-separator", paramLabel = "SEPARATOR",
            defaultValue = "${env:STRATUS_LMTP_SUBADDRESS_SEPARATOR:-+}",
            description = "Separator of user+detail addresses (RFC 5233); 'none' disables subaddressing "
                    + "(env STRATUS_LMTP_SUBADDRESS_SEPARATOR, default ${DEFAULT-VALUE}).")
    String subaddressSeparator;

    /**
     * {@code base} with these options applied (host name, TLS and the over-quota reply stay as in {@code base}).
     *
     * @throws CommandLine.ParameterException when a value is out of range
     */
    LmtpConfig apply(LmtpConfig base, CommandLine commandLine) {
        try {
            long size = QuotaArguments.octets(maxMessageSize);
            if (size < 1 || size > LmtpConfig.MAX_MESSAGE_SIZE_LIMIT) {
                throw new IllegalArgumentException("--lmtp-max-message-size must be 1 to "
                        + LmtpConfig.MAX_MESSAGE_SIZE_LIMIT + " octets: " + maxMessageSize);
            }
            LmtpConfig.LineEndings endings = switch (lineEndings.trim().toLowerCase(Locale.ROOT)) {
                case "lenient" -> LmtpConfig.LineEndings.LENIENT;
                case "strict" -> LmtpConfig.LineEndings.STRICT;
                default -> throw new IllegalArgumentException(
                        "--lmtp-line-endings: expected lenient or strict, not '" + lineEndings + "'");
            };
            String separator = subaddressSeparator.trim();
            return base.withLimits((int) size, maxCommandLine, maxDataLine, maxRecipients, maxConnections)
                    .withTimeouts(commandTimeout, dataTimeout, storeTimeout)
                    .withLineEndings(endings)
                    .withDuplicateWindow(duplicateWindow)
                    .withDetailSeparator(separator.equalsIgnoreCase("none") ? "" : separator);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(commandLine, e.getMessage(), e);
        }
    }
}
