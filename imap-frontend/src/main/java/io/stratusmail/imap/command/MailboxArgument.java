package io.stratusmail.imap.command;

import io.stratusmail.imap.protocol.ModifiedUtf7;
import io.stratusmail.imap.protocol.ParseException;
import io.stratusmail.mailbox.MailboxName;
import java.nio.charset.StandardCharsets;

/** Mailbox names and patterns as the client sends them: modified UTF-7 (RFC 3501 section 5.1.3). */
public final class MailboxArgument {

    private MailboxArgument() {
    }

    /** Decodes the wire form into UTF-8 text. */
    static String decode(byte[] wire) throws ParseException {
        for (byte b : wire) {
            if (b < 0x20 || b == 0x7f) {
                throw new ParseException("Mailbox name is not valid modified UTF-7 (8-bit or control octet)");
            }
        }
        try {
            return ModifiedUtf7.decode(new String(wire, StandardCharsets.US_ASCII));
        } catch (IllegalArgumentException e) {
            throw new ParseException("Mailbox name is not valid modified UTF-7: " + e.getMessage());
        }
    }

    /** Decodes and validates a mailbox name ({@code inbox} in any case is INBOX). */
    public static MailboxName name(byte[] wire) throws ParseException {
        String text = decode(wire);
        try {
            return new MailboxName(text);
        } catch (IllegalArgumentException e) {
            throw new ParseException("Invalid mailbox name: " + e.getMessage());
        }
    }
}
