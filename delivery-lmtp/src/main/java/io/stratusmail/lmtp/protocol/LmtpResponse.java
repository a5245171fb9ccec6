package io.stratusmail.lmtp.protocol;

import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * One server reply (RFC 5321 section 4.2): a three-digit reply code, an optional RFC 3463 enhanced status
 * code and one or more text lines. On the wire every line but the last is {@code code-text}, the last
 * {@code code SP text}; the enhanced status code, when present, starts the text of every line (RFC 2034
 * section 4). The greeting, LHLO replies and the {@code 354} intermediate reply carry none.
 *
 * @param code           reply code, 200 to 559
 * @param enhancedStatus {@code class.subject.detail} such as {@code 2.1.5}, or {@code null}
 * @param lines          at least one line of text, no control characters (CR, LF, ...); a non-ASCII
 *                       character (an SMTPUTF8 address echoed back, RFC 6531) is written as
 *                       {@code \x{HEX}} of its code point, the RFC 6533 {@code utf-8-addr-xtext} form, so
 *                       the reply stays US-ASCII (RFC 5321 {@code textstring})
 */
public record LmtpResponse(int code, String enhancedStatus, List<String> lines) {

    public LmtpResponse {
        if (code < 200 || code > 559) {
            throw new IllegalArgumentException("reply code out of range: " + code);
        }
        if (enhancedStatus != null && !enhancedStatus.matches("[245]\\.\\d{1,3}\\.\\d{1,3}")) {
            throw new IllegalArgumentException("malformed enhanced status code: " + enhancedStatus);
        }
        lines = lines.stream().map(LmtpResponse::textstring).toList();
        if (lines.isEmpty()) {
            throw new IllegalArgumentException("a reply needs at least one line");
        }
    }

    /** RFC 5321 textstring (HT, SP, printable US-ASCII): keeps a reply from forging another. */
    private static String textstring(String line) {
        StringBuilder out = null;
        for (int i = 0; i < line.length(); ) {
            int c = line.codePointAt(i);
            if (Character.isISOControl(c) && c != '\t') {
                throw new IllegalArgumentException("reply text must not contain control characters");
            }
            if (c > 0x7e && out == null) {
                out = new StringBuilder(line.length() + 16).append(line, 0, i);
            }
            if (out != null) {
                if (c > 0x7e) {
                    out.append("\\x{").append(Integer.toHexString(c).toUpperCase(Locale.ROOT)).append('}');
                } else {
                    out.append((char) c);
                }
            }
            i += Character.charCount(c);
        }
        return out == null ? line : out.toString();
    }

    /** A single-line reply with an enhanced status code. */
    public static LmtpResponse of(int code, String enhancedStatus, String text) {
        return new LmtpResponse(code, Objects.requireNonNull(enhancedStatus, "enhancedStatus"), List.of(text));
    }

    /** A single-line reply without enhanced status code (greeting, {@code 354}). */
    public static LmtpResponse plain(int code, String text) {
        return new LmtpResponse(code, null, List.of(text));
    }

    /** Whether the reply reports success (2xx) or an intermediate step (3xx). */
    public boolean isPositive() {
        return code < 400;
    }

    /** The reply as it looks on the wire, lines joined with CRLF and ending with CRLF. */
    public String toWire() {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < lines.size(); i++) {
            out.append(code).append(i == lines.size() - 1 ? ' ' : '-');
            if (enhancedStatus != null) {
                out.append(enhancedStatus).append(' ');
            }
            out.append(lines.get(i)).append("\r\n");
        }
        return out.toString();
    }
}
