package io.stratusmail.imap.command;

import io.stratusmail.imap.response.ResponseCode;
import io.stratusmail.imap.response.StatusResponse;
import io.stratusmail.mailbox.InvalidMailboxOperationException;
import io.stratusmail.mailbox.MailboxExistsException;
import io.stratusmail.mailbox.MailboxHasChildrenException;
import io.stratusmail.mailbox.MailboxLimitException;
import io.stratusmail.mailbox.MailboxNotFoundException;
import java.util.concurrent.CompletionException;
import java.util.function.BiFunction;

/**
 * The {@code NO} responses of the mailbox commands (CREATE, DELETE, RENAME, SUBSCRIBE) for the refusals of
 * {@link io.stratusmail.mailbox.MailboxRepository}, with RFC 5530 / RFC 9051 response codes:
 * {@code NONEXISTENT}, {@code ALREADYEXISTS}, {@code CANNOT}, {@code HASCHILDREN}, {@code LIMIT}. Any other
 * failure (e.g. {@link io.stratusmail.mailbox.StorageUnavailableException}) is passed on to the session's
 * central mapping.
 */
final class MailboxFailures {

    private MailboxFailures() {
    }

    /**
     * A handler for {@code CompletionStage.handle}: the value's response on success, the refusal's {@code NO}
     * for a known refusal, else rethrows.
     */
    static BiFunction<StatusResponse, Throwable, StatusResponse> orRefusal(String tag) {
        return (response, error) -> error == null ? response : refusal(tag, error);
    }

    /** The {@code NO} for a repository refusal; rethrows anything else unchanged. */
    static StatusResponse refusal(String tag, Throwable error) {
        Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
        if (cause instanceof MailboxNotFoundException) {
            return StatusResponse.no(tag, ResponseCode.NONEXISTENT, "Mailbox does not exist");
        }
        if (cause instanceof MailboxExistsException e) {
            return StatusResponse.no(tag, ResponseCode.ALREADYEXISTS, capitalized(e.getMessage()));
        }
        if (cause instanceof MailboxHasChildrenException) {
            return StatusResponse.no(tag, ResponseCode.HASCHILDREN,
                    "Name has inferior hierarchical names and is not a mailbox; delete them first");
        }
        if (cause instanceof InvalidMailboxOperationException e) {
            return StatusResponse.no(tag, ResponseCode.CANNOT, capitalized(e.getMessage()));
        }
        if (cause instanceof MailboxLimitException) {
            return StatusResponse.no(tag, ResponseCode.LIMIT, "Too many mailbox names for this account");
        }
        if (cause instanceof IllegalArgumentException e) {
            // RENAME: an inferior name would become longer or deeper than a mailbox name may be.
            return StatusResponse.no(tag, ResponseCode.CANNOT, "Invalid mailbox name: " + e.getMessage());
        }
        if (cause instanceof RuntimeException r) {
            throw r;
        }
        throw new CompletionException(cause);
    }

    private static String capitalized(String text) {
        return text == null || text.isEmpty() ? text : Character.toUpperCase(text.charAt(0)) + text.substring(1);
    }
}
