package io.stratusmail.mailbox.user;

import java.util.Locale;
import java.util.Objects;

/**
 * A user's login name, which is also the mail address mail is delivered to ({@code local@domain}).
 *
 * <p>Addresses compare case-insensitively: the value is kept in lower case (ROOT locale). Limits: 1 to 254
 * octets (RFC 5321 section 4.5.3.1.3), no whitespace, no control characters, at most one {@code @}.
 *
 * @param value the normalised (lower-case) address
 */
public record Username(String value) {

    /** Longest accepted address, in characters (RFC 5321 section 4.5.3.1.3 path limit less the brackets). */
    public static final int MAX_LENGTH = 254;

    public Username {
        Objects.requireNonNull(value, "value");
        if (value.isEmpty() || value.length() > MAX_LENGTH) {
            throw new IllegalArgumentException("username must be 1 to " + MAX_LENGTH + " characters");
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c <= ' ' || c == 0x7f || c == '"' || c == '\\' || c == '<' || c == '>') {
                throw new IllegalArgumentException("username contains a forbidden character at index " + i);
            }
        }
        if (value.indexOf('@') != value.lastIndexOf('@') || value.startsWith("@") || value.endsWith("@")) {
            throw new IllegalArgumentException("username must be local@domain or a bare local part");
        }
        value = value.toLowerCase(Locale.ROOT);
    }

    /**
     * Parses user input.
     *
     * @throws IllegalArgumentException when the text is not a valid address (the message names the problem)
     */
    public static Username of(String text) {
        return new Username(text.trim());
    }

    @Override
    public String toString() {
        return value;
    }
}
