package io.stratusmail.lmtp.protocol;

/**
 * What {@link LmtpFrameDecoder} cuts out of the byte stream: a command line, a command line it refuses
 * (over the limit, or ended by a bare LF in strict mode), the content of one DATA transfer, or the end of
 * one BDAT chunk.
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
     * A command line ended by LF without CR while {@link io.stratusmail.lmtp.LmtpConfig.LineEndings#STRICT}
     * line endings are asked for (RFC 5321 section 2.3.8); its octets were discarded.
     */
    record BareLineFeed() implements LmtpFrame {
    }

    /**
     * The octets of one BDAT chunk (RFC 3030 section 2) have been read: appended to the
     * {@link ChunkedMessage} the session gave, or discarded when it gave none.
     *
     * @param octets the chunk size
     */
    record ChunkEnd(long octets) implements LmtpFrame {
    }

    /**
     * The end of one DATA transfer (RFC 5321 section 4.1.1.4): the message octets after dot-unstuffing,
     * exactly as received, without the terminating {@code CRLF.CRLF}'s final {@code .CRLF}.
     *
     * @param status  whether the content is complete or was discarded over a limit
     * @param content the message when {@code status} is {@code COMPLETE}, else empty; not copied, do not
     *                modify
     * @param octets  how many message octets arrived (also counted when discarded)
     * @param eightBitHeader the header section holds an 8-bit octet ({@link HeaderSection})
     */
    record MessageData(Status status, byte[] content, long octets, boolean eightBitHeader) implements LmtpFrame {

        public enum Status {
            COMPLETE,
            /** More octets than the configured maximum message size. */
            TOO_LARGE,
            /** A text line longer than the configured maximum DATA line length. */
            LINE_TOO_LONG,
            /**
             * A CR or LF not part of a CRLF, refused under
             * {@link io.stratusmail.lmtp.LmtpConfig.LineEndings#STRICT} line endings (RFC 5321 section
             * 2.3.8).
             */
            BARE_LINE_ENDING
        }
    }
}
