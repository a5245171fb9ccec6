package io.stratusmail.mailbox.address;

import io.stratusmail.mailbox.user.Username;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * A mail domain ({@code example.com}), compared case-insensitively: the value is kept in lower case (ROOT
 * locale).
 *
 * <p>Syntax (RFC 5321 section 4.1.2 {@code Domain}, RFC 1035 section 2.3.4 limits): dot-separated labels of
 * letters, digits and hyphens, a label 1 to 63 characters not starting or ending with a hyphen, the whole at
 * most {@value #MAX_LENGTH} characters. Address literals ({@code [192.0.2.1]}) are not domains.
 *
 * @param value the normalised (lower-case) domain
 */
public record Domain(String value) implements Comparable<Domain> {

    /** Longest domain, in characters (RFC 1035 section 2.3.4, without the root dot). */
    public static final int MAX_LENGTH = 253;
    private static final int MAX_LABEL_LENGTH = 63;

    public Domain {
        Objects.requireNonNull(value, "value");
        value = value.toLowerCase(Locale.ROOT);
        if (value.isEmpty() || value.length() > MAX_LENGTH) {
            throw new IllegalArgumentException("domain must be 1 to " + MAX_LENGTH + " characters");
        }
        for (String label : value.split("\\.", -1)) {
            checkLabel(label);
        }
    }

    private static void checkLabel(String label) {
        if (label.isEmpty() || label.length() > MAX_LABEL_LENGTH) {
            throw new IllegalArgumentException("domain label must be 1 to " + MAX_LABEL_LENGTH + " characters");
        }
        if (label.startsWith("-") || label.endsWith("-")) {
            throw new IllegalArgumentException("domain label must not start or end with '-': " + label);
        }
        for (int i = 0; i < label.length(); i++) {
            char c = label.charAt(i);
            if (!(c >= 'a' && c <= 'z') && !(c >= '0' && c <= '9') && c != '-') {
                throw new IllegalArgumentException("domain contains a forbidden character: '" + c + "'");
            }
        }
    }

    /**
     * Parses user input (surrounding blanks ignored).
     *
     * @throws IllegalArgumentException when the text is not a domain (the message names the problem)
     */
    public static Domain of(String text) {
        return new Domain(text.trim());
    }

    /** The domain of {@code local@domain}; empty for a bare local part or a domain that is no valid {@link Domain}. */
    public static Optional<Domain> ofAddress(Username address) {
        String v = address.value();
        int at = v.indexOf('@');
        if (at < 0) {
            return Optional.empty();
        }
        try {
            return Optional.of(new Domain(v.substring(at + 1)));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /** The local part of {@code local@domain}, or the whole value of a bare local part. */
    public static String localPart(Username address) {
        String v = address.value();
        int at = v.indexOf('@');
        return at < 0 ? v : v.substring(0, at);
    }

    @Override
    public int compareTo(Domain o) {
        return value.compareTo(o.value);
    }

    @Override
    public String toString() {
        return value;
    }
}
