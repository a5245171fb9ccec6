package io.stratusmail.imap.protocol;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Builds the octets of IMAP responses (RFC 3501 section 4, RFC 9051 section 4): atoms, numbers, and strings
 * sent as quoted or as literal as the grammar requires. One place decides quoted versus literal: a string is
 * quoted when it has only printable US-ASCII and is short, otherwise it is a literal
 * ({@code {n}CRLF} followed by the octets).
 *
 * <p>Not thread-safe; one writer per response.
 */
public final class ImapWriter {

    /** Longest string sent as quoted; longer ones go as literals so clients need no long-line handling. */
    static final int MAX_QUOTED = 1024;

    private final ByteArrayOutputStream out;

    public ImapWriter() {
        this(256);
    }

    public ImapWriter(int initialCapacity) {
        this.out = new ByteArrayOutputStream(initialCapacity);
    }

    /** Appends US-ASCII text as is (keywords, atoms, punctuation). The caller guarantees it is valid there. */
    public ImapWriter raw(String ascii) {
        for (int i = 0; i < ascii.length(); i++) {
            out.write(ascii.charAt(i));
        }
        return this;
    }

    public ImapWriter raw(char c) {
        out.write(c);
        return this;
    }

    public ImapWriter raw(byte[] octets) {
        out.write(octets, 0, octets.length);
        return this;
    }

    public ImapWriter sp() {
        out.write(' ');
        return this;
    }

    public ImapWriter number(long n) {
        return raw(Long.toString(n));
    }

    public ImapWriter crlf() {
        out.write('\r');
        out.write('\n');
        return this;
    }

    /** {@code NIL} for null, otherwise {@link #string(byte[])} of the UTF-8 octets. */
    public ImapWriter nstring(String s) {
        return s == null ? raw("NIL") : string(s.getBytes(StandardCharsets.UTF_8));
    }

    /** {@code NIL} for null, otherwise {@link #string(byte[])}. */
    public ImapWriter nstring(byte[] s) {
        return s == null ? raw("NIL") : string(s);
    }

    public ImapWriter string(String s) {
        return string(s.getBytes(StandardCharsets.UTF_8));
    }

    /** A string: quoted when every octet is printable US-ASCII and it is short, else a literal. */
    public ImapWriter string(byte[] s) {
        if (s.length <= MAX_QUOTED && quotable(s)) {
            out.write('"');
            for (byte b : s) {
                if (b == '"' || b == '\\') {
                    out.write('\\');
                }
                out.write(b);
            }
            out.write('"');
            return this;
        }
        return literal(s);
    }

    /** A literal ({@code {n}CRLF} then the octets), whatever the content. */
    public ImapWriter literal(byte[] s) {
        raw("{").number(s.length).raw("}").crlf();
        out.write(s, 0, s.length);
        return this;
    }

    /** Appends a string as an atom when it is one (non-empty, only ATOM-CHARs), otherwise as a string. */
    public ImapWriter astring(String s) {
        if (isAtom(s)) {
            return raw(s);
        }
        return string(s);
    }

    /**
     * Printable US-ASCII only. RFC 3501 would allow other 7-bit controls in a quoted string, but clients
     * (Angus Mail among them) reject them there, so they go as literals.
     */
    private static boolean quotable(byte[] s) {
        for (byte b : s) {
            if (b < 0x20 || b == 0x7f) {
                return false;
            }
        }
        return true;
    }

    /**
     * A parenthesized list of flags or attributes, {@code (\Seen $Junk)}; each is already an atom or a
     * backslash-prefixed atom (as {@link io.stratusmail.mailbox.message.Flags} guarantees).
     */
    public ImapWriter flagList(java.util.Collection<String> flags) {
        out.write('(');
        boolean first = true;
        for (String f : flags) {
            if (!first) {
                out.write(' ');
            }
            raw(f);
            first = false;
        }
        out.write(')');
        return this;
    }

    /** Whether {@code s} is an RFC 3501 atom (1*ATOM-CHAR). */
    public static boolean isAtom(String s) {
        if (s.isEmpty()) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c <= ' ' || c >= 0x7f || "(){%*\"\\]".indexOf(c) >= 0) {
                return false;
            }
        }
        return true;
    }

    public int size() {
        return out.size();
    }

    public byte[] toByteArray() {
        return out.toByteArray();
    }
}
