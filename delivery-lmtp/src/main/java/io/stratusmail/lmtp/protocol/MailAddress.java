package io.stratusmail.lmtp.protocol;

import java.util.Objects;

/**
 * A mailbox of an envelope path (RFC 5321 section 4.1.2 {@code Mailbox}): {@code Local-part "@" Domain}
 * or {@code Local-part "@" address-literal}. A local part without domain is accepted as well (LMTP
 * clients pass bare user names, and {@code <Postmaster>} has none).
 *
 * <p>Internationalized addresses (RFC 6531 section 3.3): the local part and the domain may hold UTF-8
 * characters ({@code UTF8-non-ascii} in atext and qtextSMTP, U-labels in the domain); the session accepts
 * them only in a transaction whose MAIL carried {@code SMTPUTF8} ({@link #isAscii()}). A non-ASCII character
 * must be a printable one: controls, spaces and format characters (bidirectional overrides) are refused.
 * U-labels are not checked against IDNA2008 beyond that.
 *
 * <p>Limits (RFC 5321 section 4.5.3.1), counted in UTF-8 octets: local part at most 64, domain at most 255,
 * a label at most 63.
 *
 * @param localPart the local part as written (a quoted string keeps its quotes)
 * @param domain    the domain or address literal, or {@code null} for a bare local part
 */
public record MailAddress(String localPart, String domain) {

    public static final int MAX_LOCAL_PART_LENGTH = 64;
    public static final int MAX_DOMAIN_LENGTH = 255;
    private static final String ATEXT_SPECIALS = "!#$%&'*+-/=?^_`{|}~";

    public MailAddress {
        Objects.requireNonNull(localPart, "localPart");
    }

    /**
     * Parses the text between the angle brackets of a path; a source route ({@code @a,@b:}) is skipped as
     * RFC 5321 section 4.1.2 asks.
     *
     * @throws IllegalArgumentException when the text is not a mailbox (the message says why)
     */
    public static MailAddress parse(String text) {
        String mailbox = text;
        if (mailbox.startsWith("@")) {
            int colon = mailbox.indexOf(':');
            if (colon < 0) {
                throw new IllegalArgumentException("source route without ':'");
            }
            for (String hop : mailbox.substring(0, colon).split(",", -1)) {
                if (!hop.startsWith("@") || !isDomain(hop.substring(1))) {
                    throw new IllegalArgumentException("malformed source route");
                }
            }
            mailbox = mailbox.substring(colon + 1);
        }
        int at = localPartEnd(mailbox);
        String local = mailbox.substring(0, at);
        if (local.isEmpty() || utf8Length(local) > MAX_LOCAL_PART_LENGTH) {
            throw new IllegalArgumentException("local part must be 1 to " + MAX_LOCAL_PART_LENGTH + " octets");
        }
        if (at == mailbox.length()) {
            return new MailAddress(local, null);
        }
        String domain = mailbox.substring(at + 1);
        if (!isDomain(domain, true) && !isAddressLiteral(domain)) {
            throw new IllegalArgumentException("malformed domain");
        }
        return new MailAddress(local, domain);
    }

    /** Index of the {@code @} after a valid local part, or the text's length when there is no domain. */
    private static int localPartEnd(String s) {
        if (s.startsWith("\"")) {
            int i = 1;
            while (i < s.length() && s.charAt(i) != '"') {
                char c = s.charAt(i);
                if (c == '\\') {
                    // quoted-pairSMTP: backslash and one printable character
                    if (i + 1 >= s.length() || s.charAt(i + 1) < 0x20 || s.charAt(i + 1) > 0x7e) {
                        throw new IllegalArgumentException("malformed quoted pair");
                    }
                    i += 2;
                } else if (c < 0x20 || c == 0x7f || (c > 0x7f && !isUtf8NonAscii(c))) {
                    throw new IllegalArgumentException("invalid character in quoted local part");
                } else {
                    i++;
                }
            }
            if (i >= s.length()) {
                throw new IllegalArgumentException("unterminated quoted local part");
            }
            i++;
            if (i < s.length() && s.charAt(i) != '@') {
                throw new IllegalArgumentException("text after quoted local part");
            }
            return i;
        }
        int at = s.indexOf('@');
        int end = at < 0 ? s.length() : at;
        if (!isDotString(s.substring(0, end))) {
            throw new IllegalArgumentException("malformed local part");
        }
        return end;
    }

    private static boolean isDotString(String s) {
        if (s.isEmpty() || s.startsWith(".") || s.endsWith(".") || s.contains("..")) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (!(isLetDig(c) || c == '.' || ATEXT_SPECIALS.indexOf(c) >= 0 || isUtf8NonAscii(c))) {
                return false;
            }
        }
        return true;
    }

    /**
     * RFC 5321 {@code Domain}: sub-domains of US-ASCII letters, digits and inner hyphens, separated by
     * periods.
     */
    public static boolean isDomain(String s) {
        return isDomain(s, false);
    }

    /** A {@code Domain}; with {@code utf8}, a sub-domain may also hold non-ASCII characters (U-labels). */
    private static boolean isDomain(String s, boolean utf8) {
        if (s.isEmpty() || utf8Length(s) > MAX_DOMAIN_LENGTH) {
            return false;
        }
        for (String label : s.split("\\.", -1)) {
            if (label.isEmpty() || utf8Length(label) > 63 || label.charAt(0) == '-'
                    || label.charAt(label.length() - 1) == '-') {
                return false;
            }
            for (int i = 0; i < label.length(); i++) {
                char c = label.charAt(i);
                if (!isLetDig(c) && c != '-' && !(utf8 && isUtf8NonAscii(c))) {
                    return false;
                }
            }
        }
        return true;
    }

    /** Whether the address is all US-ASCII, so it needs no SMTPUTF8 (RFC 6531 section 3.4). */
    public boolean isAscii() {
        return isAscii(localPart) && (domain == null || isAscii(domain));
    }

    private static boolean isAscii(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) > 0x7f) {
                return false;
            }
        }
        return true;
    }

    /**
     * RFC 6531 {@code UTF8-non-ascii}, restricted to printable characters: no C1 controls, no spaces, no
     * format characters (which could reorder how an address is displayed). Surrogates of a valid pair pass,
     * the command was decoded from well-formed UTF-8.
     */
    private static boolean isUtf8NonAscii(char c) {
        if (c < 0x80 || Character.isISOControl(c) || Character.isSpaceChar(c) || Character.isWhitespace(c)) {
            return false;
        }
        int type = Character.getType(c);
        return type != Character.FORMAT && type != Character.UNASSIGNED && type != Character.PRIVATE_USE;
    }

    private static int utf8Length(String s) {
        int octets = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                octets++;
            } else if (c < 0x800) {
                octets += 2;
            } else if (Character.isHighSurrogate(c)) {
                octets += 4;
                i++;
            } else {
                octets += 3;
            }
        }
        return octets;
    }

    /**
     * RFC 5321 {@code address-literal}, checked loosely: {@code [} printable US-ASCII without brackets,
     * backslash or space {@code ]}.
     */
    public static boolean isAddressLiteral(String s) {
        if (s.length() < 3 || s.length() > MAX_DOMAIN_LENGTH || s.charAt(0) != '['
                || s.charAt(s.length() - 1) != ']') {
            return false;
        }
        for (int i = 1; i < s.length() - 1; i++) {
            char c = s.charAt(i);
            if (c <= 0x20 || c > 0x7e || c == '[' || c == ']' || c == '\\') {
                return false;
            }
        }
        return true;
    }

    private static boolean isLetDig(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
    }

    /** {@code local@domain}, or the bare local part. */
    @Override
    public String toString() {
        return domain == null ? localPart : localPart + "@" + domain;
    }
}
