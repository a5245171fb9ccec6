package io.stratusmail.search.opensearch.text;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import org.apache.james.mime4j.util.CharsetUtil;

/**
 * Turns octets of unknown or doubtful charset into text without ever failing.
 *
 * <p>A charset that is declared and known to the JVM is used, with malformed input replaced by U+FFFD. When
 * no charset is declared, when it is US-ASCII (the RFC 2045 default, often wrong for 8-bit mail) or when the
 * JVM does not know it, the octets are read as UTF-8 if they are valid UTF-8 and as ISO-8859-1 otherwise
 * (every octet sequence is valid ISO-8859-1).
 */
final class LenientCharsets {

    private LenientCharsets() {
    }

    /**
     * Decodes octets.
     *
     * @param octets          the octets (a whole part, or its first octets when {@code cut} is true)
     * @param length          how many octets of the array to decode
     * @param declaredCharset the MIME charset parameter, or null
     * @param cut             true when the octets were cut at a limit, so that a partial trailing UTF-8
     *                        sequence is dropped instead of being taken as proof of ISO-8859-1
     */
    static String decode(byte[] octets, int length, String declaredCharset, boolean cut) {
        Charset declared = known(declaredCharset);
        if (declared != null) {
            return new String(octets, 0, length, declared);
        }
        int usable = cut ? completeUtf8Length(octets, length) : length;
        return utf8OrLatin1(octets, usable);
    }

    /** Reads octets as strict UTF-8 when they are valid UTF-8, as ISO-8859-1 otherwise. */
    static String utf8OrLatin1(byte[] octets, int length) {
        if (isAscii(octets, length)) {
            return new String(octets, 0, length, StandardCharsets.US_ASCII);
        }
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(octets, 0, length))
                    .toString();
        } catch (CharacterCodingException notUtf8) {
            return new String(octets, 0, length, StandardCharsets.ISO_8859_1);
        }
    }

    private static Charset known(String name) {
        if (name == null || name.isBlank()) {
            return null;
        }
        String trimmed = name.trim().toLowerCase(Locale.ROOT);
        if (trimmed.equals("us-ascii") || trimmed.equals("ascii")) {
            return null;
        }
        // CharsetUtil.lookup answers null for names the JVM does not support instead of throwing.
        return CharsetUtil.lookup(trimmed);
    }

    private static boolean isAscii(byte[] octets, int length) {
        for (int i = 0; i < length; i++) {
            if (octets[i] < 0) {
                return false;
            }
        }
        return true;
    }

    /** Length without a trailing, incomplete UTF-8 sequence (at most 3 octets are dropped). */
    static int completeUtf8Length(byte[] octets, int length) {
        int start = length - 1;
        int continuation = 0;
        while (start >= 0 && continuation < 3 && (octets[start] & 0xC0) == 0x80) {
            start--;
            continuation++;
        }
        if (start < 0) {
            return length;
        }
        int lead = octets[start] & 0xFF;
        int expected = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC0 ? 2 : 1;
        return expected > continuation + 1 ? start : length;
    }
}
