package io.stratusmail.lmtp.testing;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** Client-side helpers: dot stuffing as an RFC 5321 client does it, and splitting stored trace fields. */
public final class Wire {

    private Wire() {
    }

    public static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.ISO_8859_1);
    }

    /**
     * {@code content} (which ends with CRLF) as sent after DATA: a period doubled at the start of every line
     * (lines end with CRLF only), then {@code .CRLF}.
     */
    public static byte[] stuffed(byte[] content) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        boolean lineStart = true;
        for (int i = 0; i < content.length; i++) {
            byte b = content[i];
            if (lineStart && b == '.') {
                out.write('.');
            }
            out.write(b);
            lineStart = b == '\n' && i > 0 && content[i - 1] == '\r';
        }
        out.writeBytes(bytes(".\r\n"));
        return out.toByteArray();
    }

    /**
     * Splits a stored message into its leading trace fields (Return-Path, Delivered-To and the folded
     * Received field, as text) and the rest (the octets as received).
     */
    public static Stored split(byte[] stored) {
        String text = new String(stored, StandardCharsets.ISO_8859_1);
        int received = text.indexOf("Received: ");
        if (received < 0) {
            throw new AssertionError("no Received field in " + text);
        }
        int end = received;
        while (true) {
            end = text.indexOf("\r\n", end) + 2;
            if (end >= text.length() || (text.charAt(end) != '\t' && text.charAt(end) != ' ')) {
                break;
            }
        }
        return new Stored(text.substring(0, end), Arrays.copyOfRange(stored, end, stored.length));
    }

    /**
     * @param trace the trace fields, CRLF line endings kept
     * @param body  the octets after them
     */
    public record Stored(String trace, byte[] body) {
    }
}
