package io.stratusmail.lmtp.protocol;

import java.util.Optional;
import java.util.OptionalLong;

/**
 * A parsed LMTP command (RFC 2033 section 4, RFC 5321 section 4.1.1). Each record is one command; a
 * line that is not a valid command becomes {@link Rejected} with the reply it earns.
 */
public sealed interface LmtpRequest {

    /** {@code LHLO domain} (RFC 2033 section 4.1): the client's name, a domain or address literal. */
    record Lhlo(String clientName) implements LmtpRequest {
    }

    /**
     * {@code MAIL FROM:<reverse-path> [SP mail-parameters]}.
     *
     * @param reversePath the sender, empty for the null reverse-path {@code <>} (bounces)
     * @param size        RFC 1870 {@code SIZE=} estimate in octets, when given
     * @param body        RFC 6152 {@code BODY=} type ({@link BodyType#SEVEN_BIT} when absent)
     * @param smtputf8    the RFC 6531 {@code SMTPUTF8} parameter was given: the transaction may use UTF-8
     *                    addresses and header fields
     */
    record MailFrom(Optional<MailAddress> reversePath, OptionalLong size, BodyType body, boolean smtputf8)
            implements LmtpRequest {

        /** A MAIL without {@code SMTPUTF8}. */
        public MailFrom(Optional<MailAddress> reversePath, OptionalLong size, BodyType body) {
            this(reversePath, size, body, false);
        }
    }

    /** RFC 6152 body types this server accepts. */
    enum BodyType { SEVEN_BIT, EIGHT_BIT_MIME }

    /** {@code RCPT TO:<forward-path>}. */
    record RcptTo(MailAddress forwardPath) implements LmtpRequest {
    }

    /** {@code DATA}. */
    record Data() implements LmtpRequest {
    }

    /**
     * {@code BDAT chunk-size [SP "LAST"]} (RFC 3030 section 2): exactly {@code chunkSize} octets of message
     * data follow the command line.
     *
     * @param chunkSize octets in the chunk, 0 or more; {@link Long#MAX_VALUE} stands for any size beyond 18
     *                  digits
     * @param last      this chunk ends the message
     */
    record Bdat(long chunkSize, boolean last) implements LmtpRequest {
    }

    /** {@code STARTTLS} (RFC 3207): switch the connection to TLS, then start over from LHLO. */
    record StartTls() implements LmtpRequest {
    }

    /** {@code RSET}: abort the mail transaction. */
    record Rset() implements LmtpRequest {
    }

    /** {@code NOOP [SP string]}. */
    record Noop() implements LmtpRequest {
    }

    /** {@code QUIT}. */
    record Quit() implements LmtpRequest {
    }

    /** {@code VRFY string}: answered without telling whether the user exists (RFC 5321 section 3.5.3). */
    record Vrfy(String argument) implements LmtpRequest {
    }

    /**
     * A line that is no valid command: unknown verb, HELO/EHLO (LMTP needs LHLO), bad syntax, over-long
     * line. The session answers {@code reply} and changes no state.
     */
    record Rejected(LmtpResponse reply) implements LmtpRequest {
    }

    /**
     * A line after which the byte stream cannot be followed: a {@code BDAT} whose chunk size cannot be read,
     * so nobody knows where its data ends. The session answers {@code reply} and closes the connection,
     * rather than take message data for commands.
     */
    record Unrecoverable(LmtpResponse reply) implements LmtpRequest {
    }
}
