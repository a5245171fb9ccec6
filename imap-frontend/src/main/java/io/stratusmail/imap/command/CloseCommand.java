package io.stratusmail.imap.command;

import io.stratusmail.imap.protocol.CommandReader;
import io.stratusmail.imap.protocol.ParseException;
import io.stratusmail.imap.response.StatusResponse;
import io.stratusmail.imap.session.ImapCommand;
import io.stratusmail.imap.session.ImapSession;
import io.stratusmail.imap.session.SelectedMailbox;
import io.stratusmail.imap.session.SessionState;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * CLOSE (RFC 3501 section 6.4.2): silently expunges the {@code \Deleted} messages (not when opened with
 * EXAMINE; no EXPUNGE responses) and returns to the authenticated state.
 */
public record CloseCommand(String tag) implements ImapCommand {

    static CloseCommand parse(String tag, CommandReader args) throws ParseException {
        args.end();
        return new CloseCommand(tag);
    }

    @Override
    public String name() {
        return "CLOSE";
    }

    @Override
    public Set<SessionState> validStates() {
        return SessionState.SELECTED_ONLY;
    }

    @Override
    public CompletionStage<StatusResponse> execute(ImapSession session) {
        SelectedMailbox selected = session.selected();
        CompletionStage<?> expunged = selected.readOnly()
                ? CompletableFuture.completedFuture(List.of())
                : ExpungeCommand.expungeDeleted(session, selected);
        return expunged.thenApply(ignored -> {
            session.deselect();
            return StatusResponse.ok(tag, "CLOSE completed");
        });
    }
}
