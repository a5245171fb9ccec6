package io.stratusmail.mailbox;

/**
 * The store could not commit or read at the configured consistency (timeout, too few replicas).
 * Nothing was acknowledged; the caller may retry (IMAP {@code NO [UNAVAILABLE]}, LMTP {@code 451 4.3.0}).
 */
public class StorageUnavailableException extends RuntimeException {
    public StorageUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
