package io.stratusmail.imap.protocol;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * One complete client command as framed on the wire (RFC 3501 section 2.2.1): its lines, CRLF removed, and
 * the literals between them. {@code lines.size() == literals.size() + 1}; every line but the last ends with
 * the {@link LiteralMarker} of the literal that follows it.
 *
 * @param lines    the command's lines, without line endings
 * @param literals the literal octets, in order
 */
public record CommandFrame(List<byte[]> lines, List<byte[]> literals) {

    public CommandFrame {
        lines = List.copyOf(lines);
        literals = List.copyOf(literals);
        if (lines.size() != literals.size() + 1) {
            throw new IllegalArgumentException("a frame has one line more than literals");
        }
    }

    /** A frame of one line without literals. */
    public static CommandFrame ofLine(String line) {
        return new CommandFrame(List.of(line.getBytes(StandardCharsets.UTF_8)), List.of());
    }

    /** The first line (which holds the tag and command name). */
    public byte[] firstLine() {
        return lines.get(0);
    }
}
