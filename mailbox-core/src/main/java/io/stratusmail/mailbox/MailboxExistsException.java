package io.stratusmail.mailbox;

/** A mailbox of that name already exists (IMAP {@code NO [ALREADYEXISTS]}, RFC 5530). */
public class MailboxExistsException extends RuntimeException {
    public MailboxExistsException(MailboxName name) {
        super("mailbox already exists: " + name);
    }
}
