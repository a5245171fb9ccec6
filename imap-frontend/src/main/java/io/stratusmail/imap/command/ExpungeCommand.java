package io.stratusmail.imap.command;

import io.stratusmail.imap.protocol.CommandReader;
import io.stratusmail.imap.protocol.ParseException;
import io.stratusmail.imap.protocol.SequenceSet;
import io.stratusmail.imap.response.ImapResponse;
import io.stratusmail.imap.response.StatusResponse;
import io.stratusmail.imap.session.ImapCommand;
import io.stratusmail.imap.session.ImapSession;
import io.stratusmail.imap.session.SelectedMailbox;
import io.stratusmail.imap.session.SessionState;
import io.stratusmail.mailbox.message.Flags;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * EXPUNGE (RFC 3501 section 6.4.3) and UID EXPUNGE uid-set (RFC 4315 section 2.1): removes the messages that
 * have {@code \Deleted} (for UID EXPUNGE only those among the given UIDs) and answers {@code * n EXPUNGE} for
 * each, ascending, each MSN counted after the previous removals (once QRESYNC is enabled one {@code * VANISHED uids}
 * instead, RFC 7162 section 3.2.10), then what else changed meanwhile ({@link MailboxRefresh}). {@code NO} in a
 * mailbox opened with EXAMINE.
 *
 * @param uids the UID set of UID EXPUNGE, or null for EXPUNGE
 */
public record ExpungeCommand(String tag, SequenceSet uids) implements ImapCommand {

    static ExpungeCommand parse(String tag, CommandReader args) throws ParseException {
        args.end();
        return new ExpungeCommand(tag, null);
    }

    static ExpungeCommand parseUid(String tag, CommandReader args) throws ParseException {
        args.sp();
        SequenceSet set = SequenceSet.parse(args.token(SequenceSet::isSequenceChar, "a UID set"));
        args.end();
        return new ExpungeCommand(tag, set);
    }

    @Override
    public String name() {
        return uids == null ? "EXPUNGE" : "UID EXPUNGE";
    }

    @Override
    public Set<SessionState> validStates() {
        return SessionState.SELECTED_ONLY;
    }

    @Override
    public CompletionStage<StatusResponse> execute(ImapSession session) {
        SelectedMailbox selected = session.selected();
        if (selected.readOnly()) {
            return CompletableFuture.completedFuture(StatusResponse.readOnly(tag));
        }
        int[] candidates = uids == null ? null : selected.resolveUids(uids);
        return expungeDeleted(session, selected, candidates).thenCompose(responses -> {
            responses.forEach(session::send);
            // Expunges by others (learnt earlier or now) may go out here too (RFC 3501 section 7.4.1).
            return MailboxRefresh.refresh(session);
        }).thenApply(v -> StatusResponse.ok(tag, name() + " completed"));
    }

    /** {@link #expungeDeleted(ImapSession, SelectedMailbox, int[])} of every message. */
    static CompletionStage<List<ImapResponse>> expungeDeleted(ImapSession session, SelectedMailbox selected) {
        return expungeDeleted(session, selected, null);
    }

    /**
     * Expunges the messages the session knows as {@code \Deleted} and removes them from its view.
     *
     * @param msns the MSNs to consider, ascending, or null for all
     * @return the EXPUNGE (or VANISHED) responses that tell the client
     */
    static CompletionStage<List<ImapResponse>> expungeDeleted(ImapSession session, SelectedMailbox selected,
                                                               int[] msns) {
        List<Long> deleted = new ArrayList<>();
        int n = msns == null ? selected.exists() : msns.length;
        for (int i = 0; i < n; i++) {
            int msn = msns == null ? i + 1 : msns[i];
            if (selected.flags(msn).contains(Flags.DELETED)) {
                deleted.add(selected.uid(msn));
            }
        }
        if (deleted.isEmpty()) {
            return CompletableFuture.completedFuture(List.of());
        }
        return session.onEventLoop(session.services().messages().expunge(selected.mailbox().id(), deleted))
                .thenApply(removed -> selected.expunge(removed, session.qresyncEnabled()));
    }
}
