package io.stratusmail.imap.command;

import io.stratusmail.imap.protocol.CommandReader;
import io.stratusmail.imap.protocol.ParseException;
import io.stratusmail.imap.response.CapabilityResponse;
import io.stratusmail.imap.response.StatusResponse;
import io.stratusmail.imap.session.ImapCommand;
import io.stratusmail.imap.session.ImapSession;
import io.stratusmail.imap.session.SessionState;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/** CAPABILITY (RFC 3501 section 6.1.1): {@code * CAPABILITY ...} for the current state. */
public record CapabilityCommand(String tag) implements ImapCommand {

    static CapabilityCommand parse(String tag, CommandReader args) throws ParseException {
        args.end();
        return new CapabilityCommand(tag);
    }

    @Override
    public String name() {
        return "CAPABILITY";
    }

    @Override
    public Set<SessionState> validStates() {
        return SessionState.ANY;
    }

    @Override
    public CompletionStage<StatusResponse> execute(ImapSession session) {
        session.send(new CapabilityResponse(session.capabilities()));
        return CompletableFuture.completedFuture(StatusResponse.ok(tag, "CAPABILITY completed"));
    }
}
