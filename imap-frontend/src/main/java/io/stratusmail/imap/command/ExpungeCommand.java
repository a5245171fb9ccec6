package io.stratusmail.imap.command;

import io.stratusmail.imap.protocol.CommandReader;
import io.stratusmail.imap.protocol.ParseException;
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
 * EXPUNGE (RFC 3501 section 6.4.3): removes the messages that have {@code \Deleted} and answers
 * {@code * n EXPUNGE} for each, ascending, each MSN counted after the previous removals. {@code NO} in a
 * mailbox opened with EXAMINE.
 */
public record ExpungeCommand(String tag) implements ImapCommand {

    static ExpungeCommand parse(String tag, CommandReader args) throws ParseException {
        args.end();
        return new ExpungeCommand(tag);
    }

    @Override
    public String name() {
        return "EXPUNGE";
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
        return expungeDeleted(session, selected).thenApply(responses -> {
            responses.forEach(session::send);
            return StatusResponse.ok(tag, "EXPUNGE completed");
        });
    }

    /**
     * Expunges the messages the session knows as {@code \Deleted} and removes them from its view.
     *
     * @return the EXPUNGE responses that tell the client
     */
    static CompletionStage<List<ImapResponse>> expungeDeleted(ImapSession session, SelectedMailbox selected) {
        List<Long> deleted = new ArrayList<>();
        for (int msn = 1; msn <= selected.exists(); msn++) {
            if (selected.flags(msn).contains(Flags.DELETED)) {
                deleted.add(selected.uid(msn));
            }
        }
        if (deleted.isEmpty()) {
            return CompletableFuture.completedFuture(List.of());
        }
        return session.onEventLoop(session.services().messages().expunge(selected.mailbox().id(), deleted))
                .thenApply(selected::expunge);
    }
}
