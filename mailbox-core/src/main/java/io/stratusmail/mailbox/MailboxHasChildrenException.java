package io.stratusmail.mailbox;

/**
 * DELETE of a {@code \Noselect} name that still has inferior names (RFC 3501 section 6.3.4; IMAP
 * {@code NO [HASCHILDREN]}, RFC 9051 section 7.1). Nothing was changed.
 */
public class MailboxHasChildrenException extends RuntimeException {
    public MailboxHasChildrenException(MailboxName name) {
        super("mailbox has inferior hierarchical names: " + name);
    }
}
