package io.stratusmail.imap.session;

import io.stratusmail.imap.response.StatusResponse;
import java.util.Set;
import java.util.concurrent.CompletionStage;

/**
 * A parsed client command, ready to run. Each command family (one file in {@code io.stratusmail.imap.command}
 * or {@code io.stratusmail.imap.fetch}) is a record that holds the request, its parser and its handler.
 */
public interface ImapCommand {

    /** The client's tag; null only for input whose tag could not be read. */
    String tag();

    /** The command name for messages and logs, e.g. {@code UID FETCH}. */
    String name();

    /** The states in which the command is valid (RFC 3501 section 6). */
    Set<SessionState> validStates();

    /**
     * Runs the command. Untagged responses go out through {@link ImapSession#send}; the stage completes
     * with the tagged status response (completed on the session's event loop). A stage failing with
     * {@link io.stratusmail.mailbox.StorageUnavailableException} becomes {@code NO [UNAVAILABLE]}.
     */
    CompletionStage<StatusResponse> execute(ImapSession session);
}
