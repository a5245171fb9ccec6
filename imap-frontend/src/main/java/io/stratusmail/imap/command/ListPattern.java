package io.stratusmail.imap.command;

import io.stratusmail.mailbox.MailboxName;
import java.util.regex.Pattern;

/**
 * A LIST mailbox pattern (RFC 3501 section 6.3.8): {@code *} matches any characters, {@code %} any but the
 * hierarchy delimiter; everything else matches itself, case-sensitively, except that a leading {@code INBOX}
 * level matches in any case.
 */
final class ListPattern {

    private final String text;
    private final Pattern regex;

    private ListPattern(String text) {
        this.text = text;
        StringBuilder sb = new StringBuilder();
        StringBuilder literal = new StringBuilder();
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '*' || c == '%') {
                sb.append(Pattern.quote(literal.toString()));
                literal.setLength(0);
                sb.append(c == '*' ? ".*" : "[^" + Pattern.quote(String.valueOf(MailboxName.DELIMITER)) + "]*");
            } else {
                literal.append(c);
            }
        }
        sb.append(Pattern.quote(literal.toString()));
        this.regex = Pattern.compile(sb.toString(), Pattern.DOTALL);
    }

    /** The pattern for {@code reference} and {@code mailbox} interpreted together (simple concatenation). */
    static ListPattern of(String reference, String mailbox) {
        String text = reference + mailbox;
        int end = text.indexOf(MailboxName.DELIMITER);
        String first = end < 0 ? text : text.substring(0, end);
        if (first.equalsIgnoreCase("INBOX")) {
            text = "INBOX" + text.substring(first.length());
        }
        return new ListPattern(text);
    }

    boolean matches(String name) {
        return regex.matcher(name).matches();
    }

    /** Whether {@code %} ends the pattern: then unselectable parent levels that match are listed too. */
    boolean endsWithPercent() {
        return text.endsWith("%");
    }
}
