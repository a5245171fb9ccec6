package io.stratusmail.mailbox;

/**
 * A mailbox operation that can never succeed, whatever the state (IMAP {@code NO [CANNOT]}, RFC 5530): deleting
 * INBOX, renaming a mailbox into its own inferior hierarchy. Nothing was changed.
 */
public class InvalidMailboxOperationException extends RuntimeException {
    public InvalidMailboxOperationException(String message) {
        super(message);
    }
}
