package io.stratusmail.mailbox;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * A mailbox name as the user sees it, in UTF-8 (the IMAP layer converts from and to modified UTF-7,
 * RFC 3501 section 5.1.3). The hierarchy delimiter is {@value #DELIMITER}. {@code INBOX} is
 * case-insensitive (RFC 3501 section 5.1) and always stored as {@code INBOX}, also as a parent
 * ({@code inbox/x} becomes {@code INBOX/x}).
 *
 * <p>Limits: 1 to {@value #MAX_LENGTH} characters, at most {@value #MAX_DEPTH} hierarchy levels, no control
 * characters, no empty hierarchy level (no leading, trailing or doubled delimiter), no LIST wildcard
 * ({@code *} or {@code %}, RFC 3501 section 6.3.8: such a name could never be listed by itself). A violation
 * throws {@link IllegalArgumentException} whose message says which rule was broken.
 *
 * @param value the normalised name
 */
public record MailboxName(String value) implements Comparable<MailboxName> {

    public static final char DELIMITER = '/';
    public static final int MAX_LENGTH = 255;
    /** Most hierarchy levels in a name ({@code a/b/c} has 3). */
    public static final int MAX_DEPTH = 32;
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
            if (c == '*' || c == '%') {
                throw new IllegalArgumentException("mailbox name contains the LIST wildcard '" + c + "'");
            }
        }
        if (value.charAt(0) == DELIMITER || value.charAt(value.length() - 1) == DELIMITER
                || value.contains("" + DELIMITER + DELIMITER)) {
            throw new IllegalArgumentException("mailbox name has an empty hierarchy level");
        }
        if (value.chars().filter(c -> c == DELIMITER).count() >= MAX_DEPTH) {
            throw new IllegalArgumentException("mailbox name has more than " + MAX_DEPTH + " hierarchy levels");
        }
        int firstLevelEnd = value.indexOf(DELIMITER);
        String first = firstLevelEnd < 0 ? value : value.substring(0, firstLevelEnd);
        if (first.equalsIgnoreCase("INBOX")) {
            value = "INBOX" + value.substring(first.length());
        }
    }

    /**
     * The name a CREATE argument denotes (RFC 3501 section 6.3.3): one trailing delimiter declares that the
     * client means to create names under it; this server does not need that declaration, so it is dropped
     * ({@code CREATE owatagusiam/} creates {@code owatagusiam}).
     *
     * @throws IllegalArgumentException when what remains is not a valid name
     */
    public static MailboxName forCreate(String argument) {
        Objects.requireNonNull(argument, "argument");
        boolean declaresParent = argument.length() > 1 && argument.charAt(argument.length() - 1) == DELIMITER;
        return new MailboxName(declaresParent ? argument.substring(0, argument.length() - 1) : argument);
    }

    public boolean isInbox() {
        return value.equals("INBOX");
    }

    /** Hierarchy levels: 1 for {@code a}, 3 for {@code a/b/c}. */
    public int depth() {
        return (int) value.chars().filter(c -> c == DELIMITER).count() + 1;
    }

    /** The superior name ({@code a/b} for {@code a/b/c}); empty at the top level. */
    public Optional<MailboxName> parent() {
        int end = value.lastIndexOf(DELIMITER);
        return end < 0 ? Optional.empty() : Optional.of(new MailboxName(value.substring(0, end)));
    }

    /** Every superior name, outermost first ({@code a}, {@code a/b} for {@code a/b/c}); empty at the top level. */
    public List<MailboxName> ancestors() {
        List<MailboxName> out = new ArrayList<>();
        for (int i = value.indexOf(DELIMITER); i >= 0; i = value.indexOf(DELIMITER, i + 1)) {
            out.add(new MailboxName(value.substring(0, i)));
        }
        return out;
    }

    /** Whether this name is strictly below {@code other} in the hierarchy ({@code a/b} is below {@code a}). */
    public boolean isDescendantOf(MailboxName other) {
        return value.length() > other.value.length() + 1 && value.startsWith(other.value)
                && value.charAt(other.value.length()) == DELIMITER;
    }

    /**
     * This name moved from under {@code from} to under {@code to}, as RENAME moves inferior names (RFC 3501
     * section 6.3.5): {@code a/x} rebased from {@code a} to {@code b/c} is {@code b/c/x}.
     *
     * @throws IllegalArgumentException when this name is neither {@code from} nor below it, or the result breaks
     *                                  a limit (length, depth)
     */
    public MailboxName rebase(MailboxName from, MailboxName to) {
        if (!equals(from) && !isDescendantOf(from)) {
            throw new IllegalArgumentException(value + " is not " + from + " or below it");
        }
        return new MailboxName(to.value + value.substring(from.value.length()));
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
