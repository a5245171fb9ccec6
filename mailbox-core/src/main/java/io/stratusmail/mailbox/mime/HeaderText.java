package io.stratusmail.mailbox.mime;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Turns raw header octets into the strings IMAP sends: unfolded, trimmed, never RFC 2047 decoded.
 *
 * <p>Headers should be US-ASCII but often hold raw UTF-8 (RFC 6532) or legacy 8-bit text. Octets that form
 * valid UTF-8 are read as UTF-8 (so they go back on the wire unchanged); anything else is read as ISO-8859-1,
 * which maps every octet to a character and never fails.
 */
final class HeaderText {

    private HeaderText() {
    }

    /**
     * The value octets {@code [from, to)} with the line ends removed (RFC 5322 unfolding: inside a field every
     * line end is followed by white space, which stays) and leading and trailing spaces and tabs trimmed.
     */
    static byte[] unfold(ByteBuffer b, int from, int to) {
        byte[] out = new byte[to - from];
        int n = 0;
        for (int i = from; i < to; i++) {
            byte c = b.get(i);
            if (c == '\n' || (c == '\r' && i + 1 < to && b.get(i + 1) == '\n')) {
                continue;
            }
            out[n++] = c;
        }
        int s = 0;
        while (s < n && isWsp(out[s])) {
            s++;
        }
        while (n > s && isWsp(out[n - 1])) {
            n--;
        }
        byte[] trimmed = new byte[n - s];
        System.arraycopy(out, s, trimmed, 0, n - s);
        return trimmed;
    }

    static boolean isWsp(byte c) {
        return c == ' ' || c == '\t';
    }

    /** The octets as UTF-8 when valid, else as ISO-8859-1. */
    static String decode(byte[] octets) {
        boolean ascii = true;
        for (byte c : octets) {
            if (c < 0) {
                ascii = false;
                break;
            }
        }
        if (ascii) {
            return new String(octets, StandardCharsets.US_ASCII);
        }
        try {
            CharBuffer chars = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(octets));
            return chars.toString();
        } catch (CharacterCodingException e) {
            return new String(octets, StandardCharsets.ISO_8859_1);
        }
    }
}
