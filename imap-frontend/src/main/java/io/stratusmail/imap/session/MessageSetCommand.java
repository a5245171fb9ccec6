package io.stratusmail.imap.session;

import io.stratusmail.imap.protocol.ParseException;
import io.stratusmail.imap.protocol.SequenceSet;
import io.stratusmail.imap.response.StatusResponse;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * A command on a sequence set of the selected mailbox (FETCH, STORE, COPY, MOVE and their UID forms, RFC 3501
 * sections 6.4.5-6.4.8, RFC 6851): valid in the selected state only; the set is resolved against the session's
 * view to message sequence numbers before the command runs, and a set that cannot be resolved (RFC 3501
 * section 9 {@code seq-number}, e.g. {@code 0}) is answered {@code BAD} without touching the store.
 */
public interface MessageSetCommand extends ImapCommand {

    /** The sequence set as sent (MSNs, or UIDs when {@link #uid()}). */
    SequenceSet set();

    /** Whether this is the UID form of the command. */
    boolean uid();

    /** Runs the command on the resolved messages. */
    CompletionStage<StatusResponse> execute(ImapSession session, SelectedMailbox selected, int[] msns);

    @Override
    default Set<SessionState> validStates() {
        return SessionState.SELECTED_ONLY;
    }

    @Override
    default CompletionStage<StatusResponse> execute(ImapSession session) {
        SelectedMailbox selected = session.selected();
        int[] msns;
        try {
            msns = selected.resolve(set(), uid());
        } catch (ParseException e) {
            return CompletableFuture.completedFuture(StatusResponse.bad(tag(), e.getMessage()));
        }
        return execute(session, selected, msns);
    }
}
