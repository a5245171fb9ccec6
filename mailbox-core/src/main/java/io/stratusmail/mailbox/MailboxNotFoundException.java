package io.stratusmail.mailbox;

/**
 * No mailbox of that name exists (IMAP {@code NO [NONEXISTENT]}, RFC 5530): DELETE or RENAME of an unknown
 * name (RFC 3501 sections 6.3.4, 6.3.5).
 */
public class MailboxNotFoundException extends RuntimeException {
    public MailboxNotFoundException(MailboxName name) {
        super("mailbox does not exist: " + name);
    }
}
