package io.stratusmail.imap.protocol;

import io.stratusmail.imap.literal.InMemoryLiteral;
import io.stratusmail.imap.literal.MessageLiteral;
import io.stratusmail.imap.literal.SpooledLiteral;
import java.nio.charset.StandardCharsets;
import java.util.function.IntPredicate;

/**
 * Reads the tokens of one {@link CommandFrame} following the RFC 3501 section 9 grammar: atoms, quoted
 * strings (with {@code \"} and {@code \\}), literals, astrings, parenthesized lists and {@code NIL}.
 * A literal sits where the line's {@link LiteralMarker} is; reading a string there returns its octets and
 * continues on the next line. Every error is a {@link ParseException} with a message for {@code BAD}.
 *
 * <p>Not thread-safe; one reader per command.
 */
public final class CommandReader {

    /** Longest tag accepted, in characters. */
    public static final int MAX_TAG_LENGTH = 64;

    private final CommandFrame frame;
    private int lineIndex;
    private byte[] line;
    private int pos;
    /** Where the current line's text ends: its literal marker, or its length on the last line. */
    private int end;

    public CommandReader(CommandFrame frame) {
        this.frame = frame;
        enterLine(0);
    }

    private void enterLine(int index) {
        lineIndex = index;
        line = frame.lines().get(index);
        pos = 0;
        boolean last = index == frame.lines().size() - 1;
        end = last ? line.length : LiteralMarker.find(line).start();
    }

    /** Whether ATOM-CHAR (RFC 3501): any CHAR except atom-specials. */
    public static boolean isAtomChar(int c) {
        return c > ' ' && c < 0x7f && "(){%*\"\\]".indexOf(c) < 0;
    }

    /** Whether ASTRING-CHAR: ATOM-CHAR or {@code ]}. */
    public static boolean isAstringChar(int c) {
        return isAtomChar(c) || c == ']';
    }

    /** Whether a tag character: ASTRING-CHAR except {@code +}. */
    public static boolean isTagChar(int c) {
        return isAstringChar(c) && c != '+';
    }

    /** Whether list-char: ATOM-CHAR, list-wildcards or resp-specials. */
    public static boolean isListChar(int c) {
        return isAstringChar(c) || c == '%' || c == '*';
    }

    /** The next octet without consuming it; -1 at the end of the command or before a literal. */
    public int peek() {
        return pos < end ? line[pos] & 0xff : -1;
    }

    /** Whether the command has been read completely. */
    public boolean atEnd() {
        return pos >= end && lineIndex == frame.lines().size() - 1;
    }

    private boolean atLiteral() {
        return pos >= end && lineIndex < frame.lines().size() - 1;
    }

    /** Consumes {@code c} when it comes next. */
    public boolean tryConsume(char c) {
        if (peek() == c) {
            pos++;
            return true;
        }
        return false;
    }

    /** Consumes {@code c}, which must come next. */
    public void expect(char c) throws ParseException {
        if (!tryConsume(c)) {
            throw new ParseException("Expected '" + c + "' " + where());
        }
    }

    /** Consumes the single space that separates arguments. */
    public void sp() throws ParseException {
        if (!tryConsume(' ')) {
            throw new ParseException(atEnd() ? "Missing argument" : "Expected a space " + where());
        }
    }

    /** Requires the end of the command. */
    public void end() throws ParseException {
        if (!atEnd()) {
            throw new ParseException("Unexpected extra arguments " + where());
        }
    }

    /** The tag: 1 to {@value #MAX_TAG_LENGTH} tag characters. */
    public String tag() throws ParseException {
        String tag = readWhile(CommandReader::isTagChar);
        if (tag.isEmpty() || tag.length() > MAX_TAG_LENGTH) {
            throw new ParseException("Invalid tag");
        }
        return tag;
    }

    /** An atom (1*ATOM-CHAR), as ASCII text. */
    public String atom() throws ParseException {
        String atom = readWhile(CommandReader::isAtomChar);
        if (atom.isEmpty()) {
            throw new ParseException("Expected an atom " + where());
        }
        return atom;
    }

    /** 1* octets that satisfy {@code allowed}, as ASCII text; e.g. a sequence set or a fetch attribute name. */
    public String token(IntPredicate allowed, String what) throws ParseException {
        String t = readWhile(allowed);
        if (t.isEmpty()) {
            throw new ParseException("Expected " + what + " " + where());
        }
        return t;
    }

    /** A decimal number up to {@code max}. */
    public long number(long max) throws ParseException {
        String digits = readWhile(c -> c >= '0' && c <= '9');
        if (digits.isEmpty() || digits.length() > 19) {
            throw new ParseException("Expected a number " + where());
        }
        long n = Long.parseLong(digits);
        if (n > max) {
            throw new ParseException("Number out of range: " + digits);
        }
        return n;
    }

    /** astring: an atom (ASTRING-CHARs), a quoted string or a literal; returns its octets. */
    public byte[] astring() throws ParseException {
        int c = peek();
        if (c == '"' || atLiteral()) {
            return string();
        }
        String atom = readWhile(CommandReader::isAstringChar);
        if (atom.isEmpty()) {
            throw new ParseException("Expected a string " + where());
        }
        return atom.getBytes(StandardCharsets.US_ASCII);
    }

    /** list-mailbox: list-chars (atom with {@code % * ]}) or a string (RFC 3501 LIST). */
    public byte[] listMailbox() throws ParseException {
        if (peek() == '"' || atLiteral()) {
            return string();
        }
        String s = readWhile(CommandReader::isListChar);
        if (s.isEmpty()) {
            throw new ParseException("Expected a mailbox pattern " + where());
        }
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    /** string: quoted or literal; returns its octets. */
    public byte[] string() throws ParseException {
        if (atLiteral()) {
            if (lineIndex == frame.spooledIndex()) {
                throw new ParseException("A literal of " + frame.spooled().size()
                        + " octets is only accepted as the message of APPEND");
            }
            byte[] literal = frame.literals().get(lineIndex);
            enterLine(lineIndex + 1);
            return literal;
        }
        if (!tryConsume('"')) {
            throw new ParseException("Expected a quoted string or literal " + where());
        }
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        while (true) {
            if (pos >= end) {
                throw new ParseException("Unterminated quoted string");
            }
            byte b = line[pos++];
            if (b == '"') {
                return out.toByteArray();
            }
            if (b == '\\') {
                if (pos >= end || (line[pos] != '"' && line[pos] != '\\')) {
                    throw new ParseException("Invalid escape in quoted string (only \\\" and \\\\)");
                }
                b = line[pos++];
            } else if (b == 0) {
                throw new ParseException("NUL in quoted string");
            }
            out.write(b);
        }
    }

    /**
     * A literal, which must come next (e.g. the message of APPEND, RFC 3501 section 6.3.11); returns its octets.
     */
    public byte[] literal() throws ParseException {
        if (!atLiteral()) {
            throw new ParseException("Expected a literal " + where());
        }
        return string();
    }

    /**
     * The message literal of APPEND (RFC 3501 section 6.3.11), which must come next: in memory, or spooled to a
     * file when it is large, in which case it is {@link SpooledLiteral#claim() claimed}: the caller owns it and must
     * release it (also when a later argument turns out malformed).
     */
    public MessageLiteral messageLiteral() throws ParseException {
        if (!atLiteral()) {
            throw new ParseException("Expected a literal " + where());
        }
        if (lineIndex != frame.spooledIndex()) {
            return new InMemoryLiteral(string());
        }
        SpooledLiteral spooled = frame.spooled();
        spooled.claim();
        enterLine(lineIndex + 1);
        return spooled;
    }

    /**
     * Consumes {@code keyword} (compared case-insensitively, ASCII) when it comes next as a whole atom, i.e.
     * followed by a space, {@code )} or the end; otherwise consumes nothing.
     */
    public boolean tryKeyword(String keyword) {
        int n = keyword.length();
        if (pos + n > end) {
            return false;
        }
        for (int i = 0; i < n; i++) {
            int c = line[pos + i] & 0xff;
            int k = keyword.charAt(i);
            if (c != k && !(k >= 'A' && k <= 'Z' && c == k + 32)) {
                return false;
            }
        }
        if (pos + n < end && line[pos + n] != ' ' && line[pos + n] != ')') {
            return false;
        }
        pos += n;
        return true;
    }

    /** Reads {@code NIL} when it comes next. */
    public boolean tryNil() {
        if (pos + 3 <= end && (line[pos] | 0x20) == 'n' && (line[pos + 1] | 0x20) == 'i'
                && (line[pos + 2] | 0x20) == 'l' && (pos + 3 == end || !isAtomChar(line[pos + 3]))) {
            pos += 3;
            return true;
        }
        return false;
    }

    private String readWhile(IntPredicate allowed) {
        int start = pos;
        while (pos < end && allowed.test(line[pos] & 0xff)) {
            pos++;
        }
        return new String(line, start, pos - start, StandardCharsets.US_ASCII);
    }

    /** Position text for error messages. */
    private String where() {
        if (atEnd()) {
            return "at end of command";
        }
        if (atLiteral()) {
            return "at a literal";
        }
        return "at '" + (char) (line[pos] & 0xff) + "' (offset " + pos + ")";
    }
}
