package io.stratusmail.imap.command;

import io.stratusmail.imap.protocol.CommandReader;
import io.stratusmail.imap.protocol.ParseException;
import io.stratusmail.imap.response.StatusResponse;
import io.stratusmail.imap.session.ImapCommand;
import io.stratusmail.imap.session.ImapSession;
import io.stratusmail.imap.session.SessionState;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/** UNSELECT (RFC 3691): back to the authenticated state like CLOSE, but without expunging anything. */
public record UnselectCommand(String tag) implements ImapCommand {

    static UnselectCommand parse(String tag, CommandReader args) throws ParseException {
        args.end();
        return new UnselectCommand(tag);
    }

    @Override
    public String name() {
        return "UNSELECT";
    }

    @Override
    public Set<SessionState> validStates() {
        return SessionState.SELECTED_ONLY;
    }

    @Override
    public CompletionStage<StatusResponse> execute(ImapSession session) {
        session.deselect();
        return CompletableFuture.completedFuture(StatusResponse.ok(tag, "UNSELECT completed"));
    }
}
