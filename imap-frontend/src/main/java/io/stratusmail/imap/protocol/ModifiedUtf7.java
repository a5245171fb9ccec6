package io.stratusmail.imap.protocol;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Mailbox names on the wire in modified UTF-7 (RFC 3501 section 5.1.3): printable US-ASCII except
 * {@code &} stands for itself, {@code &} is written {@code &-}, and every other run of characters is
 * {@code &} + modified BASE64 (RFC 2045 alphabet with {@code ,} for {@code /}, no padding) of its UTF-16BE
 * octets + {@code -}. Example: {@code ~peter/mail/台北/日本語} is {@code ~peter/mail/&U,BTFw-/&ZeVnLIqe-}.
 */
public final class ModifiedUtf7 {

    private static final char[] ALPHABET =
            "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+,".toCharArray();
    private static final int[] VALUES = new int[128];

    static {
        java.util.Arrays.fill(VALUES, -1);
        for (int i = 0; i < ALPHABET.length; i++) {
            VALUES[ALPHABET[i]] = i;
        }
    }

    private ModifiedUtf7() {
    }

    /** Encodes a name (any Unicode) into modified UTF-7, which is printable US-ASCII. */
    public static String encode(String name) {
        StringBuilder out = new StringBuilder(name.length() + 8);
        int i = 0;
        while (i < name.length()) {
            char c = name.charAt(i);
            if (c >= 0x20 && c <= 0x7e) {
                out.append(c);
                if (c == '&') {
                    out.append('-');
                }
                i++;
                continue;
            }
            int start = i;
            while (i < name.length() && (name.charAt(i) < 0x20 || name.charAt(i) > 0x7e)) {
                i++;
            }
            out.append('&');
            base64(name.substring(start, i).getBytes(StandardCharsets.UTF_16BE), out);
            out.append('-');
        }
        return out.toString();
    }

    private static void base64(byte[] bytes, StringBuilder out) {
        int bits = 0;
        int buffer = 0;
        for (byte b : bytes) {
            buffer = (buffer << 8) | (b & 0xff);
            bits += 8;
            while (bits >= 6) {
                bits -= 6;
                out.append(ALPHABET[(buffer >> bits) & 0x3f]);
            }
        }
        if (bits > 0) {
            out.append(ALPHABET[(buffer << (6 - bits)) & 0x3f]);
        }
    }

    /**
     * Decodes a modified UTF-7 name.
     *
     * @throws IllegalArgumentException when {@code wire} is not valid modified UTF-7: a character outside
     *     printable US-ASCII, an unterminated or empty shift, a character outside the modified BASE64
     *     alphabet, non-zero padding bits, an encoded printable US-ASCII character, or broken UTF-16
     */
    public static String decode(String wire) {
        StringBuilder out = new StringBuilder(wire.length());
        int i = 0;
        while (i < wire.length()) {
            char c = wire.charAt(i);
            if (c < 0x20 || c > 0x7e) {
                throw new IllegalArgumentException("mailbox name is not modified UTF-7: non-ASCII character");
            }
            if (c != '&') {
                out.append(c);
                i++;
                continue;
            }
            int dash = wire.indexOf('-', i + 1);
            if (dash < 0) {
                throw new IllegalArgumentException("mailbox name is not modified UTF-7: '&' without '-'");
            }
            if (dash == i + 1) {
                out.append('&');
            } else {
                out.append(decodeShift(wire.substring(i + 1, dash)));
            }
            i = dash + 1;
        }
        return out.toString();
    }

    private static String decodeShift(String b64) {
        byte[] bytes = new byte[b64.length() * 6 / 8];
        int n = 0;
        int bits = 0;
        int buffer = 0;
        for (int k = 0; k < b64.length(); k++) {
            char c = b64.charAt(k);
            int v = c < 128 ? VALUES[c] : -1;
            if (v < 0) {
                throw new IllegalArgumentException("mailbox name is not modified UTF-7: '" + c
                        + "' in a BASE64 run");
            }
            buffer = (buffer << 6) | v;
            bits += 6;
            if (bits >= 8) {
                bits -= 8;
                bytes[n++] = (byte) (buffer >> bits);
            }
        }
        if (bits >= 6 || (buffer & ((1 << bits) - 1)) != 0 || n % 2 != 0) {
            throw new IllegalArgumentException("mailbox name is not modified UTF-7: bad BASE64 run length");
        }
        String decoded;
        try {
            decoded = StandardCharsets.UTF_16BE.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes, 0, n)).toString();
        } catch (CharacterCodingException e) {
            throw new IllegalArgumentException("mailbox name is not modified UTF-7: broken UTF-16");
        }
        for (int k = 0; k < decoded.length(); k++) {
            char c = decoded.charAt(k);
            if (c >= 0x20 && c <= 0x7e) {
                throw new IllegalArgumentException(
                        "mailbox name is not modified UTF-7: printable ASCII must not be BASE64-encoded");
            }
        }
        return decoded;
    }
}
