package io.stratusmail.lmtp.protocol;

/**
 * What {@link LmtpFrameDecoder} cuts out of the byte stream: a command line, a command line over the
 * limit, or the content of one DATA transfer.
 */
public sealed interface LmtpFrame {

    /**
     * One command line without its line ending, octets mapped one to one to chars (ISO-8859-1), so a
     * non-ASCII octet stays visible to the parser.
     */
    record CommandLine(String text) implements LmtpFrame {
    }

    /** A command line longer than {@code limit} octets (CRLF included); its octets were discarded. */
    record CommandLineTooLong(int limit) implements LmtpFrame {
    }

    /**
     * The end of one DATA transfer (RFC 5321 section 4.1.1.4): the message octets after dot-unstuffing,
     * exactly as received, without the terminating {@code CRLF.CRLF}'s final {@code .CRLF}.
     *
     * @param status  whether the content is complete or was discarded over a limit
     * @param content the message when {@code status} is {@code COMPLETE}, else empty; not copied, do not
     *                modify
     * @param octets  how many message octets arrived (also counted when discarded)
     */
    record MessageData(Status status, byte[] content, long octets) implements LmtpFrame {

        public enum Status {
            COMPLETE,
            /** More octets than the configured maximum message size. */
            TOO_LARGE,
            /** A text line longer than the configured maximum DATA line length. */
            LINE_TOO_LONG
        }
    }
}
