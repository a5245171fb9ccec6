package io.stratusmail.imap.command;

import io.stratusmail.imap.protocol.CommandReader;
import io.stratusmail.imap.protocol.ParseException;
import io.stratusmail.imap.response.ImapResponse;
import io.stratusmail.imap.response.StatusResponse;
import io.stratusmail.imap.session.ImapCommand;
import io.stratusmail.imap.session.ImapSession;
import io.stratusmail.imap.session.SelectedMailbox;
import io.stratusmail.imap.session.SessionState;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * NOOP (RFC 3501 section 6.1.2). With a mailbox selected it re-reads the mailbox and reports what changed
 * since the client last heard: {@code * n EXPUNGE}, {@code * n EXISTS}, {@code * n FETCH (FLAGS ...)}.
 */
public record NoopCommand(String tag) implements ImapCommand {

    static NoopCommand parse(String tag, CommandReader args) throws ParseException {
        args.end();
        return new NoopCommand(tag);
    }

    @Override
    public String name() {
        return "NOOP";
    }

    @Override
    public Set<SessionState> validStates() {
        return SessionState.ANY;
    }

    @Override
    public CompletionStage<StatusResponse> execute(ImapSession session) {
        SelectedMailbox selected = session.selected();
        StatusResponse ok = StatusResponse.ok(tag, "NOOP completed");
        if (selected == null) {
            return CompletableFuture.completedFuture(ok);
        }
        return session.onEventLoop(session.services().messages().snapshot(selected.mailbox()))
                .thenApply(snapshot -> {
                    if (session.selected() == selected) {
                        for (ImapResponse r : selected.synchronize(snapshot)) {
                            session.send(r);
                        }
                    }
                    return ok;
                });
    }
}
