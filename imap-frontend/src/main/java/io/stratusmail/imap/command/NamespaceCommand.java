package io.stratusmail.imap.command;

import io.stratusmail.imap.protocol.CommandReader;
import io.stratusmail.imap.protocol.ParseException;
import io.stratusmail.imap.response.NamespaceResponse;
import io.stratusmail.imap.response.StatusResponse;
import io.stratusmail.imap.session.ImapCommand;
import io.stratusmail.imap.session.ImapSession;
import io.stratusmail.imap.session.SessionState;
import io.stratusmail.mailbox.MailboxName;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * NAMESPACE (RFC 2342): {@code * NAMESPACE (("" "/")) NIL NIL}. Every mailbox is the user's own, at the root,
 * with {@code /} as the hierarchy delimiter; there are no other users' or shared namespaces.
 */
public record NamespaceCommand(String tag) implements ImapCommand {

    static NamespaceCommand parse(String tag, CommandReader args) throws ParseException {
        args.end();
        return new NamespaceCommand(tag);
    }

    @Override
    public String name() {
        return "NAMESPACE";
    }

    @Override
    public Set<SessionState> validStates() {
        return SessionState.AUTHENTICATED_OR_SELECTED;
    }

    @Override
    public CompletionStage<StatusResponse> execute(ImapSession session) {
        session.send(new NamespaceResponse("", MailboxName.DELIMITER));
        return CompletableFuture.completedFuture(StatusResponse.ok(tag, "NAMESPACE completed"));
    }
}
