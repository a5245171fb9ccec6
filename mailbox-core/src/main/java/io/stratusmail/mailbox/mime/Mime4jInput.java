package io.stratusmail.mailbox.mime;

import io.stratusmail.mailbox.mime.BodyStructure.Parameter;
import java.util.ArrayList;
import java.util.List;
import org.apache.james.mime4j.stream.NameValuePair;
import org.apache.james.mime4j.stream.ParserCursor;
import org.apache.james.mime4j.stream.RawBody;
import org.apache.james.mime4j.stream.RawFieldParser;
import org.apache.james.mime4j.util.ByteSequence;

/**
 * Header value octets prepared for mime4j's field parsers so that they parse the syntax and decode nothing.
 *
 * <p>mime4j decodes RFC 2047 encoded-words (in display names and quoted parameter values) and reads 8-bit
 * octets as UTF-8, losing other octets; IMAP must send values as written. So before parsing, every {@code ?}
 * (no encoded-word without it) and every octet above 0x7F is replaced by an escape character absent from the
 * value followed by two hex digits; these are ordinary content to the address and parameter grammars, so the
 * parse is unchanged. {@link #text} undoes the escape in what mime4j returns. In the absurd case that no escape
 * character is free, the octets are passed as they are and mime4j's decoding is accepted.
 */
final class Mime4jInput {

    /** Characters that are plain content in RFC 5322 atoms and RFC 2045 parameter values, none a hex digit. */
    private static final String ESCAPES = "~^`|}{#$%&*+!_'GHIJKLMNOPQRSTUVWXYZghijklmnopqrstuvwxyz";
    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    private final byte[] octets;
    /** The escape character, or 0 when the octets are passed unchanged. */
    private final char escape;

    private Mime4jInput(byte[] octets, char escape) {
        this.octets = octets;
        this.escape = escape;
    }

    static Mime4jInput of(byte[] value) {
        boolean needed = false;
        boolean[] present = new boolean[128];
        for (byte c : value) {
            if (c < 0 || c == '?') {
                needed = true;
            } else {
                present[c] = true;
            }
        }
        if (!needed) {
            return new Mime4jInput(value, (char) 0);
        }
        for (int i = 0; i < ESCAPES.length(); i++) {
            char e = ESCAPES.charAt(i);
            if (!present[e]) {
                return new Mime4jInput(escaped(value, e), e);
            }
        }
        return new Mime4jInput(value, (char) 0);
    }

    private static byte[] escaped(byte[] value, char escape) {
        int extra = 0;
        for (byte c : value) {
            if (c < 0 || c == '?') {
                extra += 2;
            }
        }
        byte[] out = new byte[value.length + extra];
        int n = 0;
        for (byte c : value) {
            if (c < 0 || c == '?') {
                out[n++] = (byte) escape;
                out[n++] = (byte) HEX[(c >> 4) & 0xf];
                out[n++] = (byte) HEX[c & 0xf];
            } else {
                out[n++] = c;
            }
        }
        return out;
    }

    /** The prepared octets for mime4j. */
    ByteSequence sequence() {
        return sequence(octets);
    }

    /** A cursor over all of {@link #sequence()}. */
    ParserCursor cursor() {
        return new ParserCursor(0, octets.length);
    }

    /** mime4j's {@code value; name=value ...} parse of the prepared octets. */
    RawBody rawBody() {
        return RawFieldParser.DEFAULT.parseRawBody(sequence(), cursor());
    }

    /** The original octets of a string mime4j returned, escape undone. */
    byte[] octets(String parsed) {
        byte[] out = new byte[parsed.length()];
        int n = 0;
        for (int i = 0; i < parsed.length(); i++) {
            char c = parsed.charAt(i);
            if (escape != 0 && c == escape && i + 2 < parsed.length() && hex(parsed.charAt(i + 1)) >= 0
                    && hex(parsed.charAt(i + 2)) >= 0) {
                out[n++] = (byte) (hex(parsed.charAt(i + 1)) << 4 | hex(parsed.charAt(i + 2)));
                i += 2;
            } else {
                out[n++] = (byte) c;
            }
        }
        return java.util.Arrays.copyOf(out, n);
    }

    /**
     * A string mime4j returned, as header text: escape undone, read as UTF-8 when valid else ISO-8859-1. When
     * nothing was escaped the string is returned as is (mime4j may have read 8-bit octets as UTF-8).
     */
    String text(String parsed) {
        if (parsed == null) {
            return null;
        }
        if (escape == 0) {
            return parsed;
        }
        return HeaderText.decode(octets(parsed));
    }

    /** The parameters of a mime4j raw body as header text; nameless ones are dropped. */
    List<Parameter> parameters(RawBody body) {
        List<Parameter> out = new ArrayList<>(body.getParams().size());
        for (NameValuePair p : body.getParams()) {
            String name = p.getName() == null ? "" : p.getName().trim();
            if (name.isEmpty()) {
                continue;
            }
            out.add(new Parameter(text(name), text(p.getValue() == null ? "" : p.getValue())));
        }
        return out;
    }

    private static int hex(char c) {
        if (c >= '0' && c <= '9') {
            return c - '0';
        }
        if (c >= 'A' && c <= 'F') {
            return c - 'A' + 10;
        }
        return -1;
    }

    /** Octets as a mime4j {@link ByteSequence}, without copying. */
    static ByteSequence sequence(byte[] octets) {
        return new ByteSequence() {
            @Override
            public int length() {
                return octets.length;
            }

            @Override
            public byte byteAt(int i) {
                return octets[i];
            }

            @Override
            public byte[] toByteArray() {
                return octets.clone();
            }
        };
    }
}
