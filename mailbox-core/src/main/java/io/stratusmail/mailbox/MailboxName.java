package io.stratusmail.mailbox;

import java.util.Locale;
import java.util.Objects;

/**
 * A mailbox name as the user sees it, in UTF-8 (the IMAP layer converts from and to modified UTF-7,
 * RFC 3501 section 5.1.3). The hierarchy delimiter is {@value #DELIMITER}. {@code INBOX} is
 * case-insensitive (RFC 3501 section 5.1) and always stored as {@code INBOX}, also as a parent
 * ({@code inbox/x} becomes {@code INBOX/x}).
 *
 * <p>Limits: 1 to {@value #MAX_LENGTH} characters, no control characters, no empty hierarchy level
 * (no leading, trailing or doubled delimiter).
 *
 * @param value the normalised name
 */
public record MailboxName(String value) implements Comparable<MailboxName> {

    public static final char DELIMITER = '/';
    public static final int MAX_LENGTH = 255;
    public static final MailboxName INBOX = new MailboxName("INBOX");

    public MailboxName {
        Objects.requireNonNull(value, "value");
        if (value.isEmpty() || value.length() > MAX_LENGTH) {
            throw new IllegalArgumentException("mailbox name must be 1 to " + MAX_LENGTH + " characters");
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < 0x20 || c == 0x7f) {
                throw new IllegalArgumentException("mailbox name contains a control character");
            }
        }
        if (value.charAt(0) == DELIMITER || value.charAt(value.length() - 1) == DELIMITER
                || value.contains("" + DELIMITER + DELIMITER)) {
            throw new IllegalArgumentException("mailbox name has an empty hierarchy level");
        }
        int firstLevelEnd = value.indexOf(DELIMITER);
        String first = firstLevelEnd < 0 ? value : value.substring(0, firstLevelEnd);
        if (first.equalsIgnoreCase("INBOX")) {
            value = "INBOX" + value.substring(first.length());
        }
    }

    public boolean isInbox() {
        return value.equals("INBOX");
    }

    public String toLowerCaseKey() {
        return value.toLowerCase(Locale.ROOT);
    }

    @Override
    public int compareTo(MailboxName o) {
        return value.compareTo(o.value);
    }

    @Override
    public String toString() {
        return value;
    }
}
