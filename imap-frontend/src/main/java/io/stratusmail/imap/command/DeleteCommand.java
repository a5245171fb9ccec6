package io.stratusmail.imap.command;

import io.stratusmail.imap.protocol.CommandReader;
import io.stratusmail.imap.protocol.ParseException;
import io.stratusmail.imap.response.ResponseCode;
import io.stratusmail.imap.response.StatusResponse;
import io.stratusmail.imap.session.ImapCommand;
import io.stratusmail.imap.session.ImapSession;
import io.stratusmail.imap.session.SelectedMailbox;
import io.stratusmail.imap.session.SessionState;
import io.stratusmail.mailbox.MailboxName;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * DELETE mailbox (RFC 3501 section 6.3.4). A mailbox with inferior names becomes a {@code \Noselect} name
 * (they stay); a {@code \Noselect} name with inferior names cannot be deleted.
 *
 * <p>Answers {@code OK}, {@code NO [NONEXISTENT]} for an unknown name, {@code NO [CANNOT]} for INBOX,
 * {@code NO [HASCHILDREN]} for a {@code \Noselect} name with inferior names, and {@code NO [INUSE]} for the
 * mailbox selected in this very session (CLOSE or UNSELECT it first: deleting it underneath the session would
 * leave its selected state pointing at nothing).
 *
 * @param mailbox the name to delete
 */
public record DeleteCommand(String tag, MailboxName mailbox) implements ImapCommand {

    static DeleteCommand parse(String tag, CommandReader args) throws ParseException {
        args.sp();
        MailboxName name = MailboxArgument.name(args.astring());
        args.end();
        return new DeleteCommand(tag, name);
    }

    @Override
    public String name() {
        return "DELETE";
    }

    @Override
    public Set<SessionState> validStates() {
        return SessionState.AUTHENTICATED_OR_SELECTED;
    }

    @Override
    public CompletionStage<StatusResponse> execute(ImapSession session) {
        SelectedMailbox selected = session.selected();
        CompletionStage<Boolean> inUse = selected == null || mailbox.isInbox()
                ? CompletableFuture.completedFuture(false)
                : session.onEventLoop(session.services().mailboxes().find(session.user(), mailbox))
                        .thenApply(found -> found.isPresent() && found.get().id().equals(selected.mailbox().id()));
        return inUse.thenCompose(busy -> {
            if (busy) {
                return CompletableFuture.completedFuture(StatusResponse.no(tag, ResponseCode.INUSE,
                        "Mailbox is selected in this session; CLOSE or UNSELECT it first"));
            }
            return session.onEventLoop(session.services().mailboxes().delete(session.user(), mailbox))
                    .handle((removed, error) -> error == null ? StatusResponse.ok(tag, "DELETE completed")
                            : MailboxFailures.refusal(tag, error));
        });
    }
}
