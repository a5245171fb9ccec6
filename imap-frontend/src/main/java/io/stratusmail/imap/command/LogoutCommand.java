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

/** LOGOUT (RFC 3501 section 6.1.3): {@code * BYE}, the tagged OK, then the server closes the connection. */
public record LogoutCommand(String tag) implements ImapCommand {

    static LogoutCommand parse(String tag, CommandReader args) throws ParseException {
        args.end();
        return new LogoutCommand(tag);
    }

    @Override
    public String name() {
        return "LOGOUT";
    }

    @Override
    public Set<SessionState> validStates() {
        return SessionState.ANY;
    }

    @Override
    public CompletionStage<StatusResponse> execute(ImapSession session) {
        session.send(StatusResponse.bye("Stratus IMAP4rev1 server logging out"));
        session.logout();
        return CompletableFuture.completedFuture(StatusResponse.ok(tag, "LOGOUT completed"));
    }
}
