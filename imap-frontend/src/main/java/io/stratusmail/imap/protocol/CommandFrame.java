package io.stratusmail.imap.protocol;

import io.stratusmail.imap.literal.SpooledLiteral;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * One complete client command as framed on the wire (RFC 3501 section 2.2.1): its lines, CRLF removed, and
 * the literals between them. {@code lines.size() == literals.size() + 1}; every line but the last ends with
 * the {@link LiteralMarker} of the literal that follows it.
 *
 * <p>A large APPEND literal is not in {@code literals} but in a spool file ({@code spooled}): its place in
 * {@code literals} holds an empty array, and {@link CommandReader#messageLiteral()} returns it. Whoever parses
 * the frame {@link SpooledLiteral#claim() claims} it; the framer releases an unclaimed one once the frame is
 * handled.
 *
 * @param lines         the command's lines, without line endings
 * @param literals      the literal octets, in order
 * @param spooledIndex  the index in {@code literals} of the spooled literal, or -1
 * @param spooled       the spooled literal, or null (exactly when {@code spooledIndex} is -1)
 */
public record CommandFrame(List<byte[]> lines, List<byte[]> literals, int spooledIndex, SpooledLiteral spooled) {

    public CommandFrame {
        lines = List.copyOf(lines);
        literals = List.copyOf(literals);
        if (lines.size() != literals.size() + 1) {
            throw new IllegalArgumentException("a frame has one line more than literals");
        }
        if ((spooled == null) != (spooledIndex == -1) || spooledIndex < -1 || spooledIndex >= literals.size()) {
            throw new IllegalArgumentException("bad spooled literal index " + spooledIndex);
        }
    }

    /** A frame whose literals are all in memory. */
    public CommandFrame(List<byte[]> lines, List<byte[]> literals) {
        this(lines, literals, -1, null);
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
