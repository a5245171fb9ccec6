package io.stratusmail.mailbox;

/**
 * The change would give the user more mailbox names than the registry allows (IMAP {@code NO [LIMIT]},
 * RFC 5530). Nothing was changed.
 */
public class MailboxLimitException extends RuntimeException {
    public MailboxLimitException(String message) {
        super(message);
    }
}
