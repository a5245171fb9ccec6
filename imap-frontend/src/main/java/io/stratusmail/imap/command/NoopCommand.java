package io.stratusmail.imap.command;

import io.stratusmail.imap.protocol.CommandReader;
import io.stratusmail.imap.protocol.ParseException;
import io.stratusmail.imap.response.StatusResponse;
import io.stratusmail.imap.session.ImapCommand;
import io.stratusmail.imap.session.ImapSession;
import io.stratusmail.imap.session.SessionState;
import java.util.Set;
import java.util.concurrent.CompletionStage;

/**
 * NOOP (RFC 3501 section 6.1.2) and CHECK (section 6.4.1; every change is already durable, so it is a NOOP
 * that needs a selected mailbox). With a mailbox selected it re-reads the mailbox and reports what changed
 * since the client last heard ({@link MailboxRefresh}).
 *
 * @param check whether this is CHECK
 */
public record NoopCommand(String tag, boolean check) implements ImapCommand {

    static NoopCommand parse(String tag, CommandReader args, boolean check) throws ParseException {
        args.end();
        return new NoopCommand(tag, check);
    }

    @Override
    public String name() {
        return check ? "CHECK" : "NOOP";
    }

    @Override
    public Set<SessionState> validStates() {
        return check ? SessionState.SELECTED_ONLY : SessionState.ANY;
    }

    @Override
    public CompletionStage<StatusResponse> execute(ImapSession session) {
        return MailboxRefresh.refresh(session).thenApply(v -> StatusResponse.ok(tag, name() + " completed"));
    }
}
